package dev.rollout.platform.demo;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.net.InetSocketAddress;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.IntFunction;

import com.sun.net.httpserver.HttpServer;
import tools.jackson.databind.JsonNode;

/**
 * A fleet that behaves as agents would, through the real APIs: it is registered by the streaming import
 * (clusters over the 24 hourly zones), asks its desired state, acknowledges with a response rate, an error
 * rate and a latency, and measures its own traffic ({@link Telemetry}), which it pushes to the gate as samples
 * and exposes for Prometheus to scrape. A {@link Fault} can be injected in one batch.
 */
final class FleetSimulator {

    static final String[] COMPONENTS = { "planner", "memory" };
    /** Requests each answering agent serves per component while a stage is observed; a fifth are critical. */
    static final long REQUESTS_PER_AGENT = 50;
    /** Mean latency of each component, new version and baseline, in ms. */
    static final Map<String, double[]> LATENCY_MS = Map.of("planner", new double[] { 118, 112 }, "memory",
            new double[] { 104, 103 });
    /** How latencies spread around their mean: five equal shares of the requests. */
    private static final double[] SPREAD = { 0.7, 0.85, 1.0, 1.15, 1.3 };

    private final Api edge;
    private final Api agents;
    /** The token of the last batched desired-state answer, sent back as {@code since}. */
    private volatile String desiredToken;
    private final int size;
    private final int clusters;
    private final double responseRate;
    private final double errorRate;
    private final Telemetry telemetry = new Telemetry();
    private HttpServer exposition;

    FleetSimulator(Api edge, Api agents, int size, int clusters, double responseRate, double errorRate) {
        this.edge = edge;
        this.agents = agents;
        this.size = size;
        this.clusters = clusters;
        this.responseRate = responseRate;
        this.errorRate = errorRate;
    }

    /**
     * Appends the id of agent {@code i}: {@code agent-} and its number in nine digits or more, as
     * {@code String.format("agent-%09d", i)} writes it, without parsing a format for each of 20,000,000 lines (that
     * took half of the simulated fleet's processor time while the fleet registered).
     */
    static StringBuilder appendId(StringBuilder text, int i) {
        String digits = Integer.toString(i);
        text.append("agent-");
        for (int pad = digits.length(); pad < 9; pad++) {
            text.append('0');
        }
        return text.append(digits);
    }

    Telemetry telemetry() {
        return telemetry;
    }

    /** Serves the Prometheus exposition at {@code http://127.0.0.1:port/metrics} (0: any free port); its address. */
    String serveMetrics(int port) throws IOException {
        exposition = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        exposition.createContext("/metrics", exchange -> {
            byte[] text = telemetry.exposition().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
            exchange.sendResponseHeaders(200, text.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(text);
            }
        });
        exposition.start();
        return "http://127.0.0.1:" + exposition.getAddress().getPort() + "/metrics";
    }

    void stopMetrics() {
        if (exposition != null) {
            exposition.stop(0);
        }
    }

