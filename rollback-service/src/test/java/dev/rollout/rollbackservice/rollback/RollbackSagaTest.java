package dev.rollout.rollbackservice.rollback;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.rollout.starter.test.Http;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The saga on the real PostgreSQL against the other services' HTTP contracts (WireMock here, so that each
 * can fail on cue; the saga against the real services runs in the platform's end-to-end test).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = { "rollout.rollback.backoff=PT0.05S", "rollout.rollback.max-attempts=3", "rollout.rollback.sweep=PT0.1S" })
class RollbackSagaTest {

    @RegisterExtension
    static WireMockExtension services = ServiceDoubles.server();
    static final JsonMapper JSON = JsonMapper.builder().build();

    @DynamicPropertySource
    static void urls(DynamicPropertyRegistry registry) {
        ServiceDoubles.register(registry, services);
    }

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    MeterRegistry meters;

    Http http;

    @BeforeEach
    void setUp() {
        http = Http.localhost(port);
        services.resetAll();
        services.stubFor(get(urlPathMatching("/api/rollouts/[^/]+")).willReturn(json("{\"status\":\"EXPANSION\"}")));
        services.stubFor(post(urlPathMatching("/api/rollouts/.*/rollback-started")).willReturn(json("{\"status\":\"ROLLING_BACK\"}")));
        services.stubFor(post(urlPathMatching("/api/rollouts/.*/rollback-finished")).willReturn(json("{\"status\":\"ROLLED_BACK\"}")));
        services.stubFor(post(urlPathMatching("/api/rollouts/.*/deactivations")).willReturn(json("{\"agents\":3000000,\"tookMicros\":850}")));
        services.stubFor(post(urlPathMatching("/api/rollouts/.*/pilots/revocation")).willReturn(json("{\"changed\":44}")));
    }

    static ResponseDefinitionBuilder json(String body) {
        return aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody(body);
    }

    JsonNode read(Http.Answer answer) {
        return JSON.readTree(answer.body());
    }

