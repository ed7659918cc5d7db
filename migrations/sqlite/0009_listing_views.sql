-- How often each listing's public page was read: counted in memory, added here in batches.
CREATE TABLE listing_views (
  listing_id INTEGER PRIMARY KEY REFERENCES listings (id),
  views INTEGER NOT NULL DEFAULT 0
);
