-- An amenity page: 2 and 3 BHK in a city with a gym, a pool and a lift (bits 4, 5 and 0),
-- newest first.
\set n random(1, 40)
SELECT l.id, l.price, l.title FROM listings l JOIN bench_params p ON p.n = :n
 WHERE l.status = 'active' AND l.deleted_at IS NULL AND l.city_id = p.city_id AND l.bhk IN (2, 3) AND (l.amenities & 49) = 49
 ORDER BY l.published_at DESC, l.id LIMIT 20;
SELECT count(*) FROM listings l JOIN bench_params p ON p.n = :n
 WHERE l.status = 'active' AND l.deleted_at IS NULL AND l.city_id = p.city_id AND l.bhk IN (2, 3) AND (l.amenities & 49) = 49;
SELECT l.bhk, count(*) FROM listings l JOIN bench_params p ON p.n = :n
 WHERE l.status = 'active' AND l.deleted_at IS NULL AND l.city_id = p.city_id AND (l.amenities & 49) = 49 GROUP BY l.bhk;
SELECT l.property_type, count(*) FROM listings l JOIN bench_params p ON p.n = :n
 WHERE l.status = 'active' AND l.deleted_at IS NULL AND l.city_id = p.city_id AND l.bhk IN (2, 3) AND (l.amenities & 49) = 49 GROUP BY l.property_type;
SELECT l.furnishing, count(*) FROM listings l JOIN bench_params p ON p.n = :n
 WHERE l.status = 'active' AND l.deleted_at IS NULL AND l.city_id = p.city_id AND l.bhk IN (2, 3) AND (l.amenities & 49) = 49 GROUP BY l.furnishing;
