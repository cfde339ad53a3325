-- wrk: write-offs of 0.01 points, each with its own Idempotency-Key, spread over the
-- first `span` demo clients. Args: first_client span token nonce.
-- Prints one line for bench.sh: accepted, refused, other, p50/p99/p99.9 in microseconds.
local threads = {}

function setup(thread)
  thread:set("tid", #threads)
  table.insert(threads, thread)
end

function init(args)
  first = tonumber(args[1])
  span = tonumber(args[2])
  token = args[3]
  nonce = args[4]
  n, accepted, refused, other = 0, 0, 0, 0
end

function request()
  n = n + 1
  local client = first + (n * 7919 + tid * 104729) % span
  return wrk.format("POST", "/ext/api/v1/clients/" .. client .. "/balance/write_off", {
    ["Content-Type"] = "application/json",
    ["Authorization"] = "Bearer " .. token,
    ["Idempotency-Key"] = nonce .. "-" .. tid .. "-" .. n,
  }, '{"balance":[{"currency":"points","amount":0.01}]}')
end

function response(status)
  if status == 200 then
    accepted = accepted + 1
  elseif status == 422 then
    refused = refused + 1
  else
    other = other + 1
  end
end

function done(summary, latency, requests)
  local a, r, o = 0, 0, 0
  for _, t in ipairs(threads) do
    a = a + t:get("accepted")
    r = r + t:get("refused")
    o = o + t:get("other")
  end
  io.write(string.format("RESULT accepted=%d refused=%d other=%d p50=%d p99=%d p999=%d\n",
    a, r, o, latency:percentile(50), latency:percentile(99), latency:percentile(99.9)))
end
