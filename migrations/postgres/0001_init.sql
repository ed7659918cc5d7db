-- Facts about this installation itself, e.g. that the demo data has been seeded.
CREATE TABLE app_meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
