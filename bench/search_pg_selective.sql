-- A selective page: one locality, 2 BHK resale in a budget, cheapest first.
\set n random(1, 40)
SELECT l.id, l.price, l.title FROM listings l JOIN bench_params p ON p.n = :n
 WHERE l.status = 'active' AND l.deleted_at IS NULL AND l.city_id = p.city_id AND l.locality_id = p.locality_id AND l.bhk = 2
   AND l.transaction_type = 'sale_resale' AND l.price BETWEEN p.price_min AND p.price_max
 ORDER BY l.price, l.id LIMIT 20;
SELECT count(*) FROM listings l JOIN bench_params p ON p.n = :n
 WHERE l.status = 'active' AND l.deleted_at IS NULL AND l.city_id = p.city_id AND l.locality_id = p.locality_id AND l.bhk = 2
   AND l.transaction_type = 'sale_resale' AND l.price BETWEEN p.price_min AND p.price_max;
SELECT l.bhk, count(*) FROM listings l JOIN bench_params p ON p.n = :n
 WHERE l.status = 'active' AND l.deleted_at IS NULL AND l.city_id = p.city_id AND l.locality_id = p.locality_id
   AND l.transaction_type = 'sale_resale' AND l.price BETWEEN p.price_min AND p.price_max
 GROUP BY l.bhk;
SELECT l.property_type, count(*) FROM listings l JOIN bench_params p ON p.n = :n
 WHERE l.status = 'active' AND l.deleted_at IS NULL AND l.city_id = p.city_id AND l.locality_id = p.locality_id AND l.bhk = 2
   AND l.transaction_type = 'sale_resale' AND l.price BETWEEN p.price_min AND p.price_max
 GROUP BY l.property_type;
SELECT l.furnishing, count(*) FROM listings l JOIN bench_params p ON p.n = :n
 WHERE l.status = 'active' AND l.deleted_at IS NULL AND l.city_id = p.city_id AND l.locality_id = p.locality_id AND l.bhk = 2
   AND l.transaction_type = 'sale_resale' AND l.price BETWEEN p.price_min AND p.price_max
 GROUP BY l.furnishing;
