-- Listings, their audit trail and their pending edits. Timestamps are UTC ISO-8601 text.
CREATE TABLE listings (
  id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  owner_id BIGINT NOT NULL REFERENCES users (id),
  status TEXT NOT NULL CHECK (status IN ('draft', 'pending_review', 'active', 'rejected', 'sold',
                                         'rented', 'withdrawn', 'expired')),
  posted_by TEXT NOT NULL CHECK (posted_by IN ('owner', 'agent', 'builder')),
  featured BOOLEAN NOT NULL DEFAULT FALSE,
  verified BOOLEAN NOT NULL DEFAULT FALSE,
  rejection_reason TEXT NOT NULL DEFAULT '',
  transaction_type TEXT,
  property_type TEXT,
  title TEXT,
  description TEXT,
  bhk BIGINT,
  bathrooms BIGINT,
  balconies BIGINT,
  carpet_area_sqft BIGINT,
  built_up_area_sqft BIGINT,
  super_built_up_area_sqft BIGINT,
  plot_area_sqyd BIGINT,
  price BIGINT,
  security_deposit BIGINT,
  maintenance_monthly BIGINT,
  brokerage BIGINT,
  furnishing TEXT,
  possession TEXT,
  possession_date TEXT,
  age_years BIGINT,
  facing TEXT,
  floor BIGINT,
  total_floors BIGINT,
  parking_covered BIGINT,
  parking_open BIGINT,
  tenant_preference TEXT,
  pets_allowed BOOLEAN,
  city_id BIGINT,
  locality_id BIGINT,
  project_name TEXT,
  pincode TEXT,
  latitude DOUBLE PRECISION,
  longitude DOUBLE PRECISION,
  rera_number TEXT,
  virtual_tour_url TEXT,
  video_url TEXT,
  amenities BIGINT NOT NULL DEFAULT 0,
  photo_count BIGINT NOT NULL DEFAULT 0,
  version BIGINT NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  submitted_at TEXT,
  published_at TEXT,
  expires_at TEXT,
  deleted_at TEXT
);
CREATE INDEX listings_owner ON listings (owner_id, id);
CREATE INDEX listings_status ON listings (status, submitted_at, id);
CREATE INDEX listings_expiry ON listings (expires_at) WHERE status = 'active';

CREATE TABLE listing_events (
  id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  listing_id BIGINT NOT NULL REFERENCES listings (id),
  actor_id BIGINT,
  at TEXT NOT NULL,
  from_status TEXT,
  to_status TEXT NOT NULL,
  reason TEXT NOT NULL DEFAULT ''
);
CREATE INDEX listing_events_listing ON listing_events (listing_id, id);

-- An edit to an active listing that waits for review while the approved version stays live.
CREATE TABLE listing_revisions (
  id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  listing_id BIGINT NOT NULL REFERENCES listings (id),
  patch TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'rejected', 'superseded')),
  created_at TEXT NOT NULL,
  decided_at TEXT,
  decided_by BIGINT,
  reason TEXT NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX listing_revisions_one_pending ON listing_revisions (listing_id)
  WHERE status = 'pending';
