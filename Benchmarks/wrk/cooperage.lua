-- wrk script for the Cooperage benchmark (Benchmarks/run). One script, three request kinds:
--
--   wrk -t2 -c32 -d20s -s cooperage.lua http://127.0.0.1:PORT -- MODE DATAFILE [RATE] [CONNECTIONS]
--
-- MODE      usage     POST /v1/usage: a one-line purchase order under an approved authorization
--           authorize POST /v1/authorizations: a piggyback request on one of the tenant's agreements
--           mixed     usage or authorize, at random (the memory scenario)
--           report    GET the path in the 5th argument with the finance token (first line of DATAFILE)
--           page      GET the console page in the 5th argument with the session cookie (first line of DATAFILE)
-- DATAFILE  lines "token,authorization id,agreement id,category" (many tenants; a random line per request)
-- RATE      0 = closed loop (each connection sends as soon as it has its answer); > 0 = about RATE
--           requests/s in all, by pausing each connection a random time averaging CONNECTIONS / RATE
--           (wrk2-style pacing without wrk2; the achieved rate is reported, latency is measured from send)
--
-- Every request gets a unique PO number and Idempotency-Key from thread id, a per-thread counter, the
-- start time and a random number. Responses are counted by status: any non-2xx, or any socket error or
-- timeout, makes the harness fail the scenario; the first few non-2xx bodies are printed.
-- Prints one machine-readable line: RESULT key=value ...

local threads = {}
local next_tid = 0

function setup(thread)
  next_tid = next_tid + 1
  thread:set("tid", next_tid)
  table.insert(threads, thread)
end

local rows = {}
local mode
local report_path
local prefix
local counter = 0
ok2xx = 0
non2xx = 0
samples = ""
local sample_count = 0

local function split(line)
  local fields = {}
  for field in string.gmatch(line, "([^,]*)") do
    if field ~= "" then table.insert(fields, field) end
  end
  return fields
end

function init(args)
  mode = args[1]
  local file = args[2]
  local rate = tonumber(args[3] or "0") or 0
  local connections = tonumber(args[4] or "1") or 1
  report_path = args[5]
  for line in io.lines(file) do
    local f = split(line)
    if #f >= 1 then
      table.insert(rows, { token = f[1], authorization = f[2], agreement = f[3], category = f[4] })
    end
  end
  if #rows == 0 then error("no rows in " .. file) end
  math.randomseed(os.time() * 7919 + (tid or 0) * 104729)
  prefix = string.format("%s%d-%d-%d", string.sub(mode, 1, 1), tid or 0, os.time(), math.random(1, 999999999))
  if rate > 0 then
    local mean_ms = connections / rate * 1000
    delay = function() return math.random() * 2 * mean_ms end
  end
end

function request()
  counter = counter + 1
  local r = rows[math.random(#rows)]
  local unique = prefix .. "-" .. counter
  local kind = mode
  if mode == "mixed" then
    if math.random() < 0.5 then kind = "usage" else kind = "authorize" end
  end
  if kind == "usage" then
    local amount = math.random(100, 99999)
    local body = string.format(
      '{"authorizationId":"%s","poNumber":"PO-%s","orderDate":"2026-12-15","amountCents":%d,' ..
      '"lines":[{"description":"Bench load item","unspsc":"%s","quantity":1,"unitPriceCents":%d}]}',
      r.authorization, unique, amount, r.category, amount)
    return wrk.format("POST", "/v1/usage", {
      ["Authorization"] = "Bearer " .. r.token,
      ["Content-Type"] = "application/json",
      ["Idempotency-Key"] = "key-" .. unique,
    }, body)
  elseif kind == "authorize" then
    local body = string.format(
      '{"agreementId":"%s","amountCents":%d,"purchaseDate":"2026-12-15","category":"%s",' ..
      '"purpose":"Bench load: replacement equipment for the operations department"}',
      r.agreement, math.random(10000, 2000000), r.category)
    return wrk.format("POST", "/v1/authorizations", {
      ["Authorization"] = "Bearer " .. r.token,
      ["Content-Type"] = "application/json",
      ["Idempotency-Key"] = "key-" .. unique,
    }, body)
  elseif kind == "page" then
    return wrk.format("GET", report_path, { ["Cookie"] = "cooperage_session=" .. r.token })
  else
    return wrk.format("GET", report_path, { ["Authorization"] = "Bearer " .. r.token })
  end
end

function response(status, headers, body)
  if status >= 200 and status < 300 then
    ok2xx = ok2xx + 1
  else
    non2xx = non2xx + 1
    if sample_count < 3 then
      sample_count = sample_count + 1
      samples = samples .. "  HTTP " .. status .. ": " .. string.sub(body or "", 1, 400) .. "\n"
    end
  end
end

function done(summary, latency, requests)
  local ok, bad, text = 0, 0, ""
  for _, thread in ipairs(threads) do
    ok = ok + (thread:get("ok2xx") or 0)
    bad = bad + (thread:get("non2xx") or 0)
    text = text .. (thread:get("samples") or "")
  end
  local e = summary.errors
  local errors = e.connect + e.read + e.write + e.timeout
  local seconds = summary.duration / 1e6
  io.write(string.format(
    "RESULT requests=%d ok2xx=%d non2xx=%d errors=%d connect=%d read=%d write=%d timeout=%d duration_s=%.3f rps=%.1f " ..
    "p50_ms=%.3f p90_ms=%.3f p99_ms=%.3f max_ms=%.3f mean_ms=%.3f\n",
    summary.requests, ok, bad, errors, e.connect, e.read, e.write, e.timeout, seconds, summary.requests / seconds,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000, latency.mean / 1000))
  if text ~= "" then io.write("NON2XX samples:\n" .. text) end
end
