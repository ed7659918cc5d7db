-- A broad page: every rental in a city, newest first.
\set n random(1, 40)
SELECT l.id, l.price, l.title FROM listings l JOIN bench_params p ON p.n = :n
 WHERE l.status = 'active' AND l.deleted_at IS NULL AND l.city_id = p.city_id AND l.transaction_type = 'rent'
 ORDER BY l.published_at DESC, l.id LIMIT 20;
SELECT count(*) FROM listings l JOIN bench_params p ON p.n = :n
 WHERE l.status = 'active' AND l.deleted_at IS NULL AND l.city_id = p.city_id AND l.transaction_type = 'rent';
SELECT l.bhk, count(*) FROM listings l JOIN bench_params p ON p.n = :n
 WHERE l.status = 'active' AND l.deleted_at IS NULL AND l.city_id = p.city_id AND l.transaction_type = 'rent' GROUP BY l.bhk;
SELECT l.property_type, count(*) FROM listings l JOIN bench_params p ON p.n = :n
 WHERE l.status = 'active' AND l.deleted_at IS NULL AND l.city_id = p.city_id AND l.transaction_type = 'rent' GROUP BY l.property_type;
SELECT l.furnishing, count(*) FROM listings l JOIN bench_params p ON p.n = :n
 WHERE l.status = 'active' AND l.deleted_at IS NULL AND l.city_id = p.city_id AND l.transaction_type = 'rent' GROUP BY l.furnishing;
