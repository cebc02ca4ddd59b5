-- wrk script for scripts/load.sh: POSTs transitions, each thread on cases
-- of its own (CASES names a file of "REFERENCE ORDINAL" lines), taken in
-- turn; each case alternates verify_member and reopen_member on one
-- pending member, so with every request answered the cycle never breaks.
local threads = {}
local counter = 0

function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
  table.insert(threads, thread)
end

function init(args)
  local nthreads = tonumber(os.getenv("THREADS") or "2")
  token = os.getenv("TOKEN")
  cases = {}
  local i = 0
  for line in io.lines(os.getenv("CASES")) do
    local ref, ordinal = line:match("^(%S+)%s+(%d+)")
    if ref and i % nthreads == id then
      table.insert(cases, { ref = ref, member = tonumber(ordinal), visits = 0 })
    end
    i = i + 1
  end
  next_case = 1
end

function request()
  local case = cases[next_case]
  next_case = next_case % #cases + 1
  local body
  if case.visits % 2 == 0 then
    body = string.format('{"action":"verify_member","member":%d}', case.member)
  else
    body = string.format('{"action":"reopen_member","member":%d,"fields":{"reason":"load"}}', case.member)
  end
  case.visits = case.visits + 1
  return wrk.format("POST", "/api/applications/" .. case.ref .. "/transitions",
    { ["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json" }, body)
end

-- The first refusal each thread saw, printed at the end.
function response(status, headers, body)
  if status >= 300 and not first_error then
    first_error = status .. " " .. string.sub(body, 1, 300)
  end
end

function done(summary, latency, requests)
  for _, thread in ipairs(threads) do
    local e = thread:get("first_error")
    if e then io.write("first refusal: " .. e .. "\n") end
  end
end
