-- Listings, their audit trail and their pending edits. Timestamps are UTC ISO-8601 text.
CREATE TABLE listings (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  owner_id INTEGER NOT NULL REFERENCES users (id),
  status TEXT NOT NULL CHECK (status IN ('draft', 'pending_review', 'active', 'rejected', 'sold',
                                         'rented', 'withdrawn', 'expired')),
  posted_by TEXT NOT NULL CHECK (posted_by IN ('owner', 'agent', 'builder')),
  featured INTEGER NOT NULL DEFAULT 0,
  verified INTEGER NOT NULL DEFAULT 0,
  rejection_reason TEXT NOT NULL DEFAULT '',
  transaction_type TEXT,
  property_type TEXT,
  title TEXT,
  description TEXT,
  bhk INTEGER,
  bathrooms INTEGER,
  balconies INTEGER,
  carpet_area_sqft INTEGER,
  built_up_area_sqft INTEGER,
  super_built_up_area_sqft INTEGER,
  plot_area_sqyd INTEGER,
  price INTEGER,
  security_deposit INTEGER,
  maintenance_monthly INTEGER,
  brokerage INTEGER,
  furnishing TEXT,
  possession TEXT,
  possession_date TEXT,
  age_years INTEGER,
  facing TEXT,
  floor INTEGER,
  total_floors INTEGER,
  parking_covered INTEGER,
  parking_open INTEGER,
  tenant_preference TEXT,
  pets_allowed INTEGER,
  city_id INTEGER,
  locality_id INTEGER,
  project_name TEXT,
  pincode TEXT,
  latitude REAL,
  longitude REAL,
  rera_number TEXT,
  virtual_tour_url TEXT,
  video_url TEXT,
  amenities INTEGER NOT NULL DEFAULT 0,
  photo_count INTEGER NOT NULL DEFAULT 0,
  version INTEGER NOT NULL DEFAULT 1,
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
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  listing_id INTEGER NOT NULL REFERENCES listings (id),
  actor_id INTEGER,
  at TEXT NOT NULL,
  from_status TEXT,
  to_status TEXT NOT NULL,
  reason TEXT NOT NULL DEFAULT ''
);
CREATE INDEX listing_events_listing ON listing_events (listing_id, id);

-- An edit to an active listing that waits for review while the approved version stays live.
CREATE TABLE listing_revisions (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  listing_id INTEGER NOT NULL REFERENCES listings (id),
  patch TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'rejected', 'superseded')),
  created_at TEXT NOT NULL,
  decided_at TEXT,
  decided_by INTEGER,
  reason TEXT NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX listing_revisions_one_pending ON listing_revisions (listing_id)
  WHERE status = 'pending';
