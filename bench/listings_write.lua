-- wrk script for bench/listings_write.sh. LISTINGS_OP=create posts a complete draft listing;
-- LISTINGS_OP=update patches the price of a random listing among ids 1..LISTINGS_MAX_ID
-- (spread wide so that concurrent edits of one row, and so 412s, are rare).
local op = os.getenv("LISTINGS_OP")
local token = os.getenv("LISTINGS_TOKEN")
local max_id = tonumber(os.getenv("LISTINGS_MAX_ID") or "1")
local place = os.getenv("LISTINGS_PLACE") -- "city_id,locality_id"
local city, locality = place:match("(%d+),(%d+)")

wrk.headers["Authorization"] = "Bearer " .. token
wrk.headers["Content-Type"] = "application/json"

local create_body = '{"transaction":"sale_resale","property_type":"apartment",'
  .. '"title":"Bright 2 BHK in Baner","description":"A bright flat near the highway, with '
  .. 'covered parking and good light.","bhk":2,"bathrooms":2,"carpet_area_sqft":900,'
  .. '"price":9500000,"furnishing":"semi_furnished","possession":"ready","amenities":["lift","gym"],'
  .. '"city_id":' .. city .. ',"locality_id":' .. locality .. '}'

math.randomseed(os.time())

request = function()
  if op == "create" then
    return wrk.format("POST", "/api/v1/listings", nil, create_body)
  end
  local id = math.random(1, max_id)
  local price = math.random(50, 500) * 100000
  return wrk.format("PATCH", "/api/v1/listings/" .. id, nil, '{"price":' .. price .. '}')
end
