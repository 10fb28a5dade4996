-- random agents of a 100,000-agent fleet, each with its own token; ETAG set: a conditional poll
local etag = os.getenv("ETAG")
request = function()
  local id = "p-" .. math.random(0, 99999)
  local headers = { ["Authorization"] = "Bearer dev-agent-" .. id }
  if etag then headers["If-None-Match"] = etag end
  return wrk.format("GET", "/agent/v1/agents/" .. id .. "/desired", headers)
end
done = function(summary, latency, requests)
  io.write(string.format("RESULT %.0f req/s, p50 %.2f ms, p99 %.2f ms, non-2xx/3xx %d\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    summary.errors.status))
end
