-- wrk script for bench/bookings.sh: signed-in seekers (BOOK_TOKENS, comma-separated bearer
-- tokens) book site visits. Spread (BOOK_HOT unset): a random listing among BOOK_LISTINGS, a
-- random day 2..BOOK_DAYS+1 ahead and a random 15-minute slot of its 08:00-20:00 (IST) hours,
-- so nearly every request takes a place. Hot (BOOK_HOT=1): every request goes for the same
-- slot of the first listing, so after its few places are gone the rest are refused (409).
local function split(s)
  local out = {}
  for item in string.gmatch(s, "[^,]+") do out[#out + 1] = item end
  return out
end

local tokens = split(os.getenv("BOOK_TOKENS"))
local listings = split(os.getenv("BOOK_LISTINGS"))
local base = tonumber(os.getenv("BOOK_BASE")) -- 08:00 IST today, as a Unix time
local days = tonumber(os.getenv("BOOK_DAYS") or "50")
local hot = os.getenv("BOOK_HOT") == "1"

math.randomseed(os.time())

request = function()
  local token = tokens[math.random(1, #tokens)]
  local listing, start
  if hot then
    listing, start = listings[1], base + 2 * 86400
  else
    listing = listings[math.random(1, #listings)]
    start = base + math.random(2, days + 1) * 86400 + math.random(0, 47) * 900
  end
  local body = '{"start":"' .. os.date("!%Y-%m-%dT%H:%M:%SZ", start) .. '","note":"bench"}'
  return wrk.format("POST", "/api/v1/listings/" .. listing .. "/visits",
    {["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json"}, body)
end
