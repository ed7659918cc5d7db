-- Inquiries and the lead pipeline (issue 5): agencies (so that a lead can be handed to another
-- agent of the lister's agency), leads with every inquiry, stage change and note behind them,
-- and the codes that verify a guest's phone or email. Timestamps are UTC ISO-8601 text.
CREATE TABLE agencies (
  id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  name TEXT NOT NULL,
  created_at TEXT NOT NULL
);
ALTER TABLE users ADD COLUMN agency_id BIGINT REFERENCES agencies (id);
CREATE INDEX users_agency ON users (agency_id) WHERE agency_id IS NOT NULL;

-- One lead per seeker and listing; a seeker writing again within 24 hours of their last
-- inquiry updates it. The contact is a copy taken at inquiry time: only the lister (and the
-- agent it is assigned to, and admins) ever read it.
CREATE TABLE leads (
  id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  listing_id BIGINT NOT NULL REFERENCES listings (id),
  lister_id BIGINT NOT NULL REFERENCES users (id),
  seeker_user_id BIGINT REFERENCES users (id),  -- NULL for a guest
  seeker_key TEXT NOT NULL,                      -- "user:42", "phone:+919812345678", "email:a@b.in"
  contact_name TEXT NOT NULL DEFAULT '',
  contact_phone TEXT,
  contact_email TEXT,
  message TEXT NOT NULL,                         -- the latest inquiry's (all are in lead_inquiries)
  preferred_contact_time TEXT NOT NULL
    CHECK (preferred_contact_time IN ('morning', 'afternoon', 'evening', 'anytime')),
  stage TEXT NOT NULL DEFAULT 'new' CHECK (stage IN ('new', 'contacted', 'visit_scheduled',
                                                     'visited', 'negotiating', 'won', 'lost')),
  lost_reason TEXT NOT NULL DEFAULT '',
  assigned_to BIGINT REFERENCES users (id),
  inquiry_count BIGINT NOT NULL DEFAULT 1,
  last_inquiry_at TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX leads_lister ON leads (lister_id, id);
CREATE INDEX leads_assigned ON leads (assigned_to, id) WHERE assigned_to IS NOT NULL;
CREATE INDEX leads_seeker_user ON leads (seeker_user_id, id) WHERE seeker_user_id IS NOT NULL;
CREATE INDEX leads_repeat ON leads (listing_id, seeker_key, last_inquiry_at);
CREATE INDEX leads_created ON leads (created_at);

-- Every inquiry as sent (the first and each follow-up): the lead's history, and what the
-- guests' daily cap counts.
CREATE TABLE lead_inquiries (
  id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  lead_id BIGINT NOT NULL REFERENCES leads (id),
  seeker_key TEXT NOT NULL,
  message TEXT NOT NULL,
  preferred_contact_time TEXT NOT NULL,
  created_at TEXT NOT NULL
);
CREATE INDEX lead_inquiries_lead ON lead_inquiries (lead_id, id);
CREATE INDEX lead_inquiries_seeker ON lead_inquiries (seeker_key, created_at);

-- The audit trail: creation, follow-ups, stage changes and assignments, with actor and time.
CREATE TABLE lead_events (
  id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  lead_id BIGINT NOT NULL REFERENCES leads (id),
  actor_id BIGINT REFERENCES users (id),  -- NULL for a guest's inquiry
  at TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('created', 'inquiry', 'stage', 'assigned')),
  from_stage TEXT,
  to_stage TEXT,
  detail TEXT NOT NULL DEFAULT ''
);
CREATE INDEX lead_events_lead ON lead_events (lead_id, id);
CREATE INDEX lead_events_stage ON lead_events (to_stage) WHERE kind = 'stage';

CREATE TABLE lead_notes (
  id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  lead_id BIGINT NOT NULL REFERENCES leads (id),
  author_id BIGINT NOT NULL REFERENCES users (id),
  body TEXT NOT NULL,
  created_at TEXT NOT NULL
);
CREATE INDEX lead_notes_lead ON lead_notes (lead_id, id);

-- A guest's pending verification code, by contact ("phone:+91…" or "email:…"), hashed.
CREATE TABLE lead_contact_codes (
  contact TEXT PRIMARY KEY NOT NULL,
  code_hash TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  attempts BIGINT NOT NULL DEFAULT 0,
  sent_at TEXT NOT NULL
);
