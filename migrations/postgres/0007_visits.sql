-- Site visits (issue 5): a listing's weekly visiting hours, the capacity of each slot, and the
-- visits booked into them. Times are UTC ISO-8601 text; windows and blackout dates are in
-- India Standard Time, as the lister set them.
CREATE TABLE visit_availability (
  listing_id BIGINT PRIMARY KEY NOT NULL REFERENCES listings (id),
  timezone TEXT NOT NULL,
  slot_minutes BIGINT NOT NULL CHECK (slot_minutes BETWEEN 15 AND 240),
  visitors_per_slot BIGINT NOT NULL CHECK (visitors_per_slot BETWEEN 1 AND 20),
  windows TEXT NOT NULL,         -- JSON: [{"day":"mon","start":"10:00","end":"13:00"}, ...]
  blackout_dates TEXT NOT NULL,  -- JSON: ["2026-12-25", ...]
  updated_by BIGINT NOT NULL REFERENCES users (id),
  updated_at TEXT NOT NULL
);

-- One row per slot that has ever been booked. Booking takes a place with one conditional
-- UPDATE (booked < capacity), which the row lock (PostgreSQL) or the single writer (SQLite)
-- makes atomic: two requests can never both take the last place.
CREATE TABLE visit_slots (
  listing_id BIGINT NOT NULL REFERENCES listings (id),
  start_at TEXT NOT NULL,
  capacity BIGINT NOT NULL,
  booked BIGINT NOT NULL DEFAULT 0 CHECK (booked >= 0),
  PRIMARY KEY (listing_id, start_at)
);

CREATE TABLE visits (
  id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  listing_id BIGINT NOT NULL REFERENCES listings (id),
  lister_id BIGINT NOT NULL REFERENCES users (id),  -- the listing's owner when booked
  seeker_id BIGINT NOT NULL REFERENCES users (id),
  start_at TEXT NOT NULL,
  end_at TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('booked', 'cancelled', 'visited', 'no_show')),
  note TEXT NOT NULL DEFAULT '',
  ical_uid TEXT NOT NULL UNIQUE,            -- the calendar invite's UID, for every version
  ical_sequence BIGINT NOT NULL DEFAULT 0,  -- bumped by each reschedule and the cancellation
  cancelled_by TEXT CHECK (cancelled_by IN ('seeker', 'lister')),
  cancel_reason TEXT NOT NULL DEFAULT '',
  reschedule_reason TEXT NOT NULL DEFAULT '',
  outcome_at TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
-- A seeker holds at most one live booking of a listing's slot.
CREATE UNIQUE INDEX visits_one_per_seeker_slot ON visits (listing_id, seeker_id, start_at)
  WHERE status = 'booked';
CREATE INDEX visits_by_seeker ON visits (seeker_id, start_at);
CREATE INDEX visits_by_lister ON visits (lister_id, start_at);

-- What happened to a visit, and why: booked, rescheduled, cancelled, visited, no_show.
CREATE TABLE visit_events (
  id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  visit_id BIGINT NOT NULL REFERENCES visits (id),
  actor_id BIGINT NOT NULL,
  action TEXT NOT NULL,
  from_start TEXT,
  to_start TEXT,
  reason TEXT NOT NULL DEFAULT '',
  at TEXT NOT NULL
);
CREATE INDEX visit_events_visit ON visit_events (visit_id, id);
