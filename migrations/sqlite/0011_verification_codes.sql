-- Verification codes (sign-in OTPs, guests' contact codes) move to one table owned by
-- src/core/verification_codes.cpp, which also counts the codes it sends for the daily cap
-- instead of reading notify's outbox.
CREATE TABLE verification_codes (
  purpose TEXT NOT NULL,     -- "auth.otp", "leads.contact"
  subject TEXT NOT NULL,     -- the phone number or contact the code was sent to
  code_hash TEXT NOT NULL,   -- SHA-256 of subject ":" code
  expires_at TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  sent_at TEXT NOT NULL,
  PRIMARY KEY (purpose, subject)
);

-- Every code sent, for the daily cap; rows older than a day are pruned.
CREATE TABLE verification_sends (
  purpose TEXT NOT NULL,
  subject TEXT NOT NULL,
  sent_at TEXT NOT NULL
);
CREATE INDEX verification_sends_by_subject ON verification_sends (purpose, subject, sent_at);

-- Pending codes carry over, and so do the last day's sends, so the cap holds across the upgrade.
INSERT INTO verification_codes (purpose, subject, code_hash, expires_at, attempts, sent_at)
  SELECT 'auth.otp', phone, code_hash, expires_at, attempts, sent_at FROM auth_otps;
INSERT INTO verification_codes (purpose, subject, code_hash, expires_at, attempts, sent_at)
  SELECT 'leads.contact', contact, code_hash, expires_at, attempts, sent_at FROM lead_contact_codes;
INSERT INTO verification_sends (purpose, subject, sent_at)
  SELECT 'auth.otp', recipient, created_at FROM outbox
  WHERE kind = 'auth.otp' AND created_at > strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '-1 day');
INSERT INTO verification_sends (purpose, subject, sent_at)
  SELECT 'leads.contact', substr(cancel_key, 19), created_at FROM outbox
  WHERE cancel_key LIKE 'lead_contact_code:%'
    AND created_at > strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '-1 day');

DROP TABLE auth_otps;
DROP TABLE lead_contact_codes;
-- Only the OTP cap read the outbox by recipient.
DROP INDEX outbox_by_recipient;