    JsonNode awaitStatus(String id, String status) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
        JsonNode rollback = null;
        while (Instant.now().isBefore(deadline)) {
            rollback = read(http.get("/api/rollbacks/" + id, "dev-on-call"));
            if (rollback.get("status").asString().equals(status)) {
                return rollback;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("not " + status + ": " + rollback);
    }

    @Test
    void aRollbackOfARolloutPhaseEngineDoesNotKnowIsA404AndStartsNothing() {
        UUID unknown = UUID.randomUUID();
        services.stubFor(get(urlEqualTo("/api/rollouts/" + unknown)).willReturn(aResponse().withStatus(404)
                .withHeader("Content-Type", "application/problem+json").withBody("{\"status\":404}")));
        Http.Answer answer = http.post("/api/rollbacks", "dev-on-call", "{\"rolloutId\":\"" + unknown
                + "\",\"scope\":\"FULL\",\"reason\":\"typo in the id\"}");
        assertThat(answer.status()).as(answer.body()).isEqualTo(404);
        assertThat(answer.body()).contains("Rollout " + unknown + " does not exist");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM rollback WHERE rollout_id = ?", Integer.class, unknown)).isZero();
    }

    @Test
    void aFullRollbackHaltsRevertsEveryAgentRevokesThePilotsAndFinishesEachStepOnce() throws Exception {
        UUID rollout = UUID.randomUUID();
        Http.Answer answer = http.post("/api/rollbacks", "dev-on-call", "{\"rolloutId\":\"" + rollout
                + "\",\"scope\":\"FULL\",\"reason\":\"error rate 2.4% in batch 3\"}");
        assertThat(answer.status()).as(answer.body()).isEqualTo(202);
        String id = read(answer).get("rollback").get("id").asString();
        assertThat(answer.header("Location")).isEqualTo("/api/rollbacks/" + id);

        JsonNode done = awaitStatus(id, "COMPLETED");
        assertThat(done.get("steps")).hasSize(4).allSatisfy(step -> {
            assertThat(step.get("status").asString()).isEqualTo("DONE");
            assertThat(step.get("attempts").asInt()).isEqualTo(1);
            assertThat(step.get("startedAt").isNull()).isFalse();
            assertThat(step.get("finishedAt").isNull()).isFalse();
        });
        assertThat(done.get("steps").get(1).get("outcome").asString())
                .isEqualTo("3000000 activated agents back on the previous version (cluster-batcher took 850 µs)");
        assertThat(done.get("flippedAfterMs").asLong()).isNotNegative();
        String base = "/api/rollouts/" + rollout;
        services.verify(1, postRequestedFor(urlEqualTo(base + "/rollback-started"))
                .withHeader("Idempotency-Key", equalTo("rollback:" + id + ":HALT_ROLLOUT")));
        services.verify(1, postRequestedFor(urlEqualTo(base + "/deactivations"))
                .withRequestBody(matchingJsonPath("$.scope", equalTo("ALL"))));
        services.verify(1, postRequestedFor(urlEqualTo(base + "/pilots/revocation")));
        services.verify(1, postRequestedFor(urlEqualTo(base + "/rollback-finished"))
                .withRequestBody(matchingJsonPath("$.scope", equalTo("FULL"))));
        assertThat(read(http.get("/api/rollbacks?rolloutId=" + rollout, "dev-viewer"))).hasSize(1);
    }

    @Test
    void aPartialRollbackRevertsOnlyItsComponentsAndKeepsThePilotsGrants() throws Exception {
        UUID rollout = UUID.randomUUID();
        String id = read(http.post("/api/rollbacks", "dev-release-manager", "{\"rolloutId\":\"" + rollout
                + "\",\"scope\":\"PARTIAL\",\"components\":[\"planner\"],\"reason\":\"planner latency +35%\"}"))
                .get("rollback").get("id").asString();
        JsonNode done = awaitStatus(id, "COMPLETED");
        assertThat(done.get("steps")).hasSize(3);
        services.verify(1, postRequestedFor(urlEqualTo("/api/rollouts/" + rollout + "/deactivations"))
                .withRequestBody(matchingJsonPath("$.scope", equalTo("COMPONENTS")))
                .withRequestBody(matchingJsonPath("$.components[0]", equalTo("planner"))));
        services.verify(0, postRequestedFor(urlEqualTo("/api/rollouts/" + rollout + "/pilots/revocation")));
    }

    @Test
    void fiftyConcurrentRequestsForOneRolloutStartOneRollbackAndAllFiftyNameIt() throws Exception {
        UUID rollout = UUID.randomUUID();
        // the rollback's first step takes a while, so that all fifty arrive while it runs (as a pager storm does)
        services.stubFor(post(urlEqualTo("/api/rollouts/" + rollout + "/rollback-started")).willReturn(json(
                "{\"status\":\"ROLLING_BACK\"}").withFixedDelay(2000)));
        String body = "{\"rolloutId\":\"" + rollout + "\",\"scope\":\"FULL\",\"reason\":\"pager storm at 3 a.m.\"}";
        ExecutorService pool = Executors.newFixedThreadPool(50);
        List<Callable<Http.Answer>> calls = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            String token = i % 2 == 0 ? "dev-on-call" : "dev-release-manager";
            calls.add(() -> http.post("/api/rollbacks", token, body));
        }
        List<String> named = new ArrayList<>();
        int started = 0;
        for (Future<Http.Answer> future : pool.invokeAll(calls)) {
            Http.Answer answer = future.get();
            assertThat(answer.status()).as(answer.body()).isIn(200, 202);
            JsonNode json = read(answer);
            named.add(json.get("rollback").get("id").asString());
            if (json.get("started").asBoolean()) {
                started++;
            }
            else {
                assertThat(json.get("message").asString()).contains("already").contains("no second rollback was started");
            }
        }
        pool.shutdown();
        assertThat(started).isEqualTo(1);
        assertThat(named).hasSize(50).containsOnly(named.get(0));
        assertThat(jdbc.queryForObject("SELECT count(*) FROM rollback WHERE rollout_id = ?", Integer.class, rollout)).isEqualTo(1);
        awaitStatus(named.get(0), "COMPLETED");
        services.verify(1, postRequestedFor(urlEqualTo("/api/rollouts/" + rollout + "/deactivations")));
    }

