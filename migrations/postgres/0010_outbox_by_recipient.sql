-- Messages by recipient, for per-number caps such as auth's daily OTP limit.
CREATE INDEX outbox_by_recipient ON outbox (recipient, kind, created_at);
