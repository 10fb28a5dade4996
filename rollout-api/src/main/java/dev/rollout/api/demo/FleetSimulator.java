package dev.rollout.api.demo;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.UUID;
import java.util.function.IntFunction;

import tools.jackson.databind.JsonNode;

/**
 * A fleet that behaves as agents would, through the real APIs: it is registered by the streaming import
 * (clusters over the 24 hourly zones), asks its desired state, acknowledges with a response rate, an error
 * rate and a latency, and its traffic figures are pushed to the gate. A fault can be injected in one batch:
 * one component fails 5% of its requests.
 */
final class FleetSimulator {

    static final String[] COMPONENTS = { "planner", "memory" };

    private final Api edge;
    private final Api agents;
    private final int size;
    private final int clusters;
    private final double responseRate;
    private final double errorRate;

    FleetSimulator(Api edge, Api agents, int size, int clusters, double responseRate, double errorRate) {
        this.edge = edge;
        this.agents = agents;
        this.size = size;
        this.clusters = clusters;
        this.responseRate = responseRate;
        this.errorRate = errorRate;
    }

    static String id(int i) {
        return String.format("agent-%09d", i);
    }

    /** Registers the fleet in chunks of up to 1,000,000 agents, each a streamed CSV import. */
    void register(java.util.function.Consumer<String> progress) {
        int chunk = 1_000_000;
        for (int from = 0; from < size; from += chunk) {
            int to = Math.min(size, from + chunk);
            int first = from;
            long start = System.nanoTime();
            JsonNode imported = edge.upload("/api/fleet/imports", "dev-ci", "text/csv", HttpRequest.BodyPublishers
                    .ofInputStream(() -> csv(first, to)));
            progress.accept(String.format("fleet: %,d of %,d agents registered (%s; %.1f s)", to, size,
                    imported.path("summary").isMissingNode() ? imported.path("status").asString()
                            : imported.path("summary").toString(), (System.nanoTime() - start) / 1e9));
        }
    }

    private InputStream csv(int from, int to) {
        int lines = 50_000;
        List<Integer> starts = new ArrayList<>();
        for (int s = from; s < to; s += lines) {
            starts.add(s);
        }
        Enumeration<InputStream> parts = new Enumeration<>() {
            int next = -1;

            @Override
            public boolean hasMoreElements() {
                return next < starts.size();
            }

            @Override
            public InputStream nextElement() {
                if (next++ < 0) {
                    return new ByteArrayInputStream("agent_id,cluster,region,time_zone\n".getBytes(StandardCharsets.UTF_8));
                }
                int s = starts.get(next - 1);
                StringBuilder text = new StringBuilder((Math.min(to, s + lines) - s) * 48);
                for (int i = s; i < Math.min(to, s + lines); i++) {
                    int zone = (i / clusters) % 24 - 11;
                    text.append(id(i)).append(",cluster-").append(i % clusters).append(",region-").append(i % 3)
                            .append(zone < 0 ? ",UTC" + zone : ",UTC+" + zone).append('\n');
                }
                return new ByteArrayInputStream(text.toString().getBytes(StandardCharsets.UTF_8));
            }
        };
        return new SequenceInputStream(parts);
    }

    /** The agents of batch n, as cluster-batcher lists them (pages of 10,000, three at a time). */
    List<String> batch(UUID rollout, int number) {
        String path = "/api/rollouts/" + rollout + "/batches/" + number + "/agents?size=10000&page=";
        JsonNode first = edge.get(path + 0, "dev-viewer");
        long total = first.path("totalAgents").asLong();
        int pages = (int) Math.max(1, (total + 9_999) / 10_000);
        List<List<String>> parts = parallel(pages, page -> {
            JsonNode agentsPage = page == 0 ? first : edge.get(path + page, "dev-viewer");
            List<String> ids = new ArrayList<>();
            agentsPage.path("agents").forEach(a -> ids.add(a.path("agentId").asString()));
            return ids;
        });
        List<String> ids = new ArrayList<>((int) total);
        parts.forEach(ids::addAll);
        return ids;
    }

    /** Runs {@code work} for 0..n-1 on three threads; the results in order. */
    private static <T> List<T> parallel(int n, java.util.function.IntFunction<T> work) {
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(3);
        try {
            List<java.util.concurrent.Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int index = i;
                futures.add(pool.submit(() -> work.apply(index)));
            }
            List<T> results = new ArrayList<>();
            for (java.util.concurrent.Future<T> future : futures) {
                results.add(future.get());
            }
            return results;
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
        finally {
            pool.shutdownNow();
        }
    }

    /**
     * The agents of a batch ask their desired state (a sample of up to 10,000 in one call) and acknowledge in calls
     * of 10,000 through the agent API; a share {@code 1 - responseRate} stays silent. Returns the agents that answered.
     */
    int act(UUID rollout, String version, List<String> batch) {
        List<String> sample = batch.subList(0, Math.min(10_000, batch.size()));
        agents.post("/agent/v1/desired", "dev-agent", "{\"agentIds\":[\"" + String.join("\",\"", sample) + "\"]}");
        List<String> answering = batch.stream().filter(a -> (Math.abs(a.hashCode()) % 10_000) < responseRate * 10_000).toList();
        int calls = (answering.size() + 9_999) / 10_000;
        parallel(calls, call -> {
            StringBuilder csv = new StringBuilder("agentId,rolloutId,version,status,latencyMs,requests,errors\n");
            for (String agent : answering.subList(call * 10_000, Math.min(answering.size(), (call + 1) * 10_000))) {
                int errors = (Math.abs(agent.hashCode() / 7) % 10_000) < errorRate * 10_000 ? 1 : 0;
                csv.append(agent).append(',').append(rollout).append(',').append(version).append(",OK,")
                        .append(35 + Math.abs(agent.hashCode()) % 30).append(",100,").append(errors).append('\n');
            }
            agents.upload("/agent/v1/acks", "dev-agent", "text/csv", csv.toString().getBytes(StandardCharsets.UTF_8));
            return call;
        });
        return answering.size();
    }

    /** The traffic figures of a batch (or a phase); with a fault, the memory component fails 5% of its requests. */
    void traffic(UUID rollout, Integer batch, boolean fault) {
        String b = batch == null ? "" : ", \"batch\": " + batch;
        IntFunction<String> errors = requests -> String.valueOf(Math.round(requests * errorRate));
        String samples = "{\"samples\": [{\"metric\": \"REQUESTS\", \"value\": 1000000" + b + "},"
                + "{\"metric\": \"ERRORS\", \"value\": " + errors.apply(1_000_000) + b + "},"
                + "{\"metric\": \"CRITICAL_REQUESTS\", \"value\": 200000" + b + "},"
                + "{\"metric\": \"CRITICAL_ERRORS\", \"value\": " + Math.round(200_000 * errorRate / 2) + b + "},"
                + "{\"metric\": \"LATENCY_MS\", \"value\": 118, \"count\": 1000000" + b + "},"
                + "{\"metric\": \"LATENCY_MS\", \"variant\": \"BASELINE\", \"value\": 112, \"count\": 1000000" + b + "}"
                + (fault ? ",{\"metric\": \"REQUESTS\", \"component\": \"memory\", \"value\": 50000" + b + "},"
                        + "{\"metric\": \"ERRORS\", \"component\": \"memory\", \"value\": 2500" + b + "}" : "")
                + "]}";
        edge.post("/api/rollouts/" + rollout + "/samples", "dev-service", samples);
    }
}