    @Test
    void aStepThatKeepsFailingStopsAtFailedStepWithItsErrorAndOnCallResumesIt() throws Exception {
        UUID rollout = UUID.randomUUID();
        services.stubFor(post(urlEqualTo("/api/rollouts/" + rollout + "/deactivations")).willReturn(aResponse()
                .withStatus(503).withBody("{\"detail\":\"database failover in progress\"}")));
        String id = read(http.post("/api/rollbacks", "dev-on-call", "{\"rolloutId\":\"" + rollout
                + "\",\"scope\":\"FULL\",\"reason\":\"security vulnerability\"}")).get("rollback").get("id").asString();
        JsonNode stopped = awaitStatus(id, "FAILED_STEP");
        JsonNode revert = stopped.get("steps").get(1);
        assertThat(revert.get("status").asString()).isEqualTo("FAILED");
        assertThat(revert.get("attempts").asInt()).isEqualTo(3);
        assertThat(stopped.get("error").asString()).contains("cluster-batcher answered 503").contains("failover");
        assertThat(stopped.get("steps").get(2).get("status").asString()).as("nothing after the failed step").isEqualTo("PENDING");
        assertThat(meters.get("rollout.rollbacks.current").tag("status", "FAILED_STEP").gauge().value())
                .as("the gauge the RollbackStepFailed alert reads").isGreaterThanOrEqualTo(1);

        Http.Answer again = http.post("/api/rollbacks", "dev-on-call", "{\"rolloutId\":\"" + rollout
                + "\",\"scope\":\"FULL\",\"reason\":\"still broken\"}");
        assertThat(again.status()).isEqualTo(200);
        assertThat(read(again).get("message").asString()).contains("FAILED_STEP").contains("/resume");

        services.stubFor(post(urlEqualTo("/api/rollouts/" + rollout + "/deactivations")).willReturn(json("{\"agents\":12}")));
        assertThat(http.post("/api/rollbacks/" + id + "/resume", "dev-viewer", "").status()).isEqualTo(403);
        Http.Answer resumed = http.post("/api/rollbacks/" + id + "/resume", "dev-on-call", "");
        assertThat(resumed.status()).as(resumed.body()).isEqualTo(200);
        JsonNode done = awaitStatus(id, "COMPLETED");
        assertThat(done.get("steps").get(0).get("attempts").asInt()).as("the halt was not repeated").isEqualTo(1);
        assertThat(http.post("/api/rollbacks/" + id + "/resume", "dev-on-call", "").status()).isEqualTo(409);
    }

    @Test
    void theStepsContinueTheTraceOfTheRequestThatAskedForTheRollback() throws Exception {
        UUID rollout = UUID.randomUUID();
        String trace = "5bf92f3577b34da6a3ce929d0e0e4736";
        Http.Answer asked = http.post("/api/rollbacks", "dev-on-call", "application/json", "{\"rolloutId\":\"" + rollout
                + "\",\"scope\":\"FULL\",\"reason\":\"security vulnerability\"}",
                Map.of("traceparent", "00-" + trace + "-00f067aa0ba902b7-01"));
        assertThat(asked.status()).as(asked.body()).isEqualTo(202);
        awaitStatus(read(asked).get("rollback").get("id").asString(), "COMPLETED");
        // every step's call, on the saga's thread, carries the request's trace (each from a span of its own)
        for (String path : new String[] { "rollback-started", "deactivations", "pilots/revocation", "rollback-finished" }) {
            services.verify(postRequestedFor(urlEqualTo("/api/rollouts/" + rollout + "/" + path))
                    .withHeader("traceparent", matching("00-" + trace + "-[0-9a-f]{16}-01")));
        }
    }

