-- Unleash's frontend API evaluating the gradual-rollout flag for random agents of the fleet (AGENTS, default 1,000,000)
local token = os.getenv("UNLEASH_TOKEN")
local agents = tonumber(os.getenv("AGENTS") or "1000000")
request = function()
  return wrk.format("GET", "/api/frontend?userId=a-" .. math.random(0, agents - 1), { ["Authorization"] = token })
end
-- answered: calls answered 2xx/3xx (a 429 or any other refusal is counted apart)
done = function(summary, latency, requests)
  local seconds = summary.duration / 1e6
  io.write(string.format("RESULT %.0f req/s answered, p50 %.2f ms, p99 %.2f ms, non-2xx/3xx %d\n",
    (summary.requests - summary.errors.status) / seconds, latency:percentile(50) / 1000,
    latency:percentile(99) / 1000, summary.errors.status))
end
