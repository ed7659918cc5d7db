-- A broad page: every rental in a city, newest first.
\set n random(1, 40)
-- Literal values for the planner, as a portal's own queries would have.
SELECT city_id AS c, locality_id AS loc, lat, lng, price_min AS pmin, price_max AS pmax
  FROM bench_params WHERE n = :n \gset
SELECT l.id, l.price, l.title FROM listings l
 WHERE l.status = 'active' AND l.deleted_at IS NULL AND l.city_id = :c AND l.transaction_type = 'rent'
 ORDER BY l.published_at DESC, l.id LIMIT 20;
SELECT count(*) FROM listings l
 WHERE l.status = 'active' AND l.deleted_at IS NULL AND l.city_id = :c AND l.transaction_type = 'rent';
SELECT l.bhk, count(*) FROM listings l
 WHERE l.status = 'active' AND l.deleted_at IS NULL AND l.city_id = :c AND l.transaction_type = 'rent' GROUP BY l.bhk;
SELECT l.property_type, count(*) FROM listings l
 WHERE l.status = 'active' AND l.deleted_at IS NULL AND l.city_id = :c AND l.transaction_type = 'rent' GROUP BY l.property_type;
SELECT l.furnishing, count(*) FROM listings l
 WHERE l.status = 'active' AND l.deleted_at IS NULL AND l.city_id = :c AND l.transaction_type = 'rent' GROUP BY l.furnishing;