    @Test
    void aRolloutWithoutABatchPlanHasNoAgentToRevert() throws Exception {
        UUID rollout = UUID.randomUUID();
        services.stubFor(post(urlEqualTo("/api/rollouts/" + rollout + "/deactivations")).willReturn(aResponse()
                .withStatus(404).withBody("{\"detail\":\"Batch plan of rollout not found\"}")));
        String id = read(http.post("/api/rollbacks", "dev-service", "{\"rolloutId\":\"" + rollout
                + "\",\"scope\":\"FULL\",\"reason\":\"pilot instability\"}")).get("rollback").get("id").asString();
        JsonNode done = awaitStatus(id, "COMPLETED");
        assertThat(done.get("steps").get(1).get("outcome").asString()).contains("no batch plan");
    }

    @Test
    void aFixOfThePartiallyRolledBackComponentIsRedeployedAndTheRolloutContinues() throws Exception {
        UUID rollout = UUID.randomUUID();
        services.stubFor(WireMock.put(urlPathMatching("/api/rollouts/.*/component-pins/.*"))
                .willReturn(json("{\"agents\":2000000}")));
        services.stubFor(post(urlPathMatching("/api/rollouts/.*/continue")).willReturn(json("{\"status\":\"EXPANSION\"}")));
        String fix = "{\"version\":\"2.4.1\",\"reason\":\"planner retry loop fixed\"}";
        assertThat(http.post("/api/rollouts/" + rollout + "/components/planner/fix", "dev-release-manager", fix).status())
                .as("no rollback yet").isEqualTo(409);
        String id = read(http.post("/api/rollbacks", "dev-on-call", "{\"rolloutId\":\"" + rollout
                + "\",\"scope\":\"PARTIAL\",\"components\":[\"planner\"],\"reason\":\"planner errors\"}"))
                .get("rollback").get("id").asString();
        awaitStatus(id, "COMPLETED");
        assertThat(http.post("/api/rollouts/" + rollout + "/components/memory/fix", "dev-release-manager", fix).status())
                .as("memory was not rolled back").isEqualTo(409);
        assertThat(http.post("/api/rollouts/" + rollout + "/components/planner/fix", "dev-viewer", fix).status()).isEqualTo(403);
        assertThat(http.post("/api/rollouts/" + rollout + "/components/planner/fix", "dev-on-call", "{\"version\":\"not a version\"}")
                .status()).isEqualTo(400);

        Http.Answer fixed = http.post("/api/rollouts/" + rollout + "/components/planner/fix", "dev-release-manager", fix);
        assertThat(fixed.status()).as(fixed.body()).isEqualTo(200);
        assertThat(read(fixed).get("agents").asLong()).isEqualTo(2_000_000);
        assertThat(read(fixed).get("rolloutStatus").asString()).isEqualTo("EXPANSION");
        services.verify(1, WireMock.putRequestedFor(
                urlEqualTo("/api/rollouts/" + rollout + "/component-pins/planner"))
                .withRequestBody(matchingJsonPath("$.version", equalTo("2.4.1")))
                .withHeader("Idempotency-Key", equalTo("fix:" + id + ":planner:2.4.1")));
        services.verify(1, postRequestedFor(urlEqualTo("/api/rollouts/" + rollout + "/continue"))
                .withRequestBody(matchingJsonPath("$.fixes.planner", equalTo("2.4.1"))));
    }

