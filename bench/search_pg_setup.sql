-- What a PostgreSQL-backed portal would index for the search mix of bench/search_vs_postgres.sh,
-- and the table of query parameters that both sides draw from.
CREATE INDEX IF NOT EXISTS bench_city_tx_price ON listings (city_id, transaction_type, price, id)
  WHERE status = 'active' AND deleted_at IS NULL;
CREATE INDEX IF NOT EXISTS bench_city_locality_bhk ON listings (city_id, locality_id, bhk, price)
  WHERE status = 'active' AND deleted_at IS NULL;
CREATE INDEX IF NOT EXISTS bench_city_published ON listings (city_id, transaction_type, published_at DESC, id)
  WHERE status = 'active' AND deleted_at IS NULL;
CREATE INDEX IF NOT EXISTS bench_geo ON listings (latitude, longitude)
  WHERE status = 'active' AND deleted_at IS NULL;
CREATE INDEX IF NOT EXISTS bench_city_bhk_published ON listings (city_id, bhk, published_at DESC)
  WHERE status = 'active' AND deleted_at IS NULL;
CREATE TABLE IF NOT EXISTS bench_params (
  n INT PRIMARY KEY, city_id BIGINT, locality_id BIGINT, lat DOUBLE PRECISION,
  lng DOUBLE PRECISION, price_min BIGINT, price_max BIGINT);
TRUNCATE bench_params;
