-- Accounts, sessions and the short-lived secrets of sign-in (issue 3). Timestamps are UTC
-- ISO-8601 text, which sorts and compares correctly as text. Secrets are stored hashed.
CREATE TABLE users (
  id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  email          TEXT UNIQUE,            -- lower-cased
  phone          TEXT UNIQUE,            -- +91 and 10 digits
  name           TEXT NOT NULL DEFAULT '',
  role           TEXT NOT NULL CHECK (role IN ('seeker', 'owner', 'agent', 'builder', 'admin')),
  status         TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'locked', 'deleted')),
  password_hash  TEXT,
  email_verified INTEGER NOT NULL DEFAULT 0,
  phone_verified INTEGER NOT NULL DEFAULT 0,
  agency         TEXT,
  rera_number    TEXT,
  created_at     TEXT NOT NULL,
  updated_at     TEXT NOT NULL,
  CHECK (email IS NOT NULL OR phone IS NOT NULL)
);

-- A session is one refresh-token family: every rotation stays in it, and reuse of a rotated
-- token revokes it whole.
CREATE TABLE auth_sessions (
  id           TEXT PRIMARY KEY,
  user_id      BIGINT NOT NULL REFERENCES users (id),
  created_at   TEXT NOT NULL,
  last_used_at TEXT NOT NULL,
  expires_at   TEXT NOT NULL,
  revoked_at   TEXT,
  user_agent   TEXT NOT NULL DEFAULT '',
  ip           TEXT NOT NULL DEFAULT ''
);
CREATE INDEX auth_sessions_user ON auth_sessions (user_id);

CREATE TABLE auth_refresh_tokens (
  token_hash TEXT PRIMARY KEY,
  session_id TEXT NOT NULL REFERENCES auth_sessions (id),
  created_at TEXT NOT NULL,
  used_at    TEXT
);
CREATE INDEX auth_refresh_tokens_session ON auth_refresh_tokens (session_id);

-- Email verification and password reset links: single use, expiring.
CREATE TABLE auth_one_time_tokens (
  token_hash TEXT PRIMARY KEY,
  purpose    TEXT NOT NULL CHECK (purpose IN ('verify_email', 'reset_password')),
  user_id    BIGINT NOT NULL REFERENCES users (id),
  expires_at TEXT NOT NULL,
  used_at    TEXT
);

CREATE TABLE auth_otps (
  phone      TEXT PRIMARY KEY,
  code_hash  TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  attempts   INTEGER NOT NULL DEFAULT 0,
  sent_at    TEXT NOT NULL
);

-- Failed sign-ins by identifier, whether or not an account has it, so that lockout says
-- nothing about which accounts exist.
CREATE TABLE auth_login_failures (
  identifier   TEXT PRIMARY KEY,
  failures     INTEGER NOT NULL,
  last_failure TEXT NOT NULL,
  locked_until TEXT
);

-- Token signing keys, shared by every copy of griha on the same database.
CREATE TABLE auth_signing_keys (
  kid        TEXT PRIMARY KEY,
  public_key TEXT NOT NULL,
  secret_key TEXT NOT NULL,
  created_at TEXT NOT NULL,
  retired_at TEXT
);

CREATE TABLE auth_identities (
  issuer     TEXT NOT NULL,
  subject    TEXT NOT NULL,
  user_id    BIGINT NOT NULL REFERENCES users (id),
  created_at TEXT NOT NULL,
  PRIMARY KEY (issuer, subject)
);

CREATE TABLE auth_oidc_states (
  state_hash    TEXT PRIMARY KEY,
  nonce         TEXT NOT NULL,
  code_verifier TEXT NOT NULL,
  expires_at    TEXT NOT NULL
);