    /**
     * Registers the fleet as one streamed CSV import under an id of its own, as an operator registers a fleet's file:
     * into an empty fleet it is a first registration (the platform loads the agents, then builds their stratum index
     * in one pass). Says how far it has got every 10 seconds, as {@code GET /api/fleet/imports/{id}} tells.
     */
    void register(Consumer<String> progress) {
        UUID id = UUID.randomUUID();
        long start = System.nanoTime();
        CompletableFuture<JsonNode> upload = CompletableFuture.supplyAsync(() -> edge.put("/api/fleet/imports/" + id,
                "dev-ci", "text/csv", HttpRequest.BodyPublishers.ofInputStream(() -> csv(0, size))));
        try {
            while (true) {
                try {
                    JsonNode imported = upload.get(10, TimeUnit.SECONDS);
                    if (!"COMPLETED".equals(imported.path("status").asString())) {
                        throw new IllegalStateException("The fleet's registration did not complete: " + imported);
                    }
                    progress.accept(String.format("fleet: %,d of %,d agents registered (%s; %.1f s)",
                            imported.path("imported").asLong() + imported.path("updated").asLong(), size,
                            imported.path("status").asString(), (System.nanoTime() - start) / 1e9));
                    return;
                }
                catch (TimeoutException e) {
                    following(id, progress);
                }
            }
        }
        catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while registering the fleet", e);
        }
    }

    /** Says how far the import has got (nothing before the platform has recorded it). */
    private void following(UUID id, Consumer<String> progress) {
        try {
            JsonNode running = edge.get("/api/fleet/imports/" + id, "dev-viewer");
            progress.accept(String.format("fleet: %s, %,d of %,d agents received, %,d merged", running.path("status")
                    .asString(), running.path("received").asLong(), size, running.path("merged").asLong()));
        }
        catch (IllegalStateException notYet) {
            // 404 until the import's first lines have arrived
        }
    }

    /** The fleet's agents {@code [from, to)} as the CSV of a registration, header first. */
    InputStream csv(int from, int to) {
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
                    appendId(text, i).append(",cluster-").append(i % clusters).append(",region-").append(i % 3)
                            .append(zone < 0 ? ",UTC" + zone : ",UTC+" + zone).append('\n');
                }
                return new ByteArrayInputStream(text.toString().getBytes(StandardCharsets.UTF_8));
            }
        };
        return new SequenceInputStream(parts);
    }

    /** Agents a page of the listing asks for: the most a CSV page holds. */
    static final int LISTED_PAGE = 100_000;

    /**
     * The agents of batch n, as cluster-batcher lists them (CSV pages of {@link #LISTED_PAGE}, three at a time), each
     * with its seat, as its desired state would give it.
     */
    ListedBatch batch(UUID rollout, int number) {
        String path = "/api/rollouts/" + rollout + "/batches/" + number + "/agents?seats=true&size=" + LISTED_PAGE
                + "&page=";
        HttpResponse<byte[]> first = edge.csvBytes(path + 0, "dev-viewer");
        long total = Long.parseLong(first.headers().firstValue("X-Total-Count").orElse("0"));
        int pages = (int) Math.max(1, (total + LISTED_PAGE - 1) / LISTED_PAGE);
        return ListedBatch.join(parallel(pages, page -> ListedBatch.page((page == 0 ? first
                : edge.csvBytes(path + page, "dev-viewer")).body())));
    }

    /**
     * Acknowledgement calls at once: the agent API serves as many at once as the machine has cores (half its port's
     * threads, two per core, by default in the standalone platform) and answers a call past them 429.
     */
    static final int ACK_CALLS_AT_ONCE = Math.max(1, Runtime.getRuntime().availableProcessors());

    /** Runs {@code work} for 0..n-1 on three threads; the results in order. */
    private static <T> List<T> parallel(int n, IntFunction<T> work) {
        return parallel(n, 3, work);
    }

    /** Runs {@code work} for 0..n-1 on {@code threads} threads; the results in order. */
    private static <T> List<T> parallel(int n, int threads, IntFunction<T> work) {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int index = i;
                futures.add(pool.submit(() -> work.apply(index)));
            }
            List<T> results = new ArrayList<>();
            for (Future<T> future : futures) {
                results.add(future.get());
            }
            return results;
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
        finally {
            pool.shutdownNow();
        }
    }

    /**
     * The agents of a batch ask their desired state (a sample of up to 10,000 in one call) and acknowledge in calls
     * of 10,000 through the agent API, {@link #ACK_CALLS_AT_ONCE} calls at a time; a share {@code 1 - responseRate}
     * stays silent, and with {@link Fault#SILENT_ZONE} so does every agent of {@link Fault#SILENT_TIME_ZONE}. Each
     * agent that answers serves its requests, measured in the telemetry of the batch. A batch observed again after a
     * fix has acknowledged the rollout's version already ({@code acknowledge} false): its agents pick up the fixed
     * component's version and report through their traffic. Returns the agents that stayed silent.
     */
    ListedBatch act(UUID rollout, String version, int batch, ListedBatch members, Fault fault, boolean acknowledge) {
        List<String> sample = new ArrayList<>();
        TreeSet<String> asked = new TreeSet<>();
        for (ListedBatch.Stratum stratum : members.strata()) {
            for (int k = 0; k < stratum.size() && sample.size() < 10_000; k++) {
                sample.add(stratum.id(k));
                asked.add(stratum.cluster);
            }
        }
        // a conditional poll, as documented: the token of the last answer, so that only what changed comes back
        String since = desiredToken;
        JsonNode answer = agents.post("/agent/v1/desired", gateway(asked), "{\"agentIds\":[\""
                + String.join("\",\"", sample) + "\"]" + (since == null ? "" : ",\"since\":\"" + since + "\"") + "}");
        desiredToken = answer.path("token").asString(null);
        ListedBatch silent = ListedBatch.empty();
        List<List<Run>> calls = calls(members, (stratum, k) -> (Math.abs(stratum.hash(k)) % 10_000) < responseRate * 10_000
                && !(fault == Fault.SILENT_ZONE && stratum.timeZone.equals(Fault.SILENT_TIME_ZONE)), silent);
        if (acknowledge) {
            acknowledge(rollout, version, batch, calls);
        }
        observe(rollout, "batch-" + batch, members.size() - silent.size(), fault);
        return silent.sort();
    }

    /** The token of the agent gateway of these clusters (an agent's report is taken from its own gateway only). */
    static String gateway(Collection<String> clusters) {
        return "dev-gateway-" + String.join("+", new TreeSet<>(clusters));
    }

    /** Agents that were silent answer late (their zone's gateway is back). */
    void answerLate(UUID rollout, String version, int batch, ListedBatch late) {
        acknowledge(rollout, version, batch, calls(late, (stratum, k) -> true, ListedBatch.empty()));
        observe(rollout, "batch-" + batch, late.size(), Fault.NONE);
    }

    /** Whether agent k of a stratum answers. */
    interface Answers {
        boolean test(ListedBatch.Stratum stratum, int k);
    }

    /** Agents {@code [from, to)} of a stratum, of those that answer ({@code picked} holds their places). */
    record Run(ListedBatch.Stratum stratum, int[] picked, int from, int to) {
    }

    /**
     * Each cluster's gateway reports its own agents, a time zone after another: the agents that answer, stratum by
     * stratum (cluster, then zone), in calls of 10,000; those that do not are added to {@code silent}.
     */
    static List<List<Run>> calls(ListedBatch listed, Answers answers, ListedBatch silent) {
        List<List<Run>> calls = new ArrayList<>();
        List<Run> call = new ArrayList<>();
        int inCall = 0;
        for (ListedBatch.Stratum stratum : listed.strata()) {
            int[] picked = new int[stratum.size()];
            int n = 0;
            for (int k = 0; k < stratum.size(); k++) {
                if (answers.test(stratum, k)) {
                    picked[n++] = k;
                }
                else {
                    silent.add(stratum, k);
                }
            }
            for (int from = 0; from < n;) {
                int to = Math.min(n, from + 10_000 - inCall);
                call.add(new Run(stratum, picked, from, to));
                inCall += to - from;
                from = to;
                if (inCall == 10_000) {
                    calls.add(call);
                    call = new ArrayList<>();
                    inCall = 0;
                }
            }
        }
        if (inCall > 0) {
            calls.add(call);
        }
        return calls;
    }

    /** Sends the calls, {@link #ACK_CALLS_AT_ONCE} at a time, each under its clusters' gateway. */
    private void acknowledge(UUID rollout, String version, int batch, List<List<Run>> calls) {
        parallel(calls.size(), ACK_CALLS_AT_ONCE, c -> {
            List<Run> call = calls.get(c);
            agents.upload("/agent/v1/acks", gateway(call.stream().map(run -> run.stratum().cluster).toList()), "text/csv",
                    ackCsv(call, rollout, version, errorRate));
            Map<String, Long> perZone = new HashMap<>();
            call.forEach(run -> perZone.merge(run.stratum().timeZone, (long) (run.to() - run.from()), Long::sum));
            perZone.forEach((timeZone, n) -> telemetry.acknowledged(rollout.toString(), batch, timeZone, n));
            return c;
        });
    }

    static final String ACK_HEADER = "agentId,rolloutId,version,status,latencyMs,requests,errors,seat\n";

    /**
     * One call's acknowledgements as CSV, written as bytes where they go (ids, versions and seats are ASCII): each
     * agent answers OK with a latency of 35 to 64 ms, {@code 2 * REQUESTS_PER_AGENT} requests and an error at the
     * error rate, both drawn from its id's hash.
     */
    static byte[] ackCsv(List<Run> call, UUID rollout, String version, double errorRate) {
        // what every line says alike: the rollout, the version, the status
        byte[] same = ("," + rollout + "," + version + ",OK,").getBytes(StandardCharsets.US_ASCII);
        byte[] requests = ("," + REQUESTS_PER_AGENT * 2 + ",").getBytes(StandardCharsets.US_ASCII);
        int agents = call.stream().mapToInt(run -> run.to() - run.from()).sum();
        Ascii csv = new Ascii(ACK_HEADER.length() + agents * (same.length + requests.length + 64));
        csv.text(ACK_HEADER);
        for (Run run : call) {
            ListedBatch.Stratum stratum = run.stratum();
            for (int i = run.from(); i < run.to(); i++) {
                int k = run.picked()[i];
                int hash = stratum.hash(k);
                int errors = (Math.abs(hash / 7) % 10_000) < errorRate * 10_000 ? 1 : 0;
                stratum.idTo(k, csv);
                csv.bytes(same).number(35 + Math.abs(hash) % 30).bytes(requests).number(errors).character(',');
                stratum.seatTo(k, csv);
                csv.character('\n');
            }
        }
        return csv.toBytes();
    }

    /** A growing array of ASCII bytes: text, numbers and characters appended where they go. */
    static final class Ascii {

        private byte[] bytes;
        private int length;

        Ascii(int capacity) {
            bytes = new byte[Math.max(16, capacity)];
        }

        private void room(int more) {
            if (length + more > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
            }
        }

        /**
         * Each character as its byte, copied as a whole: the simulator writes ASCII only (a character past it would
         * be cut to its low byte).
         */
        @SuppressWarnings("deprecation") // the one copy of a string's characters into bytes without an encoder
        Ascii text(String text) {
            int n = text.length();
            room(n);
            text.getBytes(0, n, bytes, length);
            length += n;
            return this;
        }

        Ascii bytes(byte[] more) {
            return bytes(more, 0, more.length);
        }

        Ascii bytes(byte[] more, int from, int n) {
            room(n);
            System.arraycopy(more, from, bytes, length, n);
            length += n;
            return this;
        }

        Ascii character(char c) {
            room(1);
            bytes[length++] = (byte) c;
            return this;
        }

        /** A number of 0 or more in decimal digits. */
        Ascii number(int value) {
            int digits = value < 10 ? 1 : value < 100 ? 2 : Integer.toString(value).length();
            room(digits);
            for (int at = length + digits - 1; at >= length; at--) {
                bytes[at] = (byte) ('0' + value % 10);
                value /= 10;
            }
            length += digits;
            return this;
        }

        byte[] toBytes() {
            return length == bytes.length ? bytes : Arrays.copyOf(bytes, length);
        }
    }

    /**
     * The traffic {@code agentsServing} agents serve in one stage, per component and variant: errors at the error
     * rate (a fifth of the requests critical, failing at half the error rate whatever the fault), latencies spread around each component's
     * mean; {@link Fault#ERROR_SPIKE} makes memory fail 1.5% of its requests, {@link Fault#LATENCY} makes planner 45%
     * slower. The stable version's agents serve the same traffic as the baseline.
     */
    void observe(UUID rollout, String stage, long agentsServing, Fault fault) {
        long requests = agentsServing * REQUESTS_PER_AGENT;
        for (String component : COMPONENTS) {
            double rate = fault == Fault.ERROR_SPIKE && component.equals(fault.component()) ? 0.015 : errorRate;
            double slower = fault == Fault.LATENCY && component.equals(fault.component()) ? 1.45 : 1.0;
            for (String variant : List.of("CANARY", "BASELINE")) {
                boolean canary = variant.equals("CANARY");
                double mean = LATENCY_MS.get(component)[canary ? 0 : 1] * (canary ? slower : 1.0);
                Telemetry.Series series = new Telemetry.Series(rollout.toString(), stage, component, variant);
                long share = requests / SPREAD.length;
                for (int i = 0; i < SPREAD.length; i++) {
                    long n = i == 0 ? requests - share * (SPREAD.length - 1) : share;
                    long failed = Math.round(n * (canary ? rate : errorRate));
                    long critical = n / 5;
                    telemetry.observe(series, n, failed, critical, Math.round(critical * errorRate / 2), mean * SPREAD[i]);
                }
            }
        }
    }

    /** Pushes the telemetry of one stage (a phase, or batch n) to the gate as samples. */
    void push(UUID rollout, String stage, Integer batch) {
        String samples = telemetry.samples(rollout.toString(), stage, batch);
        if (samples.contains("\"metric\"")) {
            edge.post("/api/rollouts/" + rollout + "/samples", "dev-service", samples);
        }
    }
}
