package dev.rollout.platform.demo;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import dev.rollout.cli.Globs;
import dev.rollout.cli.Rollout;
import dev.rollout.starter.time.ClockPace;
import tools.jackson.databind.JsonNode;

/**
 * One complete rollout through the public REST API, exactly as its users would drive it: a CI pipeline creates
 * it and uploads the build's evidence, the release manager sets up the 44 pilots and approves, pilots give
 * feedback, the fleet is registered and acknowledges batch after batch, a fault in one batch triggers a
 * partial rollback that no one asks for, the fix is re-deployed, production completes. Prints a line per batch
 * and the addresses of the reports.
 */
public final class Demo {

    /** How large, which fault and where it goes, and where the simulated fleet's metrics are served (0: any port). */
    public record Options(int agents, long batchSize, int clusters, int faultBatch, Fault fault, double responseRate,
            double errorRate, int metricsPort, Path root, Map<String, String> evidence) {

        /** The build's own evidence: what the documented pipeline uploads (docs/pipelines/). */
        public Options(int agents, long batchSize, int clusters, int faultBatch, Fault fault, double responseRate,
                double errorRate, int metricsPort, Path root) {
            this(agents, batchSize, clusters, faultBatch, fault, responseRate, errorRate, metricsPort, root,
                    BUILD_EVIDENCE);
        }

        /**
         * Platform seconds per real second at the start, a guess from the batch size: a batch's six-hour observation
         * window should outlast its agents' answers. With a {@link ClockPace} the demo then follows the pace it
         * measures ({@link DemoPace}); where a window still closes before the last agents answered, the gate holds
         * on the response rate and the demo's release manager resumes once they have.
         */
        public double speed() {
            return DemoPace.guess(batchSize());
        }

        /** Agents per batch: as asked, or a twentieth of the fleet (1,000,000 of 20,000,000). */
        public long batchSize() {
            return batchSize > 0 ? batchSize : Math.max(1, agents / 20);
        }
    }

    /** The evidence of this build, by the rollout command's option, as globs under the project's root. */
    public static final Map<String, String> BUILD_EVIDENCE = evidence(
            "junit", "*/target/surefire-reports/TEST-*.xml",
            "jacoco", "coverage/target/site/jacoco-aggregate/jacoco.xml",
            "sarif", "*/target/spotbugsSarif.json",
            "jmh", "bench/target/jmh.json",
            "jmh-baseline", "bench/baseline/jmh.json");

    /** How to produce each kind of evidence where it is missing. */
    static final Map<String, String> PRODUCED_BY = Map.of(
            "junit", "./mvnw -B verify",
            "jacoco", "./mvnw -B verify -Pevidence",
            "sarif", "./mvnw -B verify -Pevidence",
            "jmh", "./mvnw -B -q -Pbench -DskipTests package && bench/run jmh",
            "jmh-baseline", "bench/run jmh, then keep bench/target/jmh.json as bench/baseline/jmh.json");

