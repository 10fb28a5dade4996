-- an agent's own poll: GET /agent/v1/agents/{id}/desired for random agents of the fleet (AGENTS, PREFIX), each
-- with its own token; with ETAG set, a conditional poll (If-None-Match)
local etag = os.getenv("ETAG")
if etag == "" then etag = nil end
local agents = tonumber(os.getenv("AGENTS") or "100000")
local prefix = os.getenv("PREFIX") or "p-"
local format = os.getenv("IDFORMAT") -- e.g. cp-agent-%09d
request = function()
  local n = math.random(0, agents - 1)
  local id = format and string.format(format, n) or prefix .. n
  local headers = { ["Authorization"] = "Bearer dev-agent-" .. id }
  if etag then headers["If-None-Match"] = etag end
  return wrk.format("GET", "/agent/v1/agents/" .. id .. "/desired", headers)
end
-- answered: calls answered 2xx/3xx (a 429 or any other refusal is counted apart)
done = function(summary, latency, requests)
  local seconds = summary.duration / 1e6
  io.write(string.format("RESULT %.0f req/s answered, p50 %.2f ms, p99 %.2f ms, non-2xx/3xx %d\n",
    (summary.requests - summary.errors.status) / seconds, latency:percentile(50) / 1000,
    latency:percentile(99) / 1000, summary.errors.status))
end
