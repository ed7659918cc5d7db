-- Facts about this installation itself, e.g. that the demo data has been seeded.
-- NOT NULL on the key because SQLite, unlike PostgreSQL, lets a TEXT PRIMARY KEY be NULL.
CREATE TABLE app_meta (
  key   TEXT PRIMARY KEY NOT NULL,
  value TEXT NOT NULL
);
