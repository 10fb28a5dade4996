package dev.rollout.platform.demo;

import java.util.Comparator;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * What the simulated agents measure of their own traffic: requests, errors and a latency histogram per
 * stage (a phase or a batch), component and variant (the new version as CANARY, the stable one as BASELINE),
 * and acknowledgements per batch and time zone. The same figures are pushed to the gate as samples and
 * exposed in the Prometheus text format (version 0.0.4) for a real Prometheus to scrape.
 */
final class Telemetry {

    /** Upper bounds of the latency histogram, in seconds. */
    static final double[] BUCKETS = { 0.025, 0.05, 0.1, 0.15, 0.2, 0.3, 0.5, 1.0, 2.5 };

    /** Where traffic was measured: a stage ("pilot", "batch-3", "production"), a component, a variant. */
    record Series(String rollout, String stage, String component, String variant) {
    }

    /** One series' counters. */
    static final class Traffic {
        final AtomicLong requests = new AtomicLong();
        final AtomicLong errors = new AtomicLong();
        final AtomicLongArray buckets = new AtomicLongArray(BUCKETS.length);
        final AtomicLong latencyMicrosSum = new AtomicLong();
        final AtomicLong criticalRequests = new AtomicLong();
        final AtomicLong criticalErrors = new AtomicLong();

        void observe(long count, long failed, long critical, long criticalFailed, double latencyMs) {
            requests.addAndGet(count);
            errors.addAndGet(failed);
            criticalRequests.addAndGet(critical);
            criticalErrors.addAndGet(criticalFailed);
            latencyMicrosSum.addAndGet(Math.round(latencyMs * 1000 * count));
            for (int i = 0; i < BUCKETS.length; i++) {
                if (latencyMs / 1000 <= BUCKETS[i]) {
                    buckets.addAndGet(i, count);
                    break;
                }
            }
        }

        double meanLatencyMs() {
            long n = requests.get();
            return n == 0 ? 0 : latencyMicrosSum.get() / 1000.0 / n;
        }
    }

    private final Map<Series, Traffic> traffic = new ConcurrentHashMap<>();
    /** What each series had when it was last pushed: requests, errors, critical, critical errors, latency sum. */
    private final Map<Series, long[]> pushed = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> acknowledgements = new ConcurrentHashMap<>();

    /**
     * {@code count} requests of one series, {@code failed} of them errors, each taking {@code latencyMs};
     * {@code critical} of them critical operations, {@code criticalFailed} of those failed.
     */
    void observe(Series series, long count, long failed, long critical, long criticalFailed, double latencyMs) {
        traffic.computeIfAbsent(series, s -> new Traffic()).observe(count, failed, critical, criticalFailed, latencyMs);
    }

    private Map<Series, Traffic> sorted() {
        Map<Series, Traffic> sorted = new TreeMap<>(Comparator.comparing(Series::rollout)
                .thenComparing(Series::stage).thenComparing(Series::component).thenComparing(Series::variant));
        sorted.putAll(traffic);
        return sorted;
    }

    void acknowledged(String rollout, int batch, String timeZone, long count) {
        acknowledgements.computeIfAbsent(rollout + '\u0000' + batch + '\u0000' + timeZone, k -> new AtomicLong())
                .addAndGet(count);
    }

    Traffic of(Series series) {
        return traffic.getOrDefault(series, new Traffic());
    }

