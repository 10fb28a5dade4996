package dev.rollout.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.sun.net.httpserver.HttpServer;
import dev.rollout.platform.demo.Demo;
import dev.rollout.platform.demo.Fault;
import dev.rollout.platform.standalone.Platform;
import dev.rollout.platform.standalone.PlatformService;
import dev.rollout.cli.Figures;
import dev.rollout.cli.Rollout;
import dev.rollout.starter.test.Http;
import dev.rollout.starter.test.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.ClassOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestClassOrder;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * All six services, each its own process on a random port, on the real PostgreSQL, called through the
 * edge with tokens exactly as a release manager or a CI job would.
 */
@TestClassOrder(ClassOrderer.OrderAnnotation.class)
class PlatformEndToEndTest {

    static Platform platform;
    static Http edge;
    static SpanCollector spans;

    @BeforeAll
    static void startPlatform() throws Exception {
        TestDatabase.Coordinates db = TestDatabase.get();
        try (Connection c = DriverManager.getConnection(db.url(), db.username(), db.password());
                Statement s = c.createStatement()) {
            // every service starts on an empty schema of its own: the test owns the whole platform's state
            for (PlatformService service : PlatformService.values()) {
                if (service.schema() != null) {
                    s.execute("DROP SCHEMA IF EXISTS " + service.schema() + " CASCADE");
                }
            }
        }
        Map<PlatformService, Integer> ports = new EnumMap<>(PlatformService.class);
        // seven distinct free ports (the six services, cluster-batcher's agent port): each socket stays open until all
        // are chosen, so none is handed out twice
        List<ServerSocket> held = new ArrayList<>();
        int agentPort;
        try {
            for (PlatformService service : PlatformService.values()) {
                ServerSocket socket = new ServerSocket(0);
                held.add(socket);
                ports.put(service, socket.getLocalPort());
            }
            ServerSocket socket = new ServerSocket(0);
            held.add(socket);
            agentPort = socket.getLocalPort();
        }
        finally {
            for (ServerSocket socket : held) {
                socket.close();
            }
        }
        Map<PlatformService, List<String>> arguments = new EnumMap<>(PlatformService.class);
        String origin = Instant.now().toString();
        spans = new SpanCollector(); // every service exports its spans here over OTLP, at once
        for (PlatformService service : PlatformService.values()) {
            List<String> args = new ArrayList<>(List.of("--rollout.time.speed=" + WholeRollout.SPEED,
                    "--rollout.time.origin=" + origin,
                    "--management.opentelemetry.tracing.export.otlp.endpoint=" + spans.endpoint(),
                    "--management.opentelemetry.tracing.export.schedule-delay=200ms"));
            if (service == PlatformService.PHASE_ENGINE) {
                args.addAll(List.of("--rollout.reconcile.interval=PT0.2S", "--rollout.reconcile.lease-ttl=PT2S",
                        "--rollout.reconcile.evaluation-interval=PT6H", "--rollout.outbound.allow-private=true",
                        "--rollout.notifications.dispatch-every=PT0.1S", "--rollout.notifications.timeout=PT1S"));
            }
            if (service == PlatformService.ROLLBACK_SERVICE) {
                args.add("--rollout.rollback.lease=PT5S"); // a crashed executor's rollback is picked up 5 s later
            }
            arguments.put(service, args);
        }
        platform = Platform.start(new Platform.Options(Path.of("..").toAbsolutePath().normalize(),
                new Platform.Postgres(db.url(), db.username(), db.password()), ports,
                Path.of("target/e2e-logs"), List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx384m"),
                arguments).withAgentPort(agentPort));
        platform.awaitReady(Duration.ofMinutes(4), System.out::println);
        edge = new Http(platform.url(PlatformService.ROLLOUT_API));
    }

    @AfterAll
    static void stopPlatform() {
        if (platform != null) {
            platform.close();
        }
        if (spans != null) {
            spans.close();
        }
    }

    @Test
    void aReleaseManagerCreatesAndReadsARolloutThroughTheEdge() {
        Http.Answer created = edge.post("/api/rollouts", "dev-release-manager", """
                {"name": "assistant 2.4", "targetVersion": "2.4.0", "previousStableVersion": "2.3.1",
                 "components": [{"name": "planner", "version": "2.4.0"}, {"name": "memory", "version": "1.9.0"}]}""");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String location = created.header("Location");
        assertThat(location).startsWith("/api/rollouts/");

        Http.Answer read = edge.get(location, "dev-viewer");
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.body()).contains("\"status\":\"DRAFT\"").contains("\"name\":\"memory\"");

