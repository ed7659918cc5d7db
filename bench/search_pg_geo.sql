-- A geo page: 2 and 3 BHK within 3 km of a locality's centre, nearest first (a bounding box
-- the index can use, then the exact distance).
\set n random(1, 40)
-- Literal values for the planner, as a portal's own queries would have.
SELECT city_id AS c, locality_id AS loc, lat, lng, price_min AS pmin, price_max AS pmax
  FROM bench_params WHERE n = :n \gset
SELECT l.id, l.price, l.title FROM listings l
 WHERE l.status = 'active' AND l.deleted_at IS NULL AND l.bhk IN (2, 3) AND l.latitude BETWEEN :lat - 0.027 AND :lat + 0.027 AND l.longitude BETWEEN :lng - 0.035 AND :lng + 0.035 AND 2 * 6371000 * asin(sqrt(power(sin(radians(l.latitude - :lat) / 2), 2) + cos(radians(:lat)) * cos(radians(l.latitude)) * power(sin(radians(l.longitude - :lng) / 2), 2))) <= 3000
 ORDER BY 2 * 6371000 * asin(sqrt(power(sin(radians(l.latitude - :lat) / 2), 2) + cos(radians(:lat)) * cos(radians(l.latitude)) * power(sin(radians(l.longitude - :lng) / 2), 2))), l.id LIMIT 20;
SELECT count(*) FROM listings l
 WHERE l.status = 'active' AND l.deleted_at IS NULL AND l.bhk IN (2, 3) AND l.latitude BETWEEN :lat - 0.027 AND :lat + 0.027 AND l.longitude BETWEEN :lng - 0.035 AND :lng + 0.035 AND 2 * 6371000 * asin(sqrt(power(sin(radians(l.latitude - :lat) / 2), 2) + cos(radians(:lat)) * cos(radians(l.latitude)) * power(sin(radians(l.longitude - :lng) / 2), 2))) <= 3000;
SELECT l.bhk, count(*) FROM listings l
 WHERE l.status = 'active' AND l.deleted_at IS NULL AND l.latitude BETWEEN :lat - 0.027 AND :lat + 0.027 AND l.longitude BETWEEN :lng - 0.035 AND :lng + 0.035 AND 2 * 6371000 * asin(sqrt(power(sin(radians(l.latitude - :lat) / 2), 2) + cos(radians(:lat)) * cos(radians(l.latitude)) * power(sin(radians(l.longitude - :lng) / 2), 2))) <= 3000 GROUP BY l.bhk;
SELECT l.property_type, count(*) FROM listings l
 WHERE l.status = 'active' AND l.deleted_at IS NULL AND l.bhk IN (2, 3) AND l.latitude BETWEEN :lat - 0.027 AND :lat + 0.027 AND l.longitude BETWEEN :lng - 0.035 AND :lng + 0.035 AND 2 * 6371000 * asin(sqrt(power(sin(radians(l.latitude - :lat) / 2), 2) + cos(radians(:lat)) * cos(radians(l.latitude)) * power(sin(radians(l.longitude - :lng) / 2), 2))) <= 3000 GROUP BY l.property_type;
SELECT l.furnishing, count(*) FROM listings l
 WHERE l.status = 'active' AND l.deleted_at IS NULL AND l.bhk IN (2, 3) AND l.latitude BETWEEN :lat - 0.027 AND :lat + 0.027 AND l.longitude BETWEEN :lng - 0.035 AND :lng + 0.035 AND 2 * 6371000 * asin(sqrt(power(sin(radians(l.latitude - :lat) / 2), 2) + cos(radians(:lat)) * cos(radians(l.latitude)) * power(sin(radians(l.longitude - :lng) / 2), 2))) <= 3000 GROUP BY l.furnishing;
