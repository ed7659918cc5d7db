-- Messages waiting to leave (email, SMS), written in the same transaction as the event that
-- causes them; in-app notifications; and the Idempotency-Key replay store.
CREATE TABLE outbox (
  id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  delivery_id TEXT NOT NULL UNIQUE,  -- idempotency id given to the provider (Message-ID, …)
  channel TEXT NOT NULL CHECK (channel IN ('email', 'sms')),
  kind TEXT NOT NULL,                -- what caused it: "lead.new", "visit.reminder", …
  recipient TEXT NOT NULL,           -- an email address or a +91 mobile number
  subject TEXT NOT NULL DEFAULT '',
  body_text TEXT NOT NULL,
  body_html TEXT NOT NULL DEFAULT '',
  extras TEXT NOT NULL DEFAULT '{}', -- JSON: attachments, extra headers
  cancel_key TEXT,                   -- pending messages with this key can be called off
  status TEXT NOT NULL CHECK (status IN ('pending', 'sent', 'dead', 'cancelled')),
  attempts BIGINT NOT NULL DEFAULT 0,
  next_attempt_at TEXT NOT NULL,
  claimed_until TEXT,
  claim_token TEXT,                  -- which dispatcher's claim it is (see outbox.cpp)
  last_error TEXT NOT NULL DEFAULT '',
  created_at TEXT NOT NULL,
  sent_at TEXT
);
CREATE INDEX outbox_due ON outbox (next_attempt_at) WHERE status = 'pending';
CREATE INDEX outbox_dead ON outbox (id) WHERE status = 'dead';
CREATE INDEX outbox_cancel ON outbox (cancel_key) WHERE cancel_key IS NOT NULL;

CREATE TABLE notifications (
  id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  user_id BIGINT NOT NULL REFERENCES users (id),
  kind TEXT NOT NULL,
  title TEXT NOT NULL,
  body TEXT NOT NULL,
  link TEXT NOT NULL DEFAULT '',
  created_at TEXT NOT NULL,
  read_at TEXT
);
CREATE INDEX notifications_by_user ON notifications (user_id, id);

CREATE TABLE idempotency_keys (
  scope TEXT NOT NULL,          -- whose key: "user:42", "contact:+919812345678"
  idem_key TEXT NOT NULL,
  request_hash TEXT NOT NULL,   -- SHA-256 of method, path and body
  state TEXT NOT NULL CHECK (state IN ('started', 'done')),
  status BIGINT NOT NULL DEFAULT 0,
  content_type TEXT NOT NULL DEFAULT '',
  body TEXT NOT NULL DEFAULT '',
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  PRIMARY KEY (scope, idem_key)
);
CREATE INDEX idempotency_keys_expiry ON idempotency_keys (expires_at);
