-- A listing's photos and floor plans. The image files live in the media store under
-- `storage_key` (random, so the public URLs cannot be guessed); this table orders them.
CREATE TABLE listing_media (
  id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  listing_id BIGINT NOT NULL REFERENCES listings (id),
  kind TEXT NOT NULL CHECK (kind IN ('photo', 'floor_plan')),
  sort_order BIGINT NOT NULL,
  cover BOOLEAN NOT NULL DEFAULT FALSE,
  storage_key TEXT NOT NULL UNIQUE,
  width BIGINT NOT NULL,
  height BIGINT NOT NULL,
  created_at TEXT NOT NULL
);
CREATE INDEX listing_media_listing ON listing_media (listing_id, sort_order);