    @Test
    void aFixAfterAPartialRollbackInThePilotPhaseHasNoFleetAgentToPinAndTheRolloutContinues() throws Exception {
        UUID rollout = UUID.randomUUID();
        services.stubFor(post(urlEqualTo("/api/rollouts/" + rollout + "/deactivations")).willReturn(aResponse()
                .withStatus(404).withBody("{\"detail\":\"Batch plan of rollout not found\"}")));
        services.stubFor(WireMock.put(
                urlEqualTo("/api/rollouts/" + rollout + "/component-pins/planner")).willReturn(aResponse()
                        .withStatus(404).withBody("{\"detail\":\"Batch plan of rollout not found\"}")));
        services.stubFor(post(urlEqualTo("/api/rollouts/" + rollout + "/continue")).willReturn(json("{\"status\":\"PILOT\"}")));
        String id = read(http.post("/api/rollbacks", "dev-service", "{\"rolloutId\":\"" + rollout
                + "\",\"scope\":\"PARTIAL\",\"components\":[\"planner\"],\"reason\":\"pilots: planner unstable\"}"))
                .get("rollback").get("id").asString();
        awaitStatus(id, "COMPLETED");
        Http.Answer fixed = http.post("/api/rollouts/" + rollout + "/components/planner/fix", "dev-release-manager",
                "{\"version\":\"2.4.1\",\"reason\":\"planner fixed\"}");
        assertThat(fixed.status()).as(fixed.body()).isEqualTo(200);
        assertThat(read(fixed).get("agents").asLong()).isZero();
        assertThat(read(fixed).get("rolloutStatus").asString()).isEqualTo("PILOT");
    }

    @Test
    void badRequestsAreNamedProblemsAndOtherRolesAreRefused() {
        UUID rollout = UUID.randomUUID();
        String full = "{\"rolloutId\":\"" + rollout + "\",\"scope\":\"FULL\",\"reason\":\"x\"}";
        for (String token : new String[] { "dev-viewer", "dev-ci", "dev-agent-a-1", "dev-pilot-elite-01" }) {
            assertThat(http.post("/api/rollbacks", token, full).status()).as(token).isEqualTo(403);
        }
        assertThat(http.post("/api/rollbacks", null, full).status()).isEqualTo(401);
        Http.Answer partial = http.post("/api/rollbacks", "dev-on-call", "{\"rolloutId\":\"" + rollout
                + "\",\"scope\":\"PARTIAL\",\"reason\":\"x\"}");
        assertThat(partial.status()).isEqualTo(400);
        assertThat(partial.body()).contains("PARTIAL rollback names the components");
        assertThat(http.post("/api/rollbacks", "dev-on-call", "{\"rolloutId\":\"" + rollout
                + "\",\"scope\":\"FULL\",\"components\":[\"planner\"],\"reason\":\"x\"}").status()).isEqualTo(400);
        Http.Answer scope = http.post("/api/rollbacks", "dev-on-call", "{\"rolloutId\":\"" + rollout
                + "\",\"scope\":\"HALF\",\"reason\":\"x\"}");
        assertThat(scope.status()).isEqualTo(400);
        assertThat(scope.body()).contains("scope");
        assertThat(http.post("/api/rollbacks", "dev-on-call", "{\"rolloutId\":\"not-a-uuid\",\"scope\":\"FULL\","
                + "\"reason\":\"x\"}").status()).isEqualTo(400);
        assertThat(http.post("/api/rollbacks", "dev-on-call", "{\"rolloutId\":\"" + rollout + "\",\"scope\":\"FULL\"}")
                .status()).isEqualTo(400);
        assertThat(http.get("/api/rollbacks/" + UUID.randomUUID(), "dev-on-call").status()).isEqualTo(404);
        assertThat(http.post("/api/rollbacks/" + UUID.randomUUID() + "/resume", "dev-on-call", "").status()).isEqualTo(404);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM rollback WHERE rollout_id = ?", Integer.class, rollout)).isZero();
    }
}
