-- wrk script: one agency asking the portal about one person (POST with a
-- purpose), or about BATCH persons per request when BATCH is set.
-- Environment: AGENCY (the key), NN (a national number), BATCH (optional).
local key = os.getenv("AGENCY")
local nn = os.getenv("NN")
local batch = tonumber(os.getenv("BATCH") or "0")
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. key
if batch > 0 then
  local persons = {}
  for i = 1, batch do
    persons[i] = '{"national_number":"' .. nn .. '"}'
  end
  wrk.body = '{"purpose":"load test of the agency portal","persons":[' .. table.concat(persons, ",") .. ']}'
else
  wrk.body = '{"purpose":"load test of the agency portal","person":{"national_number":"' .. nn .. '"}}'
end