    /** Pairs of option and glob, in order. */
    public static Map<String, String> evidence(String... optionsAndGlobs) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < optionsAndGlobs.length; i += 2) {
            map.put(optionsAndGlobs[i], optionsAndGlobs[i + 1]);
        }
        return map;
    }

    /** Production's soak in the demo's plan ({@code PRODUCTION.minSoak}). */
    static final Duration PRODUCTION_SOAK = Duration.ofHours(2);

    /** Agents the pilots' clusters run during Phase 2: their traffic is the pilot phase's evidence. */
    static final int PILOT_AGENTS = 20_000;

    private final String edgeUrl;
    private final Api edge;
    private final FleetSimulator fleet;
    private final Options options;
    private final Instant started = Instant.now();
    private boolean faulted;
    /** With a silent zone: the agents of the faulty batch that will answer once their zone is back. */
    private ListedBatch late = ListedBatch.empty();
    private int lateBatch;
    private CompletableFuture<Double> registration;
    /** The platform's clock, where the demo sets its pace (null: the clock runs at a fixed speed). */
    private final ClockPace clock;
    private final DemoPace pace = new DemoPace();

    /** A batch's agents, being listed ahead. */
    private record Listed(int batch, CompletableFuture<ListedBatch> agents) {
    }

    private Listed prefetched;
    private Listed lastListed;
    /** Batches (with their activation) whose agents have answered. */
    private final Set<String> answered = new HashSet<>();
    /** Batches whose agents have acknowledged the rollout's version. */
    private final Set<Integer> acknowledgedBatches = new HashSet<>();

    public Demo(String edgeUrl, String agentApiUrl, Options options) {
        this(edgeUrl, agentApiUrl, options, null);
    }

    /** A demo that sets the pace of the platform's clock in {@code clock}, which every service follows. */
    public Demo(String edgeUrl, String agentApiUrl, Options options, ClockPace clock) {
        this.clock = clock;
        this.edgeUrl = edgeUrl;
        this.edge = new Api(edgeUrl);
        this.options = options;
        this.fleet = new FleetSimulator(edge, new Api(agentApiUrl), options.agents(), options.clusters(),
                options.responseRate(), options.errorRate());
    }

    private void say(String line) {
        System.out.printf("[%5.0f s] %s%n", Duration.between(started, Instant.now()).toMillis() / 1000.0, line);
    }

    /** Runs the demo; the rollout's id. */
    public UUID run() throws Exception {
        say(String.format("Demo: %,d agents in %d clusters over 24 time zones, batches of %,d; fault: %s%s; "
                + "the platform's clock runs %.0fx faster%s", options.agents(), options.clusters(), options.batchSize(),
                options.fault().description(), options.fault() == Fault.NONE || options.fault() == Fault.PILOT_FEEDBACK
                        ? "" : " in batch " + options.faultBatch(), clock != null ? clock.speed() : options.speed(),
                clock != null ? ", then at the pace measured here (a batch's 6-hour window outlasts its agents' answers)"
                        : ""));
        say("the simulated fleet's metrics for Prometheus: " + fleet.serveMetrics(options.metricsPort()));
        try {
            return drive();
        }
        finally {
            fleet.stopMetrics();
        }
    }

    private UUID drive() throws Exception {
        checkEvidence();
        JsonNode created = edge.post("/api/rollouts", "dev-ci", """
                {"name": "assistant 2.4 demo", "targetVersion": "2.4.0", "previousStableVersion": "2.3.1",
                 "components": [{"name": "planner", "version": "2.4.0"}, {"name": "memory", "version": "1.9.0"}],
                 "plan": {"phases": {"PILOT": {"minSoak": "PT2H", "approval": true},
                                     "EXPANSION": {"minSoak": "PT12H", "maxSoak": "P60D"},
                                     "PRODUCTION": {"minSoak": "%s", "approval": true}},
                          "batchSize": %d, "fleetCap": %d, "observationWindow": "%s",
                          "kpiOverrides": {"coverageMin": 0.6},
                          "userTypes": {"enterprise": ["planner", "memory"], "free": ["planner"]}}}"""
                .formatted(PRODUCTION_SOAK, options.batchSize(), options.agents(), DemoPace.WINDOW));
        UUID id = UUID.fromString(created.path("id").asString());
        String base = "/api/rollouts/" + id;
        say("CI created rollout " + id + " (plan: pilot soak 2 h, expansion at least 12 h, 6 h window per batch)");
        say("watch it in the console: " + edgeUrl + "/console/rollouts/" + id + " (sign in as dev-release-manager)");
        evidence(id);
        pilots(base);
        // the fleet registers while Phases 1 and 2 run; expansion waits for it
        registration = CompletableFuture.supplyAsync(() -> {
            long t0 = System.nanoTime();
            fleet.register(this::say);
            return (System.nanoTime() - t0) / 1e9;
        });
        edge.post(base + "/start", "dev-ci", "{\"reason\": \"build 2.4.0 passed CI\"}");
        say("CI started the rollout: Phase 1 (development and testing) is judged on the evidence");

        Set<String> done = new HashSet<>();
        String lastStatus = "";
        while (true) {
            JsonNode r = edge.get(base, "dev-viewer");
            String status = r.path("status").asString();
            int batch = r.path("batch").asInt();
            String key = status + ":" + batch + ":" + r.path("batchActivatedAt").asString("");
            if (!status.equals(lastStatus)) {
                say("rollout is " + status + (status.equals("EXPANSION") ? " (batch " + batch + " of " + r.path("batches").asInt()
                        + ")" : "") + ": " + r.path("statusReason").asString());
                lastStatus = status;
            }
            if (status.equals("COMPLETED")) {
                break;
            }
            if (status.equals("ROLLED_BACK") && options.fault() == Fault.PILOT_FEEDBACK) {
                JsonNode rollback = edge.get("/api/rollbacks?rolloutId=" + id, "dev-on-call").get(0);
                say(String.format("full rollback %s %s: every agent back on 2.3.1; the version never reached the fleet",
                        rollback.path("id").asString(), rollback.path("status").asString()));
                registration.join();
                break;
            }
            if (status.equals("PAUSED") && !late.isEmpty() && done.add(key)) {
                say("on-call: the gateway of " + Fault.SILENT_TIME_ZONE + " is back; its " + String.format("%,d", late.size())
                        + " agents of batch " + lateBatch + " answer");
                fleet.answerLate(id, "2.4.0", lateBatch, late);
                fleet.push(id, "batch-" + lateBatch, lateBatch);
                late = ListedBatch.empty();
                edge.post(base + "/resume", "dev-release-manager",
                        "{\"reason\": \"" + Fault.SILENT_TIME_ZONE + " answers again\"}");
                say("release manager resumed the rollout");
                continue;
            }
            if (status.equals("PAUSED") && "INCONCLUSIVE_GATE".equals(r.path("pauseReason").asString(""))
                    && r.path("batch").asInt() > 0 && done.add(key)) {
                // the gate judged the batch before its agents had all answered and pushed their traffic
                String activation = batch + ":" + r.path("batchActivatedAt").asString("");
                if (!answered.contains(activation)) {
                    say("batch " + batch + "'s window closed before its agents answered (the clock runs "
                            + Math.round(options.speed()) + "x); they answer now");
                    act(id, base, r, "EXPANSION", batch);
                }
                say("batch " + batch + "'s window closed before all its evidence was in; it is now: release manager resumes");
                edge.post(base + "/resume", "dev-release-manager", "{\"reason\": \"the batch's agents have answered\"}");
                continue;
            }
            if (List.of("PAUSED", "ROLLED_BACK", "ABORTED").contains(status)) {
                throw new IllegalStateException("The rollout stopped: " + status + ": " + r.path("statusReason").asString()
                        + "\n  conditions: " + r.path("conditions"));
            }
            if (done.add(key)) {
                act(id, base, r, status, batch);
            }
            Thread.sleep(200);
        }
        summary(id, base, edge.get(base, "dev-viewer").path("status").asString());
        return id;
    }

    private void act(UUID id, String base, JsonNode r, String status, int batch) throws InterruptedException {
        switch (status) {
            case "PILOT" -> {
                boolean negative = options.fault() == Fault.PILOT_FEEDBACK;
                for (int i = 1; i <= 8; i++) {
                    edge.post(base + "/feedback", String.format("dev-pilot-elite-%02d", i), negative
                            ? "{\"rating\": 2, \"instability\": true,"
                                    + " \"comment\": \"sessions freeze after an hour, whatever the task\"}"
                            : "{\"rating\": " + (i % 4 == 0 ? 4 : 5) + ", \"instability\": false, \"component\": \"planner\"}");
                }
                edge.post(base + "/health-checks", "dev-ci", "{\"name\": \"pilot cluster smoke\", \"passed\": true}");
                fleet.observe(id, "pilot", PILOT_AGENTS, Fault.NONE);
                fleet.push(id, "pilot", null);
                if (negative) {
                    say("pilots: 44 granted owner-level access; 8 ratings of 2 with instability reported (fault injected)");
                    return;
                }
                say("pilots: 44 granted owner-level access, 8 ratings (mean 4.75), health checks pass");
                double registered = registration.join();
                retime(pace.afterRegistration(registered / options.agents(), options.batchSize()), String.format(
                        "the fleet registered at %.1f s per %,d agents; the first batch is listed and answers within"
                                + " about %.0f times that", registered * options.batchSize() / options.agents(),
                        options.batchSize(), DemoPace.FIRST_BATCH_TO_REGISTRATION));
                edge.post(base + "/approve", "dev-release-manager", "{\"reason\": \"pilots are positive, fleet registered\"}");
                say("release manager approved the expansion (the fleet is registered)");
            }
            case "EXPANSION" -> {
                String activation = batch + ":" + r.path("batchActivatedAt").asString("");
                if (batch == 0 || !answered.add(activation)) {
                    return;
                }
                long t0 = System.nanoTime();
                // the batch's agents as listed while the previous batch was observed (the plan is frozen), or now
                // (a batch observed again after a fix has the members it had: the plan is frozen)
                ListedBatch agents = prefetched != null && prefetched.batch() == batch
                        ? prefetched.agents().join() : lastListed != null && lastListed.batch() == batch
                                ? lastListed.agents().join() : fleet.batch(id, batch);
                lastListed = new Listed(batch, CompletableFuture.completedFuture(agents));
                double listed = (System.nanoTime() - t0) / 1e9;
                boolean inject = batch == options.faultBatch() && !faulted && options.fault() != Fault.PILOT_FEEDBACK
                        && options.fault() != Fault.NONE;
                faulted |= inject;
                Fault fault = inject ? options.fault() : Fault.NONE;
                // a batch observed again after a fix acknowledged 2.4.0 the first time: now only its traffic is new
                boolean again = !acknowledgedBatches.add(batch);
                ListedBatch silent = fleet.act(id, "2.4.0", batch, agents, fault, !again);
                if (fault == Fault.SILENT_ZONE) {
                    late = silent.inZone(Fault.SILENT_TIME_ZONE);
                    lateBatch = batch;
                }
                fleet.push(id, "batch-" + batch, batch);
                double seconds = (System.nanoTime() - t0) / 1e9;
                if (batch < r.path("batches").asInt() && (prefetched == null || prefetched.batch() != batch + 1)) {
                    // list the next batch once this one has answered (not while it answers: on two cores the two
                    // compete and take longer together than one after the other, 18 s against 14 s a batch
                    // measured; with acknowledgements placed by seat still 6.5-7.5 s against 4.8-5.4 s,
                    // docs/benchmarks.md): its agents are ready when it is activated, or soon after
                    int next = batch + 1;
                    prefetched = new Listed(next, CompletableFuture.supplyAsync(() -> fleet.batch(id, next)));
                }
                JsonNode health = edge.get(base + "/batches/" + batch, "dev-viewer").path("health");
                double speed = clock != null ? clock.speed() : options.speed();
                say(String.format("batch %d/%d: activated %,d, acknowledged %,d (%.2f%%), time zones %d/%d (listed in %.1f s,"
                        + " answered in %.1f s; its window %.1f s at %.0fx)%s", batch, r.path("batches").asInt(),
                        health.path("activated").asLong(), health.path("acknowledged").asLong(),
                        100.0 * health.path("responseRate").asDouble(), health.path("timeZonesHeardFrom").asInt(),
                        health.path("timeZonesInBatch").asInt(), listed, seconds - listed, DemoPace.windowSeconds(speed),
                        speed,
                        inject ? "; fault injected: " + fault.description()
                                : again ? "; observed again after the fix (acknowledged before it)" : ""));
                if (clock != null) {
                    double next = clock.speed();
                    String why = null;
                    if (!again && fault != Fault.SILENT_ZONE) {
                        next = pace.afterBatch(seconds);
                        why = String.format("the slowest of the last batches answered in %.1f s", pace.slowest());
                    }
                    lapse(r.path("batchActivatedAt"), DemoPace.WINDOW, "the rest of batch " + batch + "'s window", next,
                            why);
                }
                JsonNode last = r.path("lastEvaluation");
                if (!last.isMissingNode() && !last.isNull()) {
                    say("  gate on " + (last.path("batch").isNumber() ? "batch " + last.path("batch").asInt()
                            : last.path("phase").asString()) + ": " + last.path("verdict").asString() + " "
                            + last.path("link").asString());
                }
            }
            case "ROLLING_BACK" -> say("the gate said ROLLBACK: " + r.path("statusReason").asString());
            case "PARTIALLY_ROLLED_BACK" -> {
                JsonNode rollback = edge.get("/api/rollbacks?rolloutId=" + id, "dev-on-call").get(0);
                say(String.format("partial rollback %s of %s done in %s ms (trigger to every agent's desired version flipped)",
                        rollback.path("id").asString(), rollback.path("components"), rollback.path("flippedAfterMs").asString()));
                String component = rollback.path("components").path(0).asString("memory");
                String version = component.equals("planner") ? "2.4.1" : "1.9.1";
                JsonNode fixed = edge.post(base + "/components/" + component + "/fix", "dev-release-manager",
                        "{\"version\": \"" + version + "\", \"reason\": \"" + component + " fixed: " + options.fault().description()
                                + " no more\"}");
                say(String.format("fix %s %s re-deployed to %,d activated agents; rollout %s", component, version,
                        fixed.path("agents").asLong(), fixed.path("rolloutStatus").asString()));
            }
            case "PRODUCTION" -> {
                fleet.observe(id, "production", options.agents(), Fault.NONE);
                fleet.push(id, "production", null);
                edge.post(base + "/feature-checks", "dev-ci", """
                        {"checks": [{"userType": "enterprise", "feature": "planner", "reached": true},
                                    {"userType": "enterprise", "feature": "memory", "reached": true},
                                    {"userType": "free", "feature": "planner", "reached": true}]}""");
                edge.post(base + "/approve", "dev-release-manager", "{\"reason\": \"SLAs met, support quiet\"}");
                say("production: every agent activated; each user type reaches its features; release manager approved");
                if (clock != null) {
                    lapse(r.path("phaseStartedAt"), PRODUCTION_SOAK, "the rest of production's soak", clock.speed(),
                            null);
                }
            }
            default -> {
            }
        }
    }

    /**
     * Once what a span of platform time waits for is in (a batch's answers and traffic, production's checks and
     * approval), the rest of the span passes in {@link DemoPace#LAPSE}: nothing more arrives in it, so waiting it out
     * at the pace would add real time and no evidence. The clock runs fast from a short notice on (a service that
     * reads it late sees its clock jump forward, never back), then at {@code speed}; it is set to {@code speed} as a
     * plain change where there is nothing left to skip. {@code why}: why the pace changes (null: it does not). Only
     * where the demo sets the clock's pace.
     */
    private void lapse(JsonNode since, Duration span, String what, double speed, String why) {
        double before = clock.speed();
        List<ClockPace.Step> steps = !since.isString() ? List.of() : clock.fastForward(
                Instant.parse(since.asString()).plus(span), speed, DemoPace.LAPSE_NOTICE, DemoPace.LAPSE,
                java.time.Clock.systemUTC());
        if (steps.isEmpty()) {
            if (why != null) {
                retime(speed, why);
            }
            return;
        }
        say(String.format("%s (%.1f h) passes in %.1f s: every answer it waited for is in", what,
                Duration.between(steps.get(0).platformFrom(), steps.get(1).platformFrom()).toSeconds() / 3600.0,
                DemoPace.LAPSE.toMillis() / 1000.0));
        if (why != null && Math.abs(speed - before) > 0.05 * before) {
            say(String.format("the platform's clock runs %.0fx from then on: a batch's 6-hour window lasts %.1f s (%s)",
                    speed, DemoPace.windowSeconds(speed), why));
        }
    }

    /** Sets the clock's pace, where the demo has one and the pace differs by more than 5% from the present one. */
    private void retime(double speed, String why) {
        if (clock == null) {
            return;
        }
        double now = clock.speed();
        if (Math.abs(speed - now) > 0.05 * now) {
            clock.change(speed, DemoPace.NOTICE, java.time.Clock.systemUTC());
            say(String.format("the platform's clock runs %.0fx from now on: a batch's 6-hour window lasts %.1f s (%s)",
                    speed, DemoPace.windowSeconds(speed), why));
        }
    }

    /** The build's own evidence must be there before a rollout is created: says which is missing and how to make it. */
    private void checkEvidence() throws IOException {
        List<String> missing = missingEvidence(options);
        if (!missing.isEmpty()) {
            throw new IllegalStateException(String.join("\n  ", missing));
        }
    }

    /**
     * What of the evidence the demo uploads is missing, each with how to produce it; empty when all is there.
     * The demo's Phase 1 is judged on this build's own reports, uploaded as the pipelines in docs/pipelines/ do.
     */
    public static List<String> missingEvidence(Options options) throws IOException {
        List<String> missing = new ArrayList<>();
        for (Map.Entry<String, String> source : options.evidence().entrySet()) {
            if (Globs.expand(options.root(), source.getValue()).isEmpty()) {
                missing.add(source.getKey() + " (" + source.getValue() + "): " + PRODUCED_BY.getOrDefault(source.getKey(),
                        "produce it first"));
            }
        }
        if (!missing.isEmpty()) {
            missing.add(0, "The demo's Phase 1 is judged on this build's own evidence, uploaded through the rollout "
                    + "command as docs/pipelines/ does; missing:");
        }
        return missing;
    }

    /** The CI pipeline's upload, through the rollout command. */
    private void evidence(UUID id) {
        List<String> args = new ArrayList<>(List.of("evidence", "upload", id.toString(), "--dir",
                options.root().toString()));
        options.evidence().forEach((option, glob) -> args.addAll(List.of("--" + option, glob)));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Rollout.run(args.toArray(String[]::new), Map.of("ROLLOUT_URL", edgeUrl, "ROLLOUT_TOKEN", "dev-ci"),
                new PrintWriter(out), new PrintWriter(err), false);
        if (code != 0) {
            throw new IllegalStateException("rollout evidence upload failed (" + code + "): " + err);
        }
        say("CI: rollout evidence upload <rollout> " + String.join(" ", args.subList(5, args.size())));
        out.toString().lines().forEach(line -> say("  " + line.strip()));
        err.toString().lines().forEach(line -> say("  " + line.strip()));
    }

    private void pilots(String base) {
        StringBuilder roster = new StringBuilder("[");
        for (int i = 1; i <= 11; i++) {
            roster.append(i == 1 ? "" : ",").append(pilot(String.format("elite-%02d", i), "ELITE_11", 4));
        }
        for (int squadron = 1; squadron <= 3; squadron++) {
            for (int i = 1; i <= 11; i++) {
                roster.append(',').append(pilot(String.format("mastery-%d-%02d", squadron, i), "MASTERY_33", squadron));
            }
        }
        edge.put("/api/pilots", "dev-release-manager", roster.append(']').toString());
        for (String group : List.of("ELITE_11", "MASTERY_33")) {
            JsonNode session = edge.post("/api/onboarding-sessions", "dev-release-manager",
                    "{\"group\":\"" + group + "\",\"title\":\"Onboarding 2.4\",\"scheduledAt\":\"2026-11-01T09:00:00Z\"}");
            String sessionId = session.path("id").asString();
            for (int squadron = group.equals("ELITE_11") ? 0 : 1; squadron <= (group.equals("ELITE_11") ? 0 : 3); squadron++) {
                for (int i = 1; i <= 11; i++) {
                    String pilot = group.equals("ELITE_11") ? String.format("elite-%02d", i)
                            : String.format("mastery-%d-%02d", squadron, i);
                    edge.put("/api/onboarding-sessions/" + sessionId + "/attendance/" + pilot, "dev-release-manager",
                            "{\"attended\":true,\"completed\":true}");
                }
            }
        }
        say("release manager imported the 44 pilots (Elite 11, Mastery 33) and recorded their onboarding");
    }

    private static String pilot(String id, String group, int squadron) {
        return "{\"id\":\"" + id + "\",\"name\":\"" + id + "\",\"contact\":\"" + id + "@example.org\",\"group\":\"" + group
                + "\",\"wing\":1,\"squadron\":" + squadron + "}";
    }

    private void summary(UUID id, String base, String status) {
        String review = edge.text(base + "/reports/review?format=markdown", "dev-viewer");
        long lines = review.lines().count();
        say(status + String.format(" after %.0f s. Reports:", Duration.between(started, Instant.now()).toMillis() / 1000.0));
        System.out.println("  post-rollout review  " + base + "/reports/review?format=markdown  (" + lines + " lines)");
        System.out.println("  daily stand-up       " + base + "/reports/daily?format=markdown");
        System.out.println("  weekly update        /api/reports/weekly?format=markdown");
        System.out.println("  timeline             " + base + "/timeline");
        System.out.println("  rollbacks            /api/rollbacks?rolloutId=" + id);
    }
}