    /**
     * The samples of one stage since its last push, as the gate's samples API takes them: requests, errors and
     * mean latency per component, the baseline's latency beside it, the critical operations. Each sample counts
     * what was observed between two pushes, so a stage observed again (a batch after a fix) is judged on its
     * new traffic.
     */
    synchronized String samples(String rollout, String stage, Integer batch) {
        StringBuilder json = new StringBuilder("{\"samples\": [");
        String b = batch == null ? "" : ", \"batch\": " + batch;
        Consumer<String> add = sample -> json.append(json.charAt(json.length() - 1) == '[' ? "" : ",").append(sample);
        long[] critical = new long[2];
        sorted().entrySet().stream()
                .filter(e -> e.getKey().rollout().equals(rollout) && e.getKey().stage().equals(stage))
                .forEach(e -> {
                    Series s = e.getKey();
                    Traffic t = e.getValue();
                    long[] now = { t.requests.get(), t.errors.get(), t.criticalRequests.get(), t.criticalErrors.get(),
                            t.latencyMicrosSum.get() };
                    long[] before = pushed.getOrDefault(s, new long[5]);
                    pushed.put(s, now);
                    long requests = now[0] - before[0];
                    if (requests == 0) {
                        return;
                    }
                    String component = ", \"component\": \"" + s.component() + "\"";
                    if (s.variant().equals("CANARY")) {
                        add.accept("{\"metric\": \"REQUESTS\", \"value\": " + requests + component + b + "}");
                        add.accept("{\"metric\": \"ERRORS\", \"value\": " + (now[1] - before[1]) + component + b + "}");
                        critical[0] += now[2] - before[2];
                        critical[1] += now[3] - before[3];
                    }
                    add.accept(String.format(Locale.ROOT, "{\"metric\": \"LATENCY_MS\", \"variant\": \"%s\", \"value\": %.3f,"
                            + " \"count\": %d%s%s}", s.variant(), (now[4] - before[4]) / 1000.0 / requests, requests,
                            component, b));
                });
        if (critical[0] > 0) {
            add.accept("{\"metric\": \"CRITICAL_REQUESTS\", \"value\": " + critical[0] + b + "}");
            add.accept("{\"metric\": \"CRITICAL_ERRORS\", \"value\": " + critical[1] + b + "}");
        }
        return json.append("]}").toString();
    }

    /** Every series in the Prometheus text exposition format. */
    String exposition() {
        StringBuilder out = new StringBuilder();
        Map<Series, Traffic> sorted = sorted();
        counter(out, sorted, "simulated_agent_requests_total", "Requests the simulated agents served.", t -> t.requests);
        counter(out, sorted, "simulated_agent_errors_total", "Requests the simulated agents failed.", t -> t.errors);
        counter(out, sorted, "simulated_agent_critical_requests_total", "Critical operations the simulated agents served.",
                t -> t.criticalRequests);
        counter(out, sorted, "simulated_agent_critical_errors_total", "Critical operations the simulated agents failed.",
                t -> t.criticalErrors);
        out.append("# HELP simulated_agent_request_duration_seconds How long the simulated agents took to answer.\n")
                .append("# TYPE simulated_agent_request_duration_seconds histogram\n");
        sorted.forEach((s, t) -> {
            long cumulative = 0;
            for (int i = 0; i < BUCKETS.length; i++) {
                cumulative += t.buckets.get(i);
                out.append("simulated_agent_request_duration_seconds_bucket").append(labels(s, number(BUCKETS[i])))
                        .append(' ').append(cumulative).append('\n');
            }
            out.append("simulated_agent_request_duration_seconds_bucket").append(labels(s, "+Inf")).append(' ')
                    .append(t.requests.get()).append('\n');
            out.append("simulated_agent_request_duration_seconds_sum").append(labels(s, null)).append(' ')
                    .append(number(t.latencyMicrosSum.get() / 1e6)).append('\n');
            out.append("simulated_agent_request_duration_seconds_count").append(labels(s, null)).append(' ')
                    .append(t.requests.get()).append('\n');
        });
        out.append("# HELP simulated_agent_acknowledgements_total Acknowledgements the simulated agents sent.\n")
                .append("# TYPE simulated_agent_acknowledgements_total counter\n");
        new TreeMap<>(acknowledgements).forEach((key, count) -> {
            String[] parts = key.split("\u0000");
            out.append("simulated_agent_acknowledgements_total{rollout=\"").append(parts[0]).append("\",batch=\"")
                    .append(parts[1]).append("\",time_zone=\"").append(parts[2]).append("\"} ").append(count.get())
                    .append('\n');
        });
        return out.toString();
    }

    /** One counter family: its HELP and TYPE lines, then a sample per series. */
    private static void counter(StringBuilder out, Map<Series, Traffic> sorted, String name, String help,
            Function<Traffic, AtomicLong> value) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n')
                .append("# TYPE ").append(name).append(" counter\n");
        sorted.forEach((s, t) -> out.append(name).append(labels(s, null)).append(' ').append(value.apply(t).get()).append('\n'));
    }

    private static String labels(Series s, String le) {
        return "{rollout=\"" + s.rollout() + "\",stage=\"" + s.stage() + "\",component=\"" + s.component()
                + "\",variant=\"" + s.variant().toLowerCase(Locale.ROOT) + "\"" + (le == null ? "" : ",le=\"" + le + "\"")
                + "}";
    }

    private static String number(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e15 ? String.valueOf((long) value) + ".0"
                : String.format(Locale.ROOT, "%s", value);
    }
}
