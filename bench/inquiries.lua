-- wrk script for bench/inquiries.sh: signed-in seekers (INQ_TOKENS, comma-separated bearer
-- tokens) send inquiries on random active listings (INQ_LISTINGS, comma-separated ids).
-- A seeker writing again on a listing within 24 hours updates that lead (200) instead of
-- making a new one (201); both are counted as inquiries.
local function split(s)
  local out = {}
  for item in string.gmatch(s, "[^,]+") do out[#out + 1] = item end
  return out
end

local tokens = split(os.getenv("INQ_TOKENS"))
local listings = split(os.getenv("INQ_LISTINGS"))
local times = {"morning", "afternoon", "evening", "anytime"}

math.randomseed(os.time())

request = function()
  local token = tokens[math.random(1, #tokens)]
  local listing = listings[math.random(1, #listings)]
  local body = '{"message":"Is this still available? I would like to visit this weekend.",'
    .. '"preferred_contact_time":"' .. times[math.random(1, #times)] .. '"}'
  return wrk.format("POST", "/api/v1/listings/" .. listing .. "/inquiries",
    {["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json"}, body)
end
