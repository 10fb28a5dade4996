-- a gateway's batched lookup: POST /agent/v1/desired with 10,000 random agents of the fleet (AGENTS) per call
local agents = tonumber(os.getenv("AGENTS") or "1000000")
local token = os.getenv("TOKEN")
local bodies = {}
local next_body = 1
for b = 1, 16 do
  local ids = {}
  for i = 1, 10000 do ids[i] = '"a-' .. math.random(0, agents - 1) .. '"' end
  bodies[b] = '{"agentIds":[' .. table.concat(ids, ",") .. ']}'
end
request = function()
  next_body = next_body % #bodies + 1
  return wrk.format("POST", "/agent/v1/desired",
    { ["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json" }, bodies[next_body])
end
-- answered: calls answered 2xx/3xx (a 429 or any other refusal is counted apart)
done = function(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local answered = summary.requests - summary.errors.status
  io.write(string.format("RESULT %.0f req/s answered, %.0f agents/s, p50 %.2f ms, p99 %.2f ms, non-2xx/3xx %d\n",
    answered / seconds, 10000 * answered / seconds, latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    summary.errors.status))
end
