package dev.rollout.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The plan's KPI for the control plane, p99 under 200 ms, measured while the agent API is under load: a running
 * platform (bench/run control-plane starts one on PostgreSQL) with a registered fleet and activated batches;
 * agent clients ask desired states and acknowledge 10,000 at a time against cluster-batcher while control-plane
 * clients read rollouts, timelines, batch health and evaluations through the edge. Reports throughput and
 * latency percentiles of both, and writes them as JSON. Agent clients retry a 429 as agents are told to, and the
 * acknowledgements accepted in 2xx answers are counted against the rows in the database at the end. With
 * {@code --flood}, wrk adds single agents' polls as fast as it can send them (far past the instance's limit).
 */
public final class ControlPlaneBench {

    /** The agent gateway of the benchmark fleet's ten clusters. */
    static final String GATEWAY = "dev-gateway-cluster-0+cluster-1+cluster-2+cluster-3+cluster-4+cluster-5+cluster-6"
            + "+cluster-7+cluster-8+cluster-9";


    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public static void main(String[] args) throws Exception {
        String edge = arg(args, "--edge", "http://127.0.0.1:8080");
        String agentApi = arg(args, "--agent-api", "http://127.0.0.1:8093");
        int agents = Integer.parseInt(arg(args, "--agents", "1000000"));
        int seconds = Integer.parseInt(arg(args, "--seconds", "60"));
        int agentClients = Integer.parseInt(arg(args, "--agent-clients", "2"));
        int controlClients = Integer.parseInt(arg(args, "--control-clients", "4"));
        boolean flood = List.of(args).contains("--flood");
        String database = arg(args, "--db", "jdbc:postgresql://127.0.0.1:5432/rollout_bench_cp");

        long t0 = System.nanoTime();
        for (int from = 0; from < agents; from += 1_000_000) {
            int to = Math.min(agents, from + 1_000_000);
            StringBuilder csv = new StringBuilder("agent_id,cluster,region,time_zone\n");
            for (int i = from; i < to; i++) {
                int zone = (i / 10) % 24 - 11;
                csv.append(id(i)).append(",cluster-").append(i % 10).append(",r,").append(zone < 0 ? "UTC" + zone : "UTC+" + zone)
                        .append('\n');
            }
            send(edge, "POST", "/api/fleet/imports", "dev-ci", "text/csv", csv.toString());
        }
        System.out.printf("fleet of %,d registered in %.1f s%n", agents, (System.nanoTime() - t0) / 1e9);
        String created = send(edge, "POST", "/api/rollouts", "dev-release-manager", "application/json", """
                {"name": "control-plane bench", "targetVersion": "9.0.0", "previousStableVersion": "8.0.0",
                 "components": [{"name": "planner", "version": "9.0.0"}]}""");
        String rollout = first(created, "\"id\":\"([0-9a-f-]{36})\"");
        send(edge, "POST", "/api/rollouts/" + rollout + "/batch-plan", "dev-release-manager", "application/json",
                "{\"batchSize\": " + Math.max(1, agents / 20) + ", \"fleetCap\": " + agents + ", \"targetVersion\": \"9.0.0\","
                        + " \"previousStableVersion\": \"8.0.0\", \"components\": [{\"name\": \"planner\", \"version\": \"9.0.0\","
                        + " \"previousVersion\": \"8.0.0\"}]}");
        for (int n = 1; n <= 5; n++) {
            send(edge, "POST", "/api/rollouts/" + rollout + "/batches/" + n + "/activation", "dev-release-manager",
                    "application/json", "");
        }
        System.out.println("rollout " + rollout + ": batch plan frozen, batches 1-5 activated");

        AtomicBoolean running = new AtomicBoolean(true);
        AtomicLong agentItems = new AtomicLong();
        AtomicLong accepted = new AtomicLong();
        AtomicLong limited = new AtomicLong();
        ConcurrentLinkedQueue<Long> agentCalls = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<long[]> control = new ConcurrentLinkedQueue<>();
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < agentClients; c++) {
            int client = c;
            threads.add(started(() -> {
                Random random = new Random(client);
                while (running.get()) {
                    StringBuilder ids = new StringBuilder("{\"agentIds\":[");
                    StringBuilder acks = new StringBuilder("agentId,rolloutId,version,status,latencyMs,requests,errors\n");
                    for (int i = 0; i < 10_000; i++) {
                        String agent = id(random.nextInt(agents));
                        ids.append(i == 0 ? "\"" : ",\"").append(agent).append('"');
                        acks.append(agent).append(',').append(rollout).append(",9.0.0,OK,40,100,0\n");
                    }
                    long start = System.nanoTime();
                    sendRetrying(agentApi, "POST", "/agent/v1/desired", GATEWAY, "application/json", ids.append("]}").toString(),
                            limited);
                    String answer = sendRetrying(agentApi, "POST", "/agent/v1/acks", GATEWAY, "text/csv", acks.toString(),
                            limited);
                    accepted.addAndGet(Long.parseLong(first(answer, "\"accepted\":([0-9]+)")));
                    agentCalls.add(System.nanoTime() - start);
                    agentItems.addAndGet(20_000);
                }
            }));
        }
        List<String> reads = List.of("/api/rollouts/" + rollout, "/api/rollouts?size=20", "/api/rollouts/" + rollout + "/timeline",
                "/api/rollouts/" + rollout + "/batches/1", "/api/rollouts/" + rollout + "/batches",
                "/api/rollouts/" + rollout + "/evaluations", "/api/kpi-policies/default", "/api/rollbacks?rolloutId=" + rollout);
        for (int c = 0; c < controlClients; c++) {
            int client = c;
            threads.add(started(() -> {
                int i = client;
                while (running.get()) {
                    int read = i++ % reads.size();
                    long start = System.nanoTime();
                    send(edge, "GET", reads.get(read), "dev-viewer", null, null);
                    control.add(new long[] {read, System.nanoTime() - start});
                }
            }));
        }
        long loadStart = System.nanoTime();
        Process floodProcess = null;
        if (flood) { // single agents polling as fast as wrk can send: far above what the instance is set to take
            ProcessBuilder wrk = new ProcessBuilder("wrk", "-t2", "-c64", "-d" + seconds + "s", "-s", "bench/agent-poll.lua",
                    agentApi).redirectErrorStream(true).redirectOutput(Path.of("bench/target/flood.txt").toFile());
            wrk.environment().put("AGENTS", Integer.toString(agents));
            wrk.environment().put("IDFORMAT", "cp-agent-%09d");
            floodProcess = wrk.start();
        }
        Thread.sleep(seconds * 1000L);
        running.set(false);
        for (Thread t : threads) {
            t.join();
        }
        String floodResult = "";
        if (floodProcess != null) {
            floodProcess.waitFor();
            floodResult = Files.readAllLines(Path.of("bench/target/flood.txt")).stream().filter(l -> l.startsWith("RESULT"))
                    .findFirst().orElse("RESULT none").substring(7);
        }
        long stored;
        try (Connection db = DriverManager.getConnection(database, "postgres", "");
                PreparedStatement count = db.prepareStatement(
                        "SELECT count(*) FROM cluster_batcher.ack WHERE rollout_id = ?::uuid")) {
            count.setString(1, rollout);
            try (ResultSet rs = count.executeQuery()) {
                rs.next();
                stored = rs.getLong(1);
            }
        }
        double elapsed = (System.nanoTime() - loadStart) / 1e9;
        List<Long> c = new ArrayList<>(control.stream().map(r -> r[1]).toList());
        StringBuilder byRead = new StringBuilder();
        for (int r = 0; r < reads.size(); r++) {
            int read = r;
            List<Long> these = new ArrayList<>(control.stream().filter(x -> x[0] == read).map(x -> x[1]).toList());
            Collections.sort(these);
            byRead.append(String.format("%n   %s{\"path\": \"%s\", \"p50Ms\": %.1f, \"p99Ms\": %.1f, \"requests\": %d}",
                    r == 0 ? "" : ",", reads.get(r).replace(rollout, "{id}"), ms(these, 0.5), ms(these, 0.99), these.size()));
        }
        List<Long> a = new ArrayList<>(agentCalls);
        Collections.sort(c);
        Collections.sort(a);
        String result = String.format("""
                {"date": "%s", "agents": %d, "seconds": %.1f, "agentClients": %d, "controlClients": %d,
                 "agentApi": {"agentsPerSecond": %.0f, "callP50Ms": %.1f, "callP99Ms": %.1f, "calls": %d},
                 "controlPlane": {"requestsPerSecond": %.1f, "p50Ms": %.1f, "p95Ms": %.1f, "p99Ms": %.1f, "maxMs": %.1f,
                                  "requests": %d, "kpiP99Below200Ms": %s},
                 "acknowledgements": {"acceptedIn2xxAnswers": %d, "storedInTheDatabase": %d, "agentCallsAnswered429": %d},
                 "flood": "%s",
                 "byPath": [%s]}
                """, LocalDate.now(), agents, elapsed, agentClients, controlClients, agentItems.get() / elapsed, ms(a, 0.5),
                ms(a, 0.99), a.size(), c.size() / elapsed, ms(c, 0.5), ms(c, 0.95), ms(c, 0.99), ms(c, 1.0), c.size(),
                ms(c, 0.99) < 200, accepted.get(), stored, limited.get(), floodResult, byRead);
        System.out.println(result);
        Path out = Path.of("bench/target/control-plane.json");
        Files.createDirectories(out.getParent());
        Files.writeString(out, result);
    }

    /** As an agent is told to (docs/agents.md): a 429 or 503 is retried after Retry-After, with full jitter. */
    static String sendRetrying(String base, String method, String path, String token, String contentType, String body,
            AtomicLong limited) {
        for (int attempt = 0;; attempt++) {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofMinutes(10))
                    .header("Authorization", "Bearer " + token).header("Content-Type", contentType)
                    .method(method, HttpRequest.BodyPublishers.ofString(body));
            try {
                HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
                int status = response.statusCode();
                if (status != 429 && status != 503) {
                    if (status >= 400) {
                        throw new IllegalStateException(method + " " + path + " answered " + status);
                    }
                    return response.body();
                }
                limited.incrementAndGet();
                long wait = response.headers().firstValueAsLong("Retry-After").orElse(1L) * 1000;
                Thread.sleep((long) (Math.random() * wait * Math.min(8, 1 << attempt)) + 1);
            }
            catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    static Thread started(Runnable work) {
        Thread thread = new Thread(work);
        thread.start();
        return thread;
    }

    static double ms(List<Long> sorted, double q) {
        if (sorted.isEmpty()) {
            return Double.NaN;
        }
        int index = (int) Math.min(sorted.size() - 1, Math.ceil(q * sorted.size()) - 1);
        return sorted.get(Math.max(0, index)) / 1e6;
    }

    static String id(int i) {
        return String.format("cp-agent-%09d", i);
    }

    static String first(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        if (!m.find()) {
            throw new IllegalStateException("no " + regex + " in " + text);
        }
        return m.group(1);
    }

    static String send(String base, String method, String path, String token, String contentType, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofMinutes(10))
                .header("Authorization", "Bearer " + token);
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        try {
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() >= 400) {
                throw new IllegalStateException(method + " " + path + " answered " + response.statusCode() + ": "
                        + response.body().substring(0, Math.min(300, response.body().length())));
            }
            return response.body();
        }
        catch (IOException e) {
            throw new IllegalStateException(method + " " + path + ": " + e, e);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String arg(String[] args, String name, String fallback) {
        for (int i = 0; i < args.length - 1; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return fallback;
    }
}