        assertThat(edge.get("/api/rollouts?status=DRAFT", "dev-ci").body()).contains(location.substring(14));
    }

    @Test
    void theEdgeRefusesWhatTheOwningServiceRefuses() {
        String body = "{\"name\":\"x\",\"targetVersion\":\"2\",\"previousStableVersion\":\"1\",\"components\":[{\"name\":\"a\",\"version\":\"1\"}]}";
        assertThat(edge.post("/api/rollouts", "dev-viewer", body).status()).isEqualTo(403);
        assertThat(edge.post("/api/rollouts", null, body).status()).isEqualTo(401);
        assertThat(edge.post("/api/rollouts", "not-a-token", body).status()).isEqualTo(401);
        assertThat(edge.get("/api/rollouts/00000000-0000-0000-0000-000000000000", "dev-viewer").status()).isEqualTo(404);
    }

    @Test
    void aRollbackAskedThroughTheEdgeIsOneTraceAcrossTheServicesItsStepsCall() throws Exception {
        String trace = "6bf92f3577b34da6a3ce929d0e0e4736";
        Http.Answer created = edge.post("/api/rollouts", "dev-release-manager", """
                {"name": "traced", "targetVersion": "2.4.0", "previousStableVersion": "2.3.1",
                 "components": [{"name": "planner", "version": "2.4.0"}]}""");
        String id = JsonMapper.builder().build().readTree(created.body()).get("id").asString();
        assertThat(edge.post("/api/rollouts/" + id + "/start", "dev-release-manager", "").status()).isEqualTo(200);
        Http.Answer asked = edge.post("/api/rollbacks", "dev-on-call", "application/json", "{\"rolloutId\":\"" + id
                + "\",\"scope\":\"FULL\",\"reason\":\"traced rollback\"}",
                Map.of("traceparent", "00-" + trace + "-00f067aa0ba902b7-01"));
        assertThat(asked.status()).as(asked.body()).isEqualTo(202);

        // each service exports its spans on its own schedule: wait for every service and for the step's own span
        Set<String> services = Set.of();
        Instant deadline = Instant.now().plusSeconds(60);
        while (Instant.now().isBefore(deadline)) {
            List<SpanCollector.Received> received = spans.trace(trace);
            services = received.stream().map(SpanCollector.Received::service).collect(Collectors.toSet());
            if (services.containsAll(List.of("rollout-api", "rollback-service", "phase-engine", "cluster-batcher",
                    "pilot-service")) && received.stream().anyMatch(s -> s.name().equals("rollback REVERT_AGENTS"))) {
                break;
            }
            Thread.sleep(200);
        }
        assertThat(services).as("the services with spans of the caller's trace")
                .contains("rollout-api", "rollback-service", "phase-engine", "cluster-batcher", "pilot-service");
        SpanCollector.Received revert = spans.trace(trace).stream().filter(s -> s.name().equals("rollback REVERT_AGENTS"))
                .findFirst().orElseThrow();
        assertThat(revert.attribute("rollout.id")).isEqualTo(id);
        assertThat(revert.attribute("idempotency.key")).startsWith("rollback:").endsWith(":REVERT_AGENTS");
    }

    /**
     * The demo's evidence in the test run, which is itself the build (its coverage and scan are written after it):
     * real tools' files, a SpotBugs scan with find-sec-bugs of pilot-service among them.
     */
    static final Map<String, String> FIXTURE_EVIDENCE = Demo.evidence(
            "junit", "metrics-gate/src/test/resources/fixtures/junit/all-pass/TEST-*.xml",
            "jacoco", "metrics-gate/src/test/resources/fixtures/coverage/jacoco-all-pass.xml",
            "sarif", "launcher/src/test/resources/evidence/spotbugs-pilot-service.sarif",
            "jmh", "metrics-gate/src/test/resources/fixtures/jmh/jmh-avgt-baseline.json",
            "jmh-baseline", "metrics-gate/src/test/resources/fixtures/jmh/jmh-avgt-baseline.json");

    record Command(int code, String out, String err) {
    }

    /** The rollout command as a pipeline runs it: address and token from the environment. */
    static Command rollout(String token, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Rollout.run(args, Map.of("ROLLOUT_URL", platform.url(PlatformService.ROLLOUT_API), "ROLLOUT_TOKEN",
                token), new PrintWriter(out), new PrintWriter(err), false);
        return new Command(code, out.toString(), err.toString());
    }

    @Test
    void theRolloutCommandCreatesGatesActsAndRollsBackThroughTheEdgeWithExitCodesAPipelineReads() throws Exception {
        JsonMapper json = JsonMapper.builder().build();
        Command created = rollout("dev-ci", "create", "--name", "assistant 3.0 from a pipeline", "--version", "3.0.0",
                "--previous", "2.9.1", "--component", "planner=3.0.0", "--component", "memory=2.0.0");
        assertThat(created.code()).as(created.err()).isZero();
        String id = created.out().strip();
        assertThat(created.err()).contains("(DRAFT)");

        String fixtures = "metrics-gate/src/test/resources/fixtures/";
        Command uploaded = rollout("dev-ci", "evidence", "upload", id, "--dir", Path.of("..").toAbsolutePath().normalize()
                .toString(), "--junit", fixtures + "junit/all-pass/*.xml", "--junit", fixtures + "coverage/*.xml",
                "--jacoco", fixtures + "coverage/jacoco-all-pass.xml", "--jmh", fixtures + "jmh/jmh-avgt-baseline.json",
                "--jmh-baseline", fixtures + "jmh/jmh-avgt-baseline.json");
        assertThat(uploaded.code()).as(uploaded.err()).isZero();
        assertThat(uploaded.err()).as("coverage reports are not JUnit reports").contains("jacoco-all-pass.xml: not a JUnit");
        assertThat(uploaded.out()).contains("uploaded 5 file(s)").contains("TEST-com.example.shop.SkuParserTest.xml");

        Command gate = rollout("dev-ci", "gate", id, "--phase", "DEVELOPMENT", "-o", "json");
        String verdict = json.readTree(gate.out()).path("verdict").asString();
        assertThat(gate.code()).as("the exit code is the verdict: " + verdict + "\n" + gate.err())
                .isEqualTo(Map.of("PASS", 0, "HOLD", 2, "ROLLBACK", 3).get(verdict));
        Command readable = rollout("dev-ci", "gate", id, "--phase", "DEVELOPMENT");
        assertThat(readable.out()).startsWith(verdict + ": DEVELOPMENT gate of rollout " + id).contains("TESTS")
                .contains("COVERAGE").doesNotContainPattern("\\d\\.\\d{6,}");

        assertThat(rollout("dev-ci", "start", id, "--reason", "build 3.0.0 passed").out()).contains(id + " '")
                .contains(": DEVELOPMENT");
        Command refused = rollout("dev-ci", "pause", id, "--reason", "not mine to pause");
        assertThat(refused.code()).isEqualTo(1);
        assertThat(refused.err()).contains("403");
        assertThat(rollout("dev-release-manager", "pause", id, "--reason", "the night shift").code()).isZero();
        assertThat(json.readTree(rollout("dev-viewer", "status", id, "-o", "json").out()).path("status").asString())
                .isEqualTo("PAUSED");
        assertThat(rollout("dev-viewer", "status", id).out()).contains("PAUSED in DEVELOPMENT")
                .contains("components planner 3.0.0, memory 2.0.0 (from 2.9.1)");
        assertThat(rollout("dev-release-manager", "resume", id, "--reason", "morning").code()).isZero();

        Command rollback = rollout("dev-on-call", "rollback", id, "--reason", "smoke test failed", "--wait",
                "--timeout", "PT2M");
        assertThat(rollback.code()).as(rollback.out() + rollback.err()).isZero();
        assertThat(rollback.out()).contains("started (FULL)").contains("REVERT_AGENTS DONE").contains("COMPLETED");
        Command watched = rollout("dev-viewer", "watch", id, "--every", "PT0.2S", "--timeout", "PT1M");
        assertThat(watched.code()).as("a rolled-back rollout: " + watched.out() + watched.err()).isEqualTo(3);
        assertThat(watched.out()).contains("ROLLED_BACK");
        assertThat(rollout("dev-viewer", "status").out()).contains(id).contains("assistant 3.0 from a pipeline");
    }

    /** A checkout after its build: the reports where the build writes them, and ./rollout. */
    static void workspace(Path workspace, String sarif) throws IOException {
        Path root = Path.of("..").toAbsolutePath().normalize();
        Path fixtures = root.resolve("metrics-gate/src/test/resources/fixtures");
        Path reports = Files.createDirectories(workspace.resolve("planner/target/surefire-reports"));
        try (var junit = Files.list(fixtures.resolve("junit/all-pass"))) {
            for (Path report : junit.toList()) {
                Files.copy(report, reports.resolve(report.getFileName()));
            }
        }
        Files.writeString(reports.resolve("planner.txt"), "Tests run: 2");
        copy(fixtures.resolve("coverage/jacoco-all-pass.xml"), workspace.resolve("coverage/target/site/jacoco-aggregate/jacoco.xml"));
        Files.createDirectories(workspace.resolve("planner/target"));
        if (sarif == null) {
            Files.writeString(workspace.resolve("planner/target/spotbugsSarif.json"), "{\"version\": \"2.1.0\", "
                    + "\"runs\": [{\"tool\": {\"driver\": {\"name\": \"SpotBugs\", \"rules\": []}}, \"results\": []}]}");
        }
        else {
            copy(fixtures.resolve(sarif), workspace.resolve("planner/target/spotbugsSarif.json"));
        }
        copy(fixtures.resolve("jmh/jmh-avgt-baseline.json"), workspace.resolve("bench/target/jmh.json"));
        copy(fixtures.resolve("jmh/jmh-avgt-baseline.json"), workspace.resolve("bench/baseline/jmh.json"));
        Path command = workspace.resolve("rollout");
        Files.writeString(command, "#!/bin/sh\nexec '" + root.resolve("rollout") + "' \"$@\"\n");
        command.toFile().setExecutable(true);
    }

    static void copy(Path from, Path to) throws IOException {
        Files.createDirectories(to.getParent());
        Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
    }

    @Test
    void theDocumentedPipelinesRunTheirReleaseStepsAgainstThePlatform(@TempDir Path temp)
            throws Exception {
        Map<String, String> expressions = Map.of("secrets.ROLLOUT_URL", platform.url(PlatformService.ROLLOUT_API),
                "secrets.ROLLOUT_TOKEN", "dev-ci", "github.ref_name", "3.1.0", "vars.STABLE_VERSION", "3.0.0");
        Map<String, String> runner = Map.of("GITHUB_REPOSITORY", "example/assistant", "GITHUB_SHA", "0a1b2c3d");

        // the fixtures' coverage is 68% of lines, under the default 80%: the gate holds, the rollout stays a DRAFT
        Path thin = Files.createDirectories(temp.resolve("thin"));
        workspace(thin, null);
        List<Pipelines.Step> steps = Pipelines.github(thin, expressions, runner);
        assertThat(steps).extracting(Pipelines.Step::name).containsExactly("Create the rollout",
                "Upload the build's evidence", "Phase 1 gate", "Where it stands");
        assertThat(steps).extracting(Pipelines.Step::code).as(steps.toString()).containsExactly(0, 0, 1, 0);
        assertThat(steps.get(1).output()).contains("uploaded 6 file(s)").doesNotContain("matches no");
        assertThat(steps.get(2).output()).contains("HOLD: DEVELOPMENT gate").contains("COVERAGE")
                .contains("::warning::the gate holds");
        assertThat(steps.get(3).output()).contains("'assistant 3.1.0' 3.1.0: DRAFT");

        Pipelines.Step job = Pipelines.gitlab(thin, Map.of("ROLLOUT_URL", platform.url(PlatformService.ROLLOUT_API),
                "ROLLOUT_TOKEN", "dev-ci", "CI_COMMIT_TAG", "3.1.1", "STABLE_VERSION", "3.0.0", "CI_PROJECT_PATH",
                "example/assistant", "CI_COMMIT_SHA", "0a1b2c3d"));
        assertThat(job.code()).as(job.output()).isEqualTo(1);
        assertThat(job.output()).contains("HOLD: DEVELOPMENT gate").contains("'assistant 3.1.1' 3.1.1: DRAFT");

        // a security finding of the scan holds Phase 1 too, and says which
        Path finding = Files.createDirectories(temp.resolve("finding"));
        workspace(finding, "sarif/spotbugs-findsecbugs.sarif");
        steps = Pipelines.github(finding, expressions, runner);
        assertThat(steps).extracting(Pipelines.Step::code).as(steps.toString()).containsExactly(0, 0, 1, 0);
        assertThat(steps.get(2).output()).contains("HOLD: DEVELOPMENT gate").contains("SECURITY_SCAN")
                .contains("DMI_CONSTANT_DB_PASSWORD");

        // the release manager accepts 60% line coverage for this release once the rollout exists: the gate
        // passes and the pipeline starts the rollout
        steps = Pipelines.github(thin, expressions, runner, (step, env) -> {
            if (step.equals("Create the rollout")) {
                assertThat(edge.put("/api/rollouts/" + env.get("ROLLOUT_ID") + "/kpi-policy", "dev-release-manager",
                        "{\"coverageMin\": 0.6}").status()).isEqualTo(200);
            }
        });
        assertThat(steps).extracting(Pipelines.Step::code).as(steps.toString()).containsExactly(0, 0, 0, 0);
        assertThat(steps.get(2).output()).startsWith("PASS: DEVELOPMENT gate");
        assertThat(steps.get(3).output()).contains("'assistant 3.1.0' 3.1.0: DEVELOPMENT")
                .contains("example/assistant@0a1b2c3d passed its gate");
    }

    @Test
    void aCallersTraceCrossesTheEdgeAndItsIdIsInTheProblemTheServiceAnswers() {
        String trace = "4bf92f3577b34da6a3ce929d0e0e4736";
        Http.Answer missing = edge.get("/api/rollouts/00000000-0000-0000-0000-000000000000", "dev-viewer",
                Map.of("traceparent", "00-" + trace + "-00f067aa0ba902b7-01"));
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.body()).as("phase-engine's problem, through the edge").contains("\"traceId\":\"" + trace + "\"");
    }

    @Test
    void badInputIsA4xxProblemNeverA500() {
        Http.Answer malformed = edge.post("/api/rollouts", "dev-release-manager", "{\"name\": ");
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.header("Content-Type")).contains("problem+json");

        Http.Answer wrongType = edge.post("/api/rollouts", "dev-release-manager",
                "{\"name\":\"x\",\"targetVersion\":\"2\",\"previousStableVersion\":\"1\",\"components\":\"planner\"}");
        assertThat(wrongType.status()).isEqualTo(400);
        assertThat(wrongType.body()).contains("components");

        Http.Answer unknownField = edge.post("/api/rollouts", "dev-release-manager",
                "{\"name\":\"x\",\"targetVersion\":\"2\",\"previousStableVersion\":\"1\",\"components\":[],\"colour\":1}");
        assertThat(unknownField.status()).isEqualTo(400);
        assertThat(unknownField.body()).contains("colour");

        Http.Answer oversized = edge.post("/api/rollouts", "dev-release-manager",
                "{\"name\":\"" + "x".repeat(2_000_000) + "\"}");
        assertThat(oversized.status()).isEqualTo(413);
    }

    @Test
    void oneSwaggerUiListsTheApisOfAllSixServices() {
        Http.Answer config = edge.get("/v3/api-docs/swagger-config", null);
        assertThat(config.status()).isEqualTo(200);
        for (PlatformService service : PlatformService.values()) {
            assertThat(config.body()).contains("\"name\":\"" + service.module() + "\"");
        }
        for (PlatformService service : PlatformService.values()) {
            String path = service == PlatformService.ROLLOUT_API ? "/v3/api-docs" : "/docs/" + service.module() + "/v3/api-docs";
            Http.Answer doc = edge.get(path, null);
            assertThat(doc.status()).as(path).isEqualTo(200);
            assertThat(doc.body()).as(path).contains("\"title\":\"" + service.module() + "\"").contains("\"/api/");
        }
        assertThat(edge.get("/swagger-ui/index.html", null).status()).isEqualTo(200);
    }

    @Test
    void theEdgeReportsEveryServiceReady() {
        Http.Answer services = edge.get("/api/platform/services", "dev-viewer");
        assertThat(services.status()).isEqualTo(200);
        assertThat(services.body()).doesNotContain("\"ready\":false");
        assertThat(services.body().split("\"ready\":true", -1)).hasSize(6);
        assertThat(edge.get("/api/platform/services", "dev-agent-a-1").status()).isEqualTo(403);
        // the services' internal addresses are for the people who operate the platform
        assertThat(services.body()).doesNotContain("http://");
        assertThat(edge.get("/api/platform/services", "dev-on-call").body()).contains("\"url\":\"http://127.0.0.1:");
    }

    /**
     * The gate reading the other services over HTTP, all through the edge: a batch's health from
     * cluster-batcher (HOLD while the error rate's interval straddles 1%, ROLLBACK once it is above, PASS on a
     * healthy batch with enough samples), and pilot feedback from pilot-service.
     */
    @Nested
    @Order(1)
    class GateAcrossServices {

        final JsonMapper mapper = JsonMapper.builder().build();

        JsonNode json(Http.Answer answer) {
            return mapper.readTree(answer.body());
        }

        JsonNode measurement(JsonNode evaluation, String kpi) {
            for (JsonNode m : evaluation.get("measurements")) {
                if (m.get("kpi").asString().equals(kpi)) {
                    return m;
                }
            }
            throw new AssertionError("no " + kpi + " in " + evaluation);
        }

        UUID freezeAndActivate() {
            UUID rollout = UUID.randomUUID();
            Http.Answer frozen = edge.post("/api/rollouts/" + rollout + "/batch-plan", "dev-release-manager", """
                    {"batchSize": 600, "targetVersion": "2.4.0", "previousStableVersion": "2.3.1",
                     "components": [{"name": "planner", "version": "2.4.0", "previousVersion": "2.3.1"}]}""");
            assertThat(frozen.status()).as(frozen.body()).isEqualTo(201);
            assertThat(edge.post("/api/rollouts/" + rollout + "/batches/1/activation", "dev-release-manager", "").status())
                    .isEqualTo(200);
            return rollout;
        }

        List<String> activated(UUID rollout) {
            JsonNode desired = json(edge.post("/agent/v1/desired", GATEWAY,
                    "{\"agentIds\":[\"" + String.join("\",\"", fleet()) + "\"]}"));
            List<String> active = new ArrayList<>();
            desired.get("states").forEach(s -> {
                if (s.get("activated").asBoolean() && s.get("rolloutId").asString().equals(rollout.toString())) {
                    active.add(s.get("agentId").asString());
                }
            });
            return active;
        }

        void ack(UUID rollout, List<String> agents, int requests, int errors) {
            StringBuilder body = new StringBuilder("{\"acks\":[");
            for (int i = 0; i < agents.size(); i++) {
                body.append(i == 0 ? "" : ",").append("{\"agentId\":\"").append(agents.get(i)).append("\",\"rolloutId\":\"")
                        .append(rollout).append("\",\"version\":\"2.4.0\",\"status\":\"OK\",\"latencyMs\":40,\"requests\":")
                        .append(requests).append(",\"errors\":").append(errors).append('}');
            }
            Http.Answer answer = edge.post("/agent/v1/acks", GATEWAY, body.append("]}").toString());
            assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        }

        JsonNode evaluateBatch(UUID rollout) {
            Http.Answer answer = edge.post("/api/rollouts/" + rollout + "/evaluations", "dev-release-manager",
                    "{\"phase\":\"EXPANSION\",\"batch\":1}");
            assertThat(answer.status()).as(answer.body()).isEqualTo(201);
            return json(answer);
        }

        @Test
        void aBatchHoldsWhileItsErrorRateStraddlesOnePercentRollsBackAboveItAndPassesWhenHealthy() {
            importFleet();
            UUID failing = freezeAndActivate();
            List<String> active = activated(failing);
            assertThat(active).hasSize(600);

            ack(failing, active.subList(0, 10), 100, 1);
            JsonNode few = evaluateBatch(failing);
            assertThat(few.get("verdict").asString()).isEqualTo("HOLD");
            JsonNode straddling = measurement(few, "ERROR_RATE_TRIGGER");
            assertThat(straddling.get("verdict").asString()).isEqualTo("INCONCLUSIVE");
            assertThat(straddling.get("reason").asString()).contains("10 of 1000").contains("straddles 1%");
            assertThat(straddling.get("source").asString()).isEqualTo("cluster-batcher batch 1 health");

            ack(failing, active.subList(10, 600), 100, 3);
            JsonNode many = evaluateBatch(failing);
            assertThat(many.get("verdict").asString()).isEqualTo("ROLLBACK");
            assertThat(many.get("scope").asString()).isEqualTo("FULL");
            JsonNode above = measurement(many, "ERROR_RATE_TRIGGER");
            assertThat(above.get("confidenceLow").asDouble()).isGreaterThan(0.01);
            assertThat(above.get("reason").asString()).contains("1780 of 60000").contains("entirely above 1%");

            UUID healthy = freezeAndActivate();
            List<String> healthyAgents = activated(healthy);
            ack(healthy, healthyAgents, 100, 0);
            Http.Answer pushed = edge.post("/api/rollouts/" + healthy + "/samples", "dev-service", """
                    {"samples": [
                      {"metric": "REQUESTS", "batch": 1, "value": 100000},
                      {"metric": "ERRORS", "batch": 1, "value": 10},
                      {"metric": "CRITICAL_REQUESTS", "batch": 1, "value": 100000},
                      {"metric": "CRITICAL_ERRORS", "batch": 1, "value": 5},
                      {"metric": "LATENCY_MS", "batch": 1, "value": 120, "count": 100000},
                      {"metric": "LATENCY_MS", "variant": "BASELINE", "batch": 1, "value": 110, "count": 100000}]}""");
            assertThat(pushed.status()).as(pushed.body()).isEqualTo(200);
            JsonNode pass = evaluateBatch(healthy);
            assertThat(pass.get("verdict").asString()).as(pass.get("reasons").toString()).isEqualTo("PASS");
            assertThat(measurement(pass, "TIME_ZONES").get("reason").asString()).isEqualTo("heard from 24 of 24 time zones");
            assertThat(measurement(pass, "AGENT_RESPONSE_RATE").get("reason").asString()).contains("600 of 600");

            Http.Answer why = edge.get("/api/evaluations/" + many.get("id").asString(), "dev-on-call");
            assertThat(why.status()).isEqualTo(200);
            assertThat(why.body()).contains("\"verdict\":\"ROLLBACK\"").contains("entirely above 1%");
        }

        @Test
        void theGateReadsPilotFeedbackFromPilotService() {
            UUID rollout = UUID.randomUUID();
            StringBuilder roster = new StringBuilder("[");
            for (int i = 1; i <= 11; i++) {
                roster.append(i == 1 ? "" : ",").append(pilot(String.format("elite-%02d", i), "ELITE_11", 4));
            }
            for (int squadron = 1; squadron <= 3; squadron++) {
                for (int i = 1; i <= 11; i++) {
                    roster.append(',').append(pilot(String.format("mastery-%d-%02d", squadron, i), "MASTERY_33", squadron));
                }
            }
            assertThat(edge.put("/api/pilots", "dev-release-manager", roster.append(']').toString()).status()).isEqualTo(200);
            assertThat(edge.post("/api/rollouts/" + rollout + "/pilots/activation", "dev-release-manager", "").status())
                    .isEqualTo(200);
            for (int i = 1; i <= 5; i++) {
                assertThat(edge.post("/api/rollouts/" + rollout + "/feedback", String.format("dev-pilot-elite-%02d", i),
                        "{\"rating\":5,\"instability\":false,\"component\":\"planner\"}").status()).isEqualTo(201);
            }
            assertThat(edge.post("/api/rollouts/" + rollout + "/feedback", "dev-pilot-elite-06",
                    "{\"pilotId\":\"elite-07\",\"rating\":1,\"instability\":true}").status()).isEqualTo(403);
            JsonNode calm = json(edge.post("/api/rollouts/" + rollout + "/evaluations", "dev-release-manager",
                    "{\"phase\":\"PILOT\"}"));
            assertThat(measurement(calm, "SATISFACTION").get("sampleSize").asLong()).isEqualTo(5);
            assertThat(measurement(calm, "SATISFACTION").get("source").asString()).isEqualTo("pilot-service summary");
            assertThat(measurement(calm, "INSTABILITY_TRIGGER").get("verdict").asString()).isEqualTo("PASS");

            edge.post("/api/rollouts/" + rollout + "/feedback", "dev-pilot-mastery-2-03",
                    "{\"rating\":1,\"instability\":true,\"component\":\"memory\",\"comment\":\"recall loops\"}");
            JsonNode unstable = json(edge.post("/api/rollouts/" + rollout + "/evaluations", "dev-release-manager",
                    "{\"phase\":\"PILOT\"}"));
            assertThat(unstable.get("verdict").asString()).isEqualTo("ROLLBACK");
            assertThat(unstable.get("scope").asString()).isEqualTo("PARTIAL");
            assertThat(unstable.get("components").toString()).isEqualTo("[\"memory\"]");
        }

    }

    /**
     * One rollout from Phase 1 to COMPLETED through the edge, driven by the reconcile loop against the real
     * services, with the platform's clock 10,000 times faster than real time (12 hours of soak pass in 4.3
     * seconds). The test plays everyone else: CI uploads evidence, the release manager approves, pilots give
     * feedback, agents acknowledge each batch as it is activated.
     */
    @Nested
    @Order(2)
    class WholeRollout {

        static final int SPEED = 10_000;
        static final String PLAN = """
                {"phases": {"PILOT": {"minSoak": "PT12H", "maxSoak": "P60D", "approval": true},
                            "EXPANSION": {"minSoak": "PT12H", "maxSoak": "P60D"},
                            "PRODUCTION": {"minSoak": "PT12H", "maxSoak": "P60D", "approval": true}},
                 "batchSize": 600, "fleetCap": 1200, "observationWindow": "PT12H",
                 "userTypes": {"enterprise": ["planner", "memory"], "free": ["planner"]}}""";

        final JsonMapper mapper = JsonMapper.builder().build();
        final Set<String> acknowledged = new HashSet<>();
        int faultBatch;
        boolean faulted;
        JsonNode partiallyRolledBack;

        JsonNode json(Http.Answer answer) {
            return mapper.readTree(answer.body());
        }

        UUID prepare(String name) throws IOException {
            return prepare(name, PLAN);
        }

        UUID prepare(String name, String plan) throws IOException {
            Http.Answer created = edge.post("/api/rollouts", "dev-ci", """
                    {"name": "%s", "targetVersion": "2.4.0", "previousStableVersion": "2.3.1",
                     "components": [{"name": "planner", "version": "2.4.0"}, {"name": "memory", "version": "1.9.0"}],
                     "plan": %s}""".formatted(name, plan));
            assertThat(created.status()).as(created.body()).isEqualTo(201);
            UUID id = UUID.fromString(json(created).get("id").asString());
            String base = "/api/rollouts/" + id;
            // Phase 1 evidence: a test report of this very build, coverage, a clean scan, benchmarks
            assertThat(edge.put(base + "/kpi-policy", "dev-release-manager", "{\"coverageMin\": 0.6}").status()).isEqualTo(200);
            Path reports = Path.of("../phase-engine/target/surefire-reports");
            Path report;
            try (var files = Files.list(reports)) {
                report = files.filter(f -> f.getFileName().toString().startsWith("TEST-")).findFirst().orElseThrow();
            }
            upload(base, "junit", Files.readString(report));
            upload(base, "jacoco", fixture("coverage/jacoco-all-pass.xml"));
            upload(base, "sarif", """
                    {"version":"2.1.0","runs":[{"tool":{"driver":{"name":"SpotBugs","rules":[]}},"results":[]}]}""");
            upload(base, "jmh", fixture("jmh/jmh-avgt-baseline.json"));
            upload(base, "jmh-baseline", fixture("jmh/jmh-avgt-baseline.json"));
            // Phase 2: the 44 pilots, onboarded, a passing health check, their feedback
            pilots();
            assertThat(edge.post(base + "/health-checks", "dev-ci", "{\"name\":\"pilot cluster smoke\",\"passed\":true}")
                    .status()).isEqualTo(201);
            importFleet();
            return id;
        }

        void upload(String base, String type, String content) {
            Http.Answer uploaded = edge.post(base + "/evidence?type=" + type, "dev-ci", "application/octet-stream", content,
                    Map.of());
            assertThat(uploaded.status()).as(type + ": " + uploaded.body()).isEqualTo(201);
        }

        String fixture(String name) throws IOException {
            return Files.readString(Path.of("../metrics-gate/src/test/resources/fixtures").resolve(name));
        }

        void pilots() {
            StringBuilder roster = new StringBuilder("[");
            for (int i = 1; i <= 11; i++) {
                roster.append(i == 1 ? "" : ",").append(pilot(String.format("elite-%02d", i), "ELITE_11", 4));
            }
            for (int squadron = 1; squadron <= 3; squadron++) {
                for (int i = 1; i <= 11; i++) {
                    roster.append(',').append(pilot(String.format("mastery-%d-%02d", squadron, i), "MASTERY_33", squadron));
                }
            }
            assertThat(edge.put("/api/pilots", "dev-release-manager", roster.append(']').toString()).status()).isEqualTo(200);
            for (String group : List.of("ELITE_11", "MASTERY_33")) {
                Http.Answer session = edge.post("/api/onboarding-sessions", "dev-release-manager",
                        "{\"group\":\"" + group + "\",\"title\":\"Onboarding\",\"scheduledAt\":\"2026-11-01T09:00:00Z\"}");
                assertThat(session.status()).as(session.body()).isEqualTo(201);
                String sessionId = json(session).get("id").asString();
                List<String> members = new ArrayList<>();
                if (group.equals("ELITE_11")) {
                    for (int i = 1; i <= 11; i++) {
                        members.add(String.format("elite-%02d", i));
                    }
                }
                else {
                    for (int squadron = 1; squadron <= 3; squadron++) {
                        for (int i = 1; i <= 11; i++) {
                            members.add(String.format("mastery-%d-%02d", squadron, i));
                        }
                    }
                }
                for (String pilot : members) {
                    assertThat(edge.put("/api/onboarding-sessions/" + sessionId + "/attendance/" + pilot, "dev-release-manager",
                            "{\"attended\":true,\"completed\":true}").status()).isEqualTo(200);
                }
            }
        }

        /** What the pilots and the agents do in each phase, once per phase (and batch). */
        void play(UUID id, JsonNode rollout, Set<String> done) {
            String base = "/api/rollouts/" + id;
            String status = rollout.get("status").asString();
            int batch = rollout.get("batch").asInt();
            String step = status + ":" + batch + ":" + rollout.get("batchActivatedAt").asString("");
            if (!done.add(step)) {
                return;
            }
            switch (status) {
                case "PILOT" -> {
                    for (int i = 1; i <= 6; i++) {
                        assertThat(edge.post(base + "/feedback", String.format("dev-pilot-elite-%02d", i),
                                "{\"rating\":5,\"instability\":false,\"component\":\"planner\"}").status()).isEqualTo(201);
                    }
                    samples(base, null);
                    assertThat(edge.post(base + "/approve", "dev-release-manager", "{\"reason\":\"pilots are happy\"}")
                            .status()).isEqualTo(200);
                }
                case "EXPANSION" -> {
                    if (batch > 0) {
                        List<String> agents = activated(id).stream().filter(acknowledged::add).toList();
                        ack(id, agents);
                        if (batch == faultBatch && !faulted) {
                            faulted = true;
                            fault(base, batch);
                        }
                        else {
                            samples(base, batch);
                        }
                    }
                }
                case "PARTIALLY_ROLLED_BACK" -> {
                    partiallyRolledBack = rollout;
                    List<JsonNode> desired = desired(id);
                    assertThat(desired).isNotEmpty().allSatisfy(state -> {
                        assertThat(state.get("versions").get("memory").asString()).as("memory rolled back").isEqualTo("2.3.1");
                        assertThat(state.get("versions").get("planner").asString()).as("planner untouched").isEqualTo("2.4.0");
                    });
                    Http.Answer fixed = edge.post(base + "/components/memory/fix", "dev-release-manager",
                            "{\"version\":\"1.9.1\",\"reason\":\"memory leak under load fixed\"}");
                    assertThat(fixed.status()).as(fixed.body()).isEqualTo(200);
                }
                case "PRODUCTION" -> {
                    samples(base, null);
                    Http.Answer checks = edge.post(base + "/feature-checks", "dev-ci", """
                            {"checks": [{"userType": "enterprise", "feature": "planner", "reached": true},
                                        {"userType": "enterprise", "feature": "memory", "reached": true},
                                        {"userType": "free", "feature": "planner", "reached": true}]}""");
                    assertThat(checks.status()).as(checks.body()).isEqualTo(200);
                    assertThat(edge.post(base + "/approve", "dev-release-manager", "").status()).isEqualTo(200);
                }
                default -> {
                }
            }
        }

        /** Batch traffic where the memory component fails 5% of its requests while the rest is healthy. */
        void fault(String base, int batch) {
            Http.Answer pushed = edge.post(base + "/samples", "dev-service", """
                    {"samples": [
                      {"metric": "REQUESTS", "value": 1000000, "batch": %1$d},
                      {"metric": "ERRORS", "value": 100, "batch": %1$d},
                      {"metric": "REQUESTS", "component": "memory", "value": 50000, "batch": %1$d},
                      {"metric": "ERRORS", "component": "memory", "value": 2500, "batch": %1$d},
                      {"metric": "CRITICAL_REQUESTS", "value": 100000, "batch": %1$d},
                      {"metric": "CRITICAL_ERRORS", "value": 5, "batch": %1$d},
                      {"metric": "LATENCY_MS", "value": 120, "count": 100000, "batch": %1$d},
                      {"metric": "LATENCY_MS", "variant": "BASELINE", "value": 110, "count": 100000, "batch": %1$d}]}"""
                    .formatted(batch));
            assertThat(pushed.status()).as(pushed.body()).isEqualTo(200);
        }

        List<JsonNode> desired(UUID rollout) {
            JsonNode desired = json(edge.post("/agent/v1/desired", GATEWAY,
                    "{\"agentIds\":[\"" + String.join("\",\"", fleet()) + "\"]}"));
            List<JsonNode> active = new ArrayList<>();
            desired.get("states").forEach(s -> {
                if (s.get("activated").asBoolean() && s.get("rolloutId").asString().equals(rollout.toString())) {
                    active.add(s);
                }
            });
            return active;
        }

        void samples(String base, Integer batch) {
            String b = batch == null ? "" : ", \"batch\": " + batch;
            Http.Answer pushed = edge.post(base + "/samples", "dev-service", """
                    {"samples": [
                      {"metric": "REQUESTS", "value": 100000%1$s},
                      {"metric": "ERRORS", "value": 10%1$s},
                      {"metric": "CRITICAL_REQUESTS", "value": 100000%1$s},
                      {"metric": "CRITICAL_ERRORS", "value": 5%1$s},
                      {"metric": "LATENCY_MS", "value": 120, "count": 100000%1$s},
                      {"metric": "LATENCY_MS", "variant": "BASELINE", "value": 110, "count": 100000%1$s}]}""".formatted(b));
            assertThat(pushed.status()).as(pushed.body()).isEqualTo(200);
        }

        List<String> activated(UUID rollout) {
            JsonNode desired = json(edge.post("/agent/v1/desired", GATEWAY,
                    "{\"agentIds\":[\"" + String.join("\",\"", fleet()) + "\"]}"));
            List<String> active = new ArrayList<>();
            desired.get("states").forEach(s -> {
                if (s.get("activated").asBoolean() && s.get("rolloutId").asString().equals(rollout.toString())) {
                    active.add(s.get("agentId").asString());
                }
            });
            return active;
        }

        void ack(UUID rollout, List<String> agents) {
            if (agents.isEmpty()) {
                return;
            }
            StringBuilder body = new StringBuilder("{\"acks\":[");
            for (int i = 0; i < agents.size(); i++) {
                body.append(i == 0 ? "" : ",").append("{\"agentId\":\"").append(agents.get(i)).append("\",\"rolloutId\":\"")
                        .append(rollout).append("\",\"version\":\"2.4.0\",\"status\":\"OK\",\"latencyMs\":40,\"requests\":100,")
                        .append("\"errors\":0}");
            }
            Http.Answer answer = edge.post("/agent/v1/acks", GATEWAY, body.append("]}").toString());
            assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        }

        /**
         * Plays the rollout until it completes; {@code onTick} may restart the phase engine. Fails with the
         * rollout as it stands when it pauses or does not finish in time.
         */
        JsonNode walk(UUID id, Runnable onTick) throws InterruptedException {
            String base = "/api/rollouts/" + id;
            Set<String> done = new HashSet<>();
            Instant deadline = Instant.now().plus(Duration.ofMinutes(4));
            while (Instant.now().isBefore(deadline)) {
                onTick.run();
                Http.Answer read = edge.get(base, "dev-viewer");
                if (read.status() == 200) {
                    JsonNode rollout = json(read);
                    String status = rollout.get("status").asString();
                    assertThat(status).as(read.body()).isNotIn("PAUSED", "ABORTED", "ROLLED_BACK");
                    if (faultBatch == 0) {
                        assertThat(status).as(read.body()).isNotEqualTo("ROLLING_BACK");
                    }
                    if (status.equals("COMPLETED")) {
                        return rollout;
                    }
                    play(id, rollout, done);
                }
                Thread.sleep(100);
            }
            throw new AssertionError("not completed in time: " + edge.get(base, "dev-viewer").body());
        }

        Connection database() throws SQLException {
            TestDatabase.Coordinates db = TestDatabase.get();
            return DriverManager.getConnection(db.url(), db.username(), db.password());
        }

        long count(String sql, UUID id) throws SQLException {
            try (Connection c = database(); PreparedStatement s = c.prepareStatement(sql)) {
                s.setObject(1, id);
                try (ResultSet rs = s.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        }

        @Test
        void aRolloutCreatedThroughTheEdgeWalksPhaseOneToCompletedWithEveryBatchActivatedOnce() throws Exception {
            UUID id = prepare("e2e walk");
            assertThat(edge.post("/api/rollouts/" + id + "/start", "dev-ci", "").status()).isEqualTo(200);
            JsonNode completed = walk(id, () -> { });

            assertThat(completed.get("batches").asInt()).isEqualTo(2);
            assertThat(completed.get("lastEvaluation").get("verdict").asString()).isEqualTo("PASS");
            String timeline = edge.get("/api/rollouts/" + id + "/timeline", "dev-viewer").body();
            assertThat(timeline.split("\"command\":\"NEXT_BATCH\"", -1)).hasSize(3);
            assertThat(timeline.split("\"command\":\"ADVANCE\"", -1)).hasSize(5);
            assertThat(timeline).contains("\"to\":\"COMPLETED\"").contains("\"evidence\":\"/api/evaluations/");
            assertThat(count("SELECT count(*) FROM cluster_batcher.activation WHERE rollout_id = ?", id))
                    .as("two batches, then the fleet").isEqualTo(3);
            assertThat(count("SELECT count(*) FROM pilot_service.grant_audit WHERE rollout_id = ? AND action = 'GRANT'", id))
                    .isEqualTo(44);

            Http.Answer review = edge.get("/api/rollouts/" + id + "/reports/review?format=markdown", "dev-viewer");
            assertThat(review.status()).as(review.body()).isEqualTo(200);
            assertThat(review.body()).contains("Outcome: **COMPLETED**").contains("| EXPANSION |").contains("within plan")
                    .contains("| AGENT_RESPONSE_RATE |").contains("600 of 600").contains("| USER_TYPE_FEATURES |")
                    .contains("enterprise reaches 2 of 2 features").contains("- batch 2: PASS").doesNotContain("Missing from");
            assertThat(edge.get("/api/rollouts/" + id + "/reports/daily", "dev-ci").body()).contains("\"status\":\"COMPLETED\"");
            assertThat(edge.get("/api/reports/weekly?format=markdown", "dev-viewer").body()).contains("| e2e walk | 2.4.0 | COMPLETED |");
        }

        @Test
        void killingThePhaseEngineBetweenEachKindOfSideEffectAndItsCommitRepeatsNoStep() throws Exception {
            UUID id = prepare("e2e crash drill");
            Hooks hooks = new Hooks();
            String secret = "crash-drill-secret-0123456789";
            assertThat(edge.post("/api/subscriptions", "dev-release-manager", "{\"url\":\"" + hooks.url()
                    + "\",\"secret\":\"" + secret + "\"}").status()).isEqualTo(201);
            Http.Answer down = edge.post("/api/subscriptions", "dev-release-manager", "{\"url\":\"http://127.0.0.1:9/down\","
                    + "\"secret\":\"" + secret + "\",\"format\":\"SLACK\"}");
            assertThat(down.status()).isEqualTo(201);
            Deque<String> failpoints = new ArrayDeque<>(List.of("ENTER_PILOT", "ENTER_EXPANSION",
                    "ACTIVATE_BATCH", "ENTER_PRODUCTION", "COMPLETE"));
            List<Integer> exits = new ArrayList<>();
            restartPhaseEngine(failpoints.pop());
            assertThat(edge.post("/api/rollouts/" + id + "/start", "dev-ci", "").status()).isEqualTo(200);
            walk(id, () -> {
                Process engine = platform.process(PlatformService.PHASE_ENGINE);
                if (!engine.isAlive()) {
                    exits.add(engine.exitValue());
                    restartPhaseEngine(failpoints.isEmpty() ? null : failpoints.pop());
                }
            });
            restartPhaseEngine(null);
            assertThat(exits).as("halted once at each failpoint").containsExactly(137, 137, 137, 137, 137);
            String timeline = edge.get("/api/rollouts/" + id + "/timeline", "dev-viewer").body();
            assertThat(timeline.split("\"command\":\"NEXT_BATCH\"", -1)).hasSize(3);
            assertThat(timeline.split("\"command\":\"ADVANCE\"", -1)).hasSize(5);
            assertThat(count("SELECT count(*) FROM cluster_batcher.activation WHERE rollout_id = ?", id))
                    .as("two batches, then the fleet").isEqualTo(3);
            assertThat(count("SELECT count(*) FROM pilot_service.grant_audit WHERE rollout_id = ? AND action = 'GRANT'", id))
                    .as("the pilots were granted once, though the call was made twice").isEqualTo(44);
            assertThat(count("SELECT count(*) FROM phase_engine.rollout_step WHERE rollout_id = ? AND attempts = 2", id))
                    .as("each interrupted step ran its side effect again with the same key").isEqualTo(5);
            assertThat(count("SELECT count(*) FROM phase_engine.rollout_step WHERE rollout_id = ? AND state = 'DONE'", id))
                    .as("gate policy, pilots, plan, two batches, fleet, completion").isEqualTo(7);
            assertThat(count("SELECT count(*) FROM cluster_batcher.idempotency_key WHERE idem_key LIKE ?::text || ':%'", id))
                    .as("freeze, two batches, fleet").isEqualTo(4);

            // every event of the rollout reached the receiver, in order and signed, across the five restarts
            List<String> stored = new ArrayList<>();
            try (Connection c = database(); PreparedStatement q = c.prepareStatement(
                    "SELECT event_id FROM phase_engine.outbox_event WHERE rollout_id = ? ORDER BY id")) {
                q.setObject(1, id);
                try (ResultSet rs = q.executeQuery()) {
                    while (rs.next()) {
                        stored.add(rs.getString(1));
                    }
                }
            }
            assertThat(stored).hasSizeGreaterThanOrEqualTo(12);
            await(() -> hooks.firstSeen(id).size() >= stored.size());
            assertThat(hooks.firstSeen(id)).as("each event at least once, in the order they happened").isEqualTo(stored);
            assertThat(hooks.received).allSatisfy(r -> assertThat(r.signatureValid(secret)).isTrue());
            JsonNode stuck = json(edge.get("/api/subscriptions/" + json(down).get("id").asString() + "/deliveries", "dev-on-call"));
            assertThat(stuck.get(0).get("status").asString()).as("a receiver that is down held nothing up").isEqualTo("PENDING");
            hooks.close();
        }

        void await(BooleanSupplier condition) throws InterruptedException {
            Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
            while (!condition.getAsBoolean()) {
                assertThat(Instant.now()).as("waited too long").isBefore(deadline);
                Thread.sleep(100);
            }
        }

        @Test
        void aFaultyComponentInABatchIsRolledBackWithNoHumanEvenAcrossACrashAndItsFixCompletesTheRollout() throws Exception {
            UUID id = prepare("e2e partial rollback");
            faultBatch = 1;
            List<Integer> exits = new ArrayList<>();
            restart(PlatformService.ROLLBACK_SERVICE, "--rollout.rollback.failpoints=REVERT_AGENTS");
            assertThat(edge.post("/api/rollouts/" + id + "/start", "dev-ci", "").status()).isEqualTo(200);
            walk(id, () -> {
                Process service = platform.process(PlatformService.ROLLBACK_SERVICE);
                if (!service.isAlive()) {
                    exits.add(service.exitValue());
                    restart(PlatformService.ROLLBACK_SERVICE, null);
                }
            });
            assertThat(exits).as("rollback-service halted once, after reverting the agents").containsExactly(137);
            assertThat(partiallyRolledBack).as("the rollout went through PARTIALLY_ROLLED_BACK").isNotNull();

            JsonNode rollbacks = json(edge.get("/api/rollbacks?rolloutId=" + id, "dev-on-call"));
            assertThat(rollbacks).hasSize(1);
            JsonNode rollback = rollbacks.get(0);
            assertThat(rollback.get("scope").asString()).isEqualTo("PARTIAL");
            assertThat(rollback.get("components").toString()).isEqualTo("[\"memory\"]");
            assertThat(rollback.get("requestedBy").asString()).as("no human in the loop").isEqualTo("service");
            assertThat(rollback.get("evaluationId").isNull()).isFalse();
            assertThat(rollback.get("status").asString()).isEqualTo("COMPLETED");
            assertThat(rollback.get("flippedAfterMs").isNull()).isFalse();
            List<String> attempts = new ArrayList<>();
            rollback.get("steps").forEach(step -> attempts.add(step.get("name").asString() + "=" + step.get("attempts").asInt()));
            assertThat(attempts).containsExactly("HALT_ROLLOUT=1", "REVERT_AGENTS=2", "FINISH_ROLLOUT=1");

            String timeline = edge.get("/api/rollouts/" + id + "/timeline", "dev-viewer").body();
            for (String command : List.of("START_ROLLBACK", "FINISH_ROLLBACK", "CONTINUE")) {
                assertThat(timeline.split("\"command\":\"" + command + "\"", -1)).as(command).hasSize(2);
            }
            assertThat(desired(id)).hasSize(1200).allSatisfy(state -> {
                assertThat(state.get("versions").get("memory").asString()).as("the fix everywhere").isEqualTo("1.9.1");
                assertThat(state.get("versions").get("planner").asString()).isEqualTo("2.4.0");
            });
            assertThat(count("SELECT count(*) FROM cluster_batcher.idempotency_key WHERE idem_key = 'rollback:' || ?::text"
                    + " || ':REVERT_AGENTS'", UUID.fromString(rollback.get("id").asString()))).isEqualTo(1);
        }

        /**
         * The console against the six services, in Chromium: a release manager opens a rollout mid-expansion, reads
         * batch 1's figures as the API gives them, pauses and resumes it after a confirmation naming the effect; a
         * viewer sees no action, the page follows a pause without a reload, and the console refuses a forged action;
         * an on-call engineer rolls back one component and sees its steps complete.
         */
        @Test
        void theConsoleShowsARolloutMidExpansionLiveAndOffersEachRoleOnlyWhatItMayDo() throws Exception {
            // a batch is observed for 30 days (259 s here), so that the page is read and the pause pressed while batch 1
            // is under observation however slow the machine; a promotion lets the rollout go on afterwards
            String plan = PLAN.replace("\"observationWindow\": \"PT12H\"", "\"observationWindow\": \"P30D\"");
            assertThat(plan).isNotEqualTo(PLAN);
            UUID id = prepare("e2e console", plan);
            String base = "/api/rollouts/" + id;
            assertThat(edge.post(base + "/start", "dev-ci", "").status()).isEqualTo(200);
            // played until the expansion's first batch is activated and its agents have answered
            Set<String> done = new HashSet<>();
            Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
            while (true) {
                assertThat(Instant.now()).as("batch 1 of the expansion in time").isBefore(deadline);
                JsonNode rollout = json(edge.get(base, "dev-viewer"));
                play(id, rollout, done);
                if (rollout.get("status").asString().equals("EXPANSION") && rollout.get("batch").asInt() >= 1) {
                    break;
                }
                Thread.sleep(100);
            }
            String page = "/console/rollouts/" + id;
            try (ConsoleBrowser browser = ConsoleBrowser.start(platform.url(PlatformService.ROLLOUT_API))) {
                browser.signIn("dev-release-manager");
                assertThat(browser.text("[data-test=roles]")).isEqualTo("RELEASE_MANAGER");
                browser.open("/console/rollouts?status=EXPANSION");
                assertThat(browser.all("tr[data-rollout='" + id + "']")).hasSize(1);
                browser.screenshot("console-rollouts");
                browser.click("tr[data-rollout='" + id + "'] a");
                browser.await("the rollout's page", d -> d.getCurrentUrl().endsWith(page));
                assertThat(browser.text("[data-test=status]")).startsWith("EXPANSION, batch ");
                assertThat(browser.actions()).contains("pause", "promote", "abort", "rollback").doesNotContain("resume");
                String effect = browser.press("pause");
                assertThat(effect).startsWith("Pause in EXPANSION (batch ").contains("no batch is activated");
                browser.screenshot("console-confirm-pause");
                assertThat(browser.confirm("holding for the night shift"))
                        .isEqualTo("Paused by release-manager: holding for the night shift");
                JsonNode paused = json(edge.get(base, "dev-viewer"));
                assertThat(paused.get("status").asString()).isEqualTo("PAUSED");
                assertThat(paused.get("pauseReason").asString()).isEqualTo("MANUAL");
                assertThat(browser.text("[data-test=status]")).startsWith("PAUSED in EXPANSION");
                // batch 1's figures as the API answers them, formatted as everywhere else
                JsonNode health = json(edge.get(base + "/batches/1", "dev-viewer")).get("health");
                assertThat(browser.batchCell(1, "responseRate")).isEqualTo(Figures.percent(health.get("responseRate").asDouble()))
                        .isEqualTo("100%");
                assertThat(browser.batchCell(1, "errorRate")).isEqualTo(Figures.percent(health.get("errorRate").asDouble()));
                assertThat(browser.batchCell(1, "p95")).isEqualTo(Figures.number(health.get("latencyP95Ms").asDouble()) + " ms");
                int shown = Integer.parseInt(browser.attribute("[data-test=zones]", "data-batch"));
                JsonNode zones = json(edge.get(base + "/batches/" + shown, "dev-viewer")).get("health");
                assertThat(browser.texts("[data-test=zones] li.heard")).hasSize(zones.get("timeZonesHeardFrom").asInt());
                assertThat(browser.texts("[data-test=zones] li.silent")).hasSize(zones.get("silentTimeZones").size());
                assertThat(browser.text("[data-test=timeline] tbody tr")).contains("release-manager").contains("PAUSE")
                        .contains("EXPANSION → PAUSED").contains("holding for the night shift");
                browser.screenshot("console-rollout-paused");
                assertThat(browser.actions()).contains("resume").doesNotContain("pause");
                browser.press("resume");
                assertThat(browser.confirm("morning shift")).isEqualTo("Resumed by release-manager: morning shift");
                assertThat(json(edge.get(base, "dev-viewer")).get("status").asString()).isEqualTo("EXPANSION");
            }
            assertThat(edge.post(base + "/promote", "dev-release-manager", "{\"reason\":\"batch 1 seen in the console\"}")
                    .status()).isEqualTo(200);

            // the agents of the second batch answer too, and the rollout waits in production for its approval
            deadline = Instant.now().plus(Duration.ofMinutes(2));
            for (JsonNode r = json(edge.get(base, "dev-viewer")); !r.get("status").asString().equals("PRODUCTION");
                    r = json(edge.get(base, "dev-viewer"))) {
                assertThat(Instant.now()).as("production in time: " + r).isBefore(deadline);
                if (r.get("status").asString().equals("PAUSED")) {
                    assertThat(edge.post(base + "/resume", "dev-release-manager", "").status()).isEqualTo(200);
                }
                else {
                    play(id, r, done);
                }
                Thread.sleep(100);
            }
            try (ConsoleBrowser browser = ConsoleBrowser.start(platform.url(PlatformService.ROLLOUT_API))) {
                browser.signIn("dev-viewer").open(page);
                assertThat(browser.actions()).as("a viewer sees no action").isEmpty();
                assertThat(browser.all("[data-test=actions]")).isEmpty();
                assertThat(browser.texts("[data-test=measurements] tbody tr")).isNotEmpty();
                // the page follows the rollout without a reload: the marker set on this page survives the update
                browser.script("window.samePage = true;");
                assertThat(edge.post(base + "/pause", "dev-release-manager", "{\"reason\":\"checking the dashboards\"}")
                        .status()).isEqualTo(200);
                browser.await("the pause shown live", d -> browser.text("[data-test=status]").startsWith("PAUSED"));
                assertThat(browser.script("return window.samePage === true;")).isEqualTo(true);
                browser.screenshot("console-viewer");
                // the console refuses what the viewer's roles do not allow, whatever the browser sends
                Object forged = browser.asyncScript("""
                        const done = arguments[arguments.length - 1];
                        const csrf = document.querySelector('input[name=_csrf]').value;
                        fetch(arguments[0], {method: 'POST', headers: {'Content-Type': 'application/x-www-form-urlencoded'},
                              body: '_csrf=' + encodeURIComponent(csrf) + '&reason=forged'})
                          .then(r => r.text()).then(done);""", page + "/actions/resume");
                assertThat(forged.toString()).contains("Could not resume: 403");
                assertThat(json(edge.get(base, "dev-viewer")).get("status").asString()).isEqualTo("PAUSED");
                assertThat(edge.post(base + "/resume", "dev-release-manager", "{\"reason\":\"dashboards fine\"}").status())
                        .isEqualTo(200);
            }

            try (ConsoleBrowser browser = ConsoleBrowser.start(platform.url(PlatformService.ROLLOUT_API))) {
                browser.signIn("dev-on-call").open(page);
                assertThat(browser.actions()).as("on call: roll back, not steer").containsExactly("rollback");
                assertThat(browser.press("rollback")).contains("previous version").contains("2.3.1");
                browser.click("dialog[open] input[name=components][value=memory]");
                assertThat(browser.confirm("memory leaks under load in batch 1")).startsWith("Rollback of memory");
                browser.await("the rollback's steps complete", d -> {
                    List<String> steps = browser.texts("[data-rollback] tr[data-step]");
                    return steps.size() == 3 && steps.stream().allMatch(step -> step.contains("DONE"));
                });
                browser.await("the rollout partially rolled back",
                        d -> browser.text("[data-test=status]").startsWith("PARTIALLY_ROLLED_BACK"));
                assertThat(browser.text("[data-rollback]")).contains("COMPLETED").contains("PARTIAL").contains("memory")
                        .contains("on-call");
                assertThat(browser.actions()).contains("rollback", "fix");
                browser.screenshot("console-rollback");
            }
            JsonNode rollbacks = json(edge.get("/api/rollbacks?rolloutId=" + id, "dev-on-call"));
            assertThat(rollbacks).hasSize(1);
            assertThat(rollbacks.get(0).get("components").toString()).isEqualTo("[\"memory\"]");
            assertThat(rollbacks.get(0).get("requestedBy").asString()).isEqualTo("on-call");
            // the rest goes back too, so that the fleet is free for the other rollouts
            assertThat(edge.post("/api/rollbacks", "dev-on-call", "{\"rolloutId\":\"" + id
                    + "\",\"scope\":\"FULL\",\"reason\":\"end of the console drill\"}").status()).isEqualTo(202);
            deadline = Instant.now().plus(Duration.ofMinutes(1));
            while (!json(edge.get(base, "dev-viewer")).get("status").asString().equals("ROLLED_BACK")) {
                assertThat(Instant.now()).as("rolled back in time").isBefore(deadline);
                Thread.sleep(100);
            }
        }

        void restartPhaseEngine(String failpoint) {
            restart(PlatformService.PHASE_ENGINE, failpoint == null ? null : "--rollout.reconcile.failpoints=" + failpoint);
        }

        /** Restarts a service (with a failpoint argument, or none) and waits until it is ready or has halted. */
        void restart(PlatformService service, String failpoint) {
            try {
                platform.stopService(service);
                platform.startService(service, failpoint == null ? List.of() : List.of(failpoint));
                Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
                while (!platform.ready(service)) {
                    if (Instant.now().isAfter(deadline) || !platform.process(service).isAlive()
                            && failpoint == null) {
                        throw new AssertionError(service.module() + " did not come back");
                    }
                    if (!platform.process(service).isAlive()) {
                        return; // halted at its failpoint already: the walk restarts it
                    }
                    Thread.sleep(200);
                }
            }
            catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    /** The demo of {@code ./platform --demo}, on a small fleet, drives a whole rollout with its partial rollback. */
    @Nested
    @Order(4)
    class TheDemo {

        @Test
        void theDemoCompletesARolloutWithAPartialRollbackAndAFixThroughThePublicApi() throws Exception {
            Demo.Options options = new Demo.Options(12_000, 0, 10, 2,
                    Fault.ERROR_SPIKE, 1.0, 0.0002, 0, Path.of("..").toAbsolutePath().normalize(),
                    FIXTURE_EVIDENCE);
            String before = edge.get("/api/rollouts?size=200", "dev-viewer").body();
            CompletableFuture<UUID> demo = CompletableFuture.supplyAsync(() -> {
                try {
                    return new Demo(platform.url(PlatformService.ROLLOUT_API), platform.agentUrl(),
                            options).run();
                }
                catch (Exception e) {
                    throw new CompletionException(e);
                }
            });
            // a viewer watches it in the console from its first phase to COMPLETED, on one page that updates itself
            List<String> seen = new ArrayList<>();
            try (ConsoleBrowser browser = ConsoleBrowser.start(platform.url(PlatformService.ROLLOUT_API))) {
                browser.signIn("dev-viewer");
                String watched = browser.await("the demo's rollout", d -> {
                    JsonNode newest = JsonMapper.builder().build().readTree(edge.get("/api/rollouts?size=1", "dev-viewer")
                            .body()).get("items").get(0);
                    return newest != null && newest.get("name").asString().equals("assistant 2.4 demo")
                            && !before.contains(newest.get("id").asString()) ? newest.get("id").asString() : null;
                });
                browser.open("/console/rollouts/" + watched);
                browser.script("window.samePage = true;");
                while (!demo.isDone() || seen.isEmpty() || !seen.get(seen.size() - 1).equals("COMPLETED")) {
                    String status = browser.text("[data-test=status]");
                    if (seen.isEmpty() || !seen.get(seen.size() - 1).equals(status)) {
                        seen.add(status);
                    }
                    if (demo.isDone() && demo.isCompletedExceptionally()) {
                        break;
                    }
                    Thread.sleep(250);
                }
                UUID id = demo.get();
                assertThat(watched).isEqualTo(id.toString());
                assertThat(browser.script("return window.samePage === true;")).as("never reloaded").isEqualTo(true);
                assertThat(seen).as("what the page showed, batch after batch").endsWith("COMPLETED")
                        .filteredOn(status -> status.startsWith("EXPANSION, batch ")).hasSizeGreaterThanOrEqualTo(10);
                assertThat(browser.texts("[data-test=batches] tbody tr")).hasSize(20);
                assertThat(browser.texts("[data-test=batches] td[data-col=gate]")).as("the faulty batch's history")
                        .anyMatch(gate -> gate.matches(".*ROLLBACK \\(PARTIAL: memory\\)( → .*)? → PASS"));
                browser.screenshot("console-demo-completed");
            }
            UUID id = demo.get();
            JsonNode rollout = JsonMapper.builder().build().readTree(edge.get("/api/rollouts/" + id, "dev-viewer").body());
            assertThat(rollout.get("status").asString()).isEqualTo("COMPLETED");
            assertThat(rollout.get("batches").asInt()).isEqualTo(20);
            String rollbacks = edge.get("/api/rollbacks?rolloutId=" + id, "dev-on-call").body();
            assertThat(rollbacks).contains("\"scope\":\"PARTIAL\"").contains("\"components\":[\"memory\"]")
                    .contains("\"requestedBy\":\"service\"");
            assertThat(edge.get("/api/rollouts/" + id + "/reports/review?format=markdown", "dev-viewer").body())
                    .contains("Outcome: **COMPLETED**").contains("PARTIAL [memory] COMPLETED")
                    .as("the batch rolled back shows its rollback and its fix before its PASS")
                    .containsPattern("- batch \\d+: PASS, after:\\n(  - .*\\n)*  - .* gate ROLLBACK \\(PARTIAL: memory\\)");
        }
    }

    /** The demo's other faults, on small fleets of three batches. */
    @Nested
    @Order(5)
    class TheDemosFaults {

        UUID demo(Fault fault, int agents) throws Exception {
            Demo.Options options = new Demo.Options(agents, agents / 3, 10, 2,
                    fault, 1.0, 0.0002, 0, Path.of("..").toAbsolutePath().normalize(), FIXTURE_EVIDENCE);
            return new Demo(platform.url(PlatformService.ROLLOUT_API),
                    platform.agentUrl(), options).run();
        }

        @Test
        void aLatencyRegressionOfOneComponentRollsBackOnlyThatComponentAndTheFixCompletesTheRollout() throws Exception {
            UUID id = demo(Fault.LATENCY, 3_000);
            assertThat(edge.get("/api/rollouts/" + id, "dev-viewer").body()).contains("\"status\":\"COMPLETED\"");
            String rollbacks = edge.get("/api/rollbacks?rolloutId=" + id, "dev-on-call").body();
            assertThat(rollbacks).contains("\"scope\":\"PARTIAL\"").contains("\"components\":[\"planner\"]")
                    .contains("DEGRADATION_TRIGGER");
        }

        @Test
        void negativePilotFeedbackRollsTheWholeVersionBackBeforeTheFleet() throws Exception {
            UUID id = demo(Fault.PILOT_FEEDBACK, 3_000);
            assertThat(edge.get("/api/rollouts/" + id, "dev-viewer").body()).contains("\"status\":\"ROLLED_BACK\"");
            String rollbacks = edge.get("/api/rollbacks?rolloutId=" + id, "dev-on-call").body();
            assertThat(rollbacks).contains("\"scope\":\"FULL\"").contains("INSTABILITY_TRIGGER");
            assertThat(edge.get("/api/rollouts/" + id + "/batches", "dev-viewer").status()).isEqualTo(404);
        }
    }

    /**
     * Two phase-engine processes on one database: only the lease holder reconciles; a stopped (SIGSTOP)
     * leader's write is refused after it resumes, because a replica took the lease meanwhile; kill -9 of the
     * leader lets the other take over within the lease.
     */
    @Nested
    @Order(3)
    class TwoReplicas {

        final JsonMapper mapper = JsonMapper.builder().build();

        JsonNode reconciler(String url) {
            try {
                Http.Answer answer = new Http(url).get("/api/reconciler", "dev-on-call");
                return answer.status() == 200 ? mapper.readTree(answer.body()) : null;
            }
            catch (UncheckedIOException notUpYet) {
                return null;
            }
        }

        boolean leading(String url) {
            JsonNode status = reconciler(url);
            return status != null && status.get("leading").asBoolean();
        }

        void signal(Process process, String signal) throws Exception {
            assertThat(new ProcessBuilder("kill", "-" + signal, String.valueOf(process.pid())).start().waitFor()).isZero();
        }

        void await(String what, BooleanSupplier condition) throws InterruptedException {
            Instant deadline = Instant.now().plus(Duration.ofSeconds(90));
            while (!condition.getAsBoolean()) {
                if (Instant.now().isAfter(deadline)) {
                    throw new AssertionError("timed out waiting for " + what);
                }
                Thread.sleep(100);
            }
        }

        @Test
        void aStoppedLeadersWriteIsRefusedAndAKilledLeaderIsReplacedWithinTheLease() throws Exception {
            WholeRollout walk = new WholeRollout();
            UUID id = walk.prepare("e2e two replicas");
            int port = freePort();
            String a = platform.url(PlatformService.PHASE_ENGINE);
            String b = "http://127.0.0.1:" + port;
            Path log = Path.of("target/e2e-logs/phase-engine-" + port + ".log");
            platform.stopService(PlatformService.PHASE_ENGINE); // gives the lease up
            Http.Answer down = edge.get("/api/rollouts/" + id, "dev-viewer");
            assertThat(down.status()).as("the edge says the service is not answering: " + down.body()).isEqualTo(503);
            Process replica = platform.startReplica(PlatformService.PHASE_ENGINE, port,
                    List.of("--rollout.reconcile.stalls=ENTER_PILOT"));
            try {
                await("replica B to lead", () -> leading(b));
                // A is down, so the edge's route to the phase engine is too: straight to B
                assertThat(new Http(b).post("/api/rollouts/" + id + "/start", "dev-ci", "").status()).isEqualTo(200);
                await("B to stall after activating the pilots", () -> {
                    try {
                        return Files.exists(log) && Files.readString(log).contains("Stall ENTER_PILOT: " + id);
                    }
                    catch (IOException e) {
                        return false;
                    }
                });
                long tokenOfB = reconciler(b).get("fencingToken").asLong();
                signal(replica, "STOP");
                platform.startService(PlatformService.PHASE_ENGINE);
                await("A to take the lease from the stopped B", () -> leading(a));
                await("A to finish B's step", () -> walk.json(edge.get("/api/rollouts/" + id, "dev-viewer")).get("status")
                        .asString().equals("PILOT"));
                long tokenOfA = reconciler(a).get("fencingToken").asLong();
                assertThat(tokenOfA).isGreaterThan(tokenOfB);

                signal(replica, "CONT");
                await("B to try its commit and be refused", () -> {
                    JsonNode status = reconciler(b);
                    return status != null && status.get("refusedWrites").asLong() >= 1;
                });
                assertThat(leading(b)).isFalse();
                assertThat(leading(a)).isTrue();
                String timeline = edge.get("/api/rollouts/" + id + "/timeline", "dev-viewer").body();
                assertThat(timeline.split("\"to\":\"PILOT\"", -1)).as("the step committed once, by A").hasSize(2);
                assertThat(walk.count("SELECT fencing_token FROM phase_engine.rollout_step WHERE rollout_id = ?"
                        + " AND step_key = 'enter-pilot'", id)).isEqualTo(tokenOfA);
                assertThat(walk.count("SELECT count(*) FROM pilot_service.grant_audit WHERE rollout_id = ?"
                        + " AND action = 'GRANT'", id)).isEqualTo(44);

                // kill -9 of the leader: B takes over once A's lease expires
                Process leader = platform.process(PlatformService.PHASE_ENGINE);
                signal(leader, "KILL");
                long killed = System.nanoTime();
                await("B to take over from the killed A", () -> leading(b));
                System.out.printf("takeover after kill -9: %d ms (lease 2 s, pass every 0.2 s)%n",
                        (System.nanoTime() - killed) / 1_000_000);
                assertThat(new Http(b).post("/api/rollouts/" + id + "/abort", "dev-release-manager", "").status())
                        .isEqualTo(200);
            }
            finally {
                replica.destroyForcibly().waitFor();
                platform.startService(PlatformService.PHASE_ENGINE);
                await("A to come back", () -> platform.ready(PlatformService.PHASE_ENGINE));
            }
        }
    }

    /** A webhook receiver on loopback, as a team's chat bridge would run one. */
    static final class Hooks implements AutoCloseable {

        record Received(String body, String signature, String eventId) {
            boolean signatureValid(String secret) {
                try {
                    long t = Long.parseLong(signature.substring(2, signature.indexOf(',')));
                    Mac mac = Mac.getInstance("HmacSHA256");
                    mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8),
                            "HmacSHA256"));
                    String expected = HexFormat.of().formatHex(mac.doFinal((t + "." + body)
                            .getBytes(StandardCharsets.UTF_8)));
                    return signature.endsWith(",v1=" + expected);
                }
                catch (GeneralSecurityException e) {
                    throw new IllegalStateException(e);
                }
            }
        }

        final List<Received> received = new CopyOnWriteArrayList<>();
        private final HttpServer server;

        Hooks() throws IOException {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/hook", exchange -> {
                received.add(new Received(new String(exchange.getRequestBody().readAllBytes(),
                        StandardCharsets.UTF_8), exchange.getRequestHeaders().getFirst("Rollout-Signature"),
                        exchange.getRequestHeaders().getFirst("Rollout-Event-Id")));
                exchange.sendResponseHeaders(204, -1);
                exchange.close();
            });
            server.start();
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
        }

        /** The event ids of a rollout in the order they first arrived (a repeat is allowed: at least once). */
        List<String> firstSeen(UUID rollout) {
            return received.stream().filter(r -> r.body().contains("\"rolloutId\":\"" + rollout + "\"")).map(Received::eventId)
                    .distinct()
                    .toList();
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }

    /** The agent gateway of the end-to-end fleet's two clusters. */
    static final String GATEWAY = "dev-gateway-eu-1+us-1";

    /** The end-to-end fleet: 2 clusters x 24 time zones x 25 agents. */
    static List<String> fleet() {
        List<String> ids = new ArrayList<>();
        for (String cluster : List.of("eu-1", "us-1")) {
            for (int zone = -11; zone <= 12; zone++) {
                for (int i = 0; i < 25; i++) {
                    ids.add("e2e-" + cluster + "-z" + zone + "-" + i);
                }
            }
        }
        return ids;
    }

    static void importFleet() {
        StringBuilder csv = new StringBuilder("agent_id,cluster,region,time_zone\n");
        for (String id : fleet()) {
            String cluster = id.substring(4, 8);
            String zone = id.substring(id.indexOf("-z") + 2, id.lastIndexOf('-'));
            csv.append(id).append(',').append(cluster).append(",r,").append(zone.startsWith("-") ? "UTC" + zone : "UTC+" + zone)
                    .append('\n');
        }
        Http.Answer imported = edge.post("/api/fleet/imports", "dev-ci", "text/csv", csv.toString(), Map.of());
        assertThat(imported.status()).as(imported.body()).isEqualTo(201);
    }

    static String pilot(String id, String group, int squadron) {
        return "{\"id\":\"" + id + "\",\"name\":\"" + id + "\",\"contact\":\"" + id + "@example.org\",\"group\":\"" + group
                + "\",\"wing\":1,\"squadron\":" + squadron + "}";
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
