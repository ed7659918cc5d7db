-- What a PostgreSQL-backed portal would index for the search mix of bench/search_vs_postgres.sh
-- (covering indexes, so that totals and facets can be answered from the index alone once
-- VACUUM has set the visibility map), and the table of query parameters that both sides draw
-- from (pgbench reads a row with \gset).
CREATE INDEX IF NOT EXISTS bench_city_tx_price ON listings (city_id, transaction_type, price, id)
  INCLUDE (locality_id, bhk, property_type, furnishing, published_at, amenities)
  WHERE status = 'active' AND deleted_at IS NULL;
CREATE INDEX IF NOT EXISTS bench_city_locality_bhk ON listings (city_id, locality_id, bhk, price)
  INCLUDE (transaction_type, property_type, furnishing)
  WHERE status = 'active' AND deleted_at IS NULL;
CREATE INDEX IF NOT EXISTS bench_city_published ON listings (city_id, transaction_type, published_at DESC, id)
  INCLUDE (bhk, property_type, furnishing)
  WHERE status = 'active' AND deleted_at IS NULL;
CREATE INDEX IF NOT EXISTS bench_geo ON listings (latitude, longitude)
  INCLUDE (bhk, property_type, furnishing)
  WHERE status = 'active' AND deleted_at IS NULL;
CREATE INDEX IF NOT EXISTS bench_city_bhk_published ON listings (city_id, bhk, published_at DESC)
  INCLUDE (amenities, property_type, furnishing)
  WHERE status = 'active' AND deleted_at IS NULL;
CREATE TABLE IF NOT EXISTS bench_params (
  n INT PRIMARY KEY, city_id BIGINT, locality_id BIGINT, lat DOUBLE PRECISION,
  lng DOUBLE PRECISION, price_min BIGINT, price_max BIGINT);
TRUNCATE bench_params;
