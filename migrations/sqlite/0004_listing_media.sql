-- A listing's photos and floor plans. The image files live in the media store under
-- `storage_key` (random, so the public URLs cannot be guessed); this table orders them.
CREATE TABLE listing_media (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  listing_id INTEGER NOT NULL REFERENCES listings (id),
  kind TEXT NOT NULL CHECK (kind IN ('photo', 'floor_plan')),
  sort_order INTEGER NOT NULL,
  cover INTEGER NOT NULL DEFAULT 0,
  storage_key TEXT NOT NULL UNIQUE,
  width INTEGER NOT NULL,
  height INTEGER NOT NULL,
  created_at TEXT NOT NULL
);
CREATE INDEX listing_media_listing ON listing_media (listing_id, sort_order);
