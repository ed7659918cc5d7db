-- Shortlists and saved searches with their email alerts (issue 5). Timestamps are UTC
-- ISO-8601 text.

-- A user's shortlisted listings. The title is kept as it was when added, so a listing that
-- leaves the market can still be named in the list (its public view is gone).
CREATE TABLE shortlist_items (
  user_id BIGINT NOT NULL REFERENCES users (id),
  listing_id BIGINT NOT NULL REFERENCES listings (id),
  title TEXT NOT NULL DEFAULT '',
  added_at TEXT NOT NULL,
  PRIMARY KEY (user_id, listing_id)
);
CREATE INDEX shortlist_items_by_user ON shortlist_items (user_id, added_at);

-- A search as GET /api/v1/search takes it, and how often new matches are emailed.
-- checked_at is the alert watermark: listings published up to it have been considered.
-- alerts_since: no listing published before it is sent (saving, or turning alerts back on).
CREATE TABLE saved_searches (
  id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  user_id BIGINT NOT NULL REFERENCES users (id),
  name TEXT NOT NULL,
  query TEXT NOT NULL,
  frequency TEXT NOT NULL CHECK (frequency IN ('instant', 'daily', 'weekly', 'off')),
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  checked_at TEXT NOT NULL,
  alerts_since TEXT NOT NULL,
  last_sent_at TEXT,
  unsubscribed_at TEXT
);
CREATE INDEX saved_searches_by_user ON saved_searches (user_id, id);
CREATE INDEX saved_searches_due ON saved_searches (frequency, checked_at);

-- The listings an alert already carried, for as long as they can fall inside a sweep's
-- window again (see src/saved/alerts.cpp): the same listing is never sent twice.
CREATE TABLE saved_search_alerted (
  saved_search_id BIGINT NOT NULL REFERENCES saved_searches (id) ON DELETE CASCADE,
  listing_id BIGINT NOT NULL,
  published_at TEXT NOT NULL,
  PRIMARY KEY (saved_search_id, listing_id)
);

-- Alert sweeps read the listings published since a saved search was last checked.
CREATE INDEX listings_published ON listings (published_at, id) WHERE status = 'active';
