-- wrk: a shop's day at the tills, for `scripts/bench.sh soak`. Run with one connection per
-- thread (-tN -cN): a thread then has one request in flight, so it knows which request each
-- answer is to, and can follow a hold with its write-off or cancel and reverse a write-off
-- it made. Every amount is 0.01 points, so the accounting counts in hundredths.
-- Args: first_client span token nonce manager_pin.
-- Prints one line for soak.sh: the answers per kind, and the mix's p50/p99 in microseconds.
local threads = {}
local KINDS = { "search", "exact", "balance", "history", "write_off", "hold",
  "hold_write_off", "hold_cancel", "reversal" }

function setup(thread)
  thread:set("tid", #threads)
  table.insert(threads, thread)
end

function init(args)
  first = tonumber(args[1])
  span = tonumber(args[2])
  token = args[3]
  nonce = args[4]
  pin = args[5]
  math.randomseed(tid * 7919 + #nonce * 104729 + tonumber(string.match(nonce, "%d+$") or "0"))
  n = 0
  kind = nil
  hold_tx = nil -- a hold this thread made and has not yet spent or cancelled
  last_op = nil -- a write-off this thread made and has not reversed
  -- Counters are plain numbers (`ok_search`, ...): done() reads them across threads.
  for _, k in ipairs(KINDS) do
    _G["ok_" .. k], _G["refused_" .. k], _G["other_" .. k] = 0, 0, 0
  end
  first_other = ""
end

local function bump(what) _G[what .. "_" .. kind] = _G[what .. "_" .. kind] + 1 end

local function client() return first + math.random(0, span - 1) end

local function json(method, path, body, extra)
  local headers = { ["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json" }
  for k, v in pairs(extra or {}) do headers[k] = v end
  return wrk.format(method, "/ext/api/v1" .. path, headers, body)
end

local function key() return nonce .. "-" .. tid .. "-" .. n end

-- What a till sends, out of 100: finding the client by the phone's last ten digits (as the
-- console and `client find` send) most, then the card's balance, a write-off at the till,
-- the exact number, the history, a hold (followed by its write-off or cancel as the
-- receipt closes) and, now and then, a manager's reversal of a write-off.
function request()
  n = n + 1
  if hold_tx then
    local tx = hold_tx
    hold_tx = nil
    if math.random(100) <= 70 then
      kind = "hold_write_off"
      return json("POST", "/fiscal_hub/cash_back/hold/write_off/", '{"transactionId":"' .. tx .. '"}')
    end
    kind = "hold_cancel"
    return json("POST", "/fiscal_hub/cash_back/hold/cancel/", '{"transactionId":"' .. tx .. '"}')
  end
  local roll = math.random(100)
  if roll <= 3 and last_op then
    kind = "reversal"
    local op = last_op
    last_op = nil
    return json("POST", "/operations/" .. op.id .. "/reversal/",
      '{"clientId":' .. op.client .. ',"balance":[{"currency":"points","amount":0.01}],"reason":"mistake"}',
      { ["Idempotency-Key"] = key(), ["X-Manager-Pin"] = pin })
  elseif roll <= 33 then
    kind = "search"
    return json("GET", "/clients/?phone=%257912345678")
  elseif roll <= 43 then
    kind = "exact"
    return json("GET", "/clients/?phone=7912345678")
  elseif roll <= 58 then
    kind = "balance"
    return json("GET", "/clients/" .. client() .. "/balance/")
  elseif roll <= 68 then
    kind = "history"
    return json("GET", "/clients/" .. client() .. "/balance/history/?limit=50")
  elseif roll <= 78 then
    kind = "hold"
    return json("POST", "/fiscal_hub/cash_back/hold/",
      '{"clientId":' .. client() .. ',"currency":"points","amount":0.01}')
  end
  kind = "write_off"
  pending_client = client()
  return json("POST", "/clients/" .. pending_client .. "/balance/write_off/",
    '{"balance":[{"currency":"points","amount":0.01}]}', { ["Idempotency-Key"] = key() })
end

function response(status, headers, body)
  if status == 200 then
    bump("ok")
    if kind == "write_off" then
      local id = string.match(body or "", '"operationId"%s*:%s*(%d+)')
      if id then last_op = { id = id, client = pending_client } end
    elseif kind == "hold" then
      hold_tx = string.match(body or "", '"transactionId"%s*:%s*"?([%w%-]+)')
    end
  elseif status == 422 then
    bump("refused")
  else
    bump("other")
    if first_other == "" then
      first_other = string.format("%s answered %d: %s", kind, status, string.sub(body or "", 1, 200))
    end
  end
end

function done(summary, latency, requests)
  local parts = {}
  for _, k in ipairs(KINDS) do
    local a, r, o = 0, 0, 0
    for _, t in ipairs(threads) do
      a = a + t:get("ok_" .. k)
      r = r + t:get("refused_" .. k)
      o = o + t:get("other_" .. k)
    end
    table.insert(parts, string.format("%s=%d/%d/%d", k, a, r, o))
  end
  for _, t in ipairs(threads) do
    local first = t:get("first_other")
    if first ~= "" then
      io.write("OTHER " .. first .. "\n")
      break
    end
  end
  io.write(string.format("RESULT %s requests=%d p50=%d p99=%d\n", table.concat(parts, " "),
    summary.requests, latency:percentile(50), latency:percentile(99)))
end
