package dev.rollout.phaseengine.reconcile;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.http.Fault;
import dev.rollout.phaseengine.rollout.Rollout;
import dev.rollout.phaseengine.rollout.RolloutStatus;
import dev.rollout.phaseengine.rollout.Rollouts;
import dev.rollout.starter.test.Http;
import dev.rollout.starter.test.MutableClock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The reconcile loop against the other services' HTTP contracts (served here by WireMock, so that every
 * verdict and every failure can be chosen), on the real PostgreSQL, with a clock the test moves. The same
 * loop against the real services is in the platform's end-to-end test.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "rollout.reconcile.interval=PT0.05S")
class ReconcilerTest {

    static final Instant START = Instant.parse("2027-03-01T08:00:00Z");
    static final String RM = "dev-release-manager";
    static WireMockServer services = new WireMockServer(options().dynamicPort());

    @TestConfiguration
    static class Time {
        @Bean
        MutableClock clock() {
            return new MutableClock(START);
        }
    }

    @BeforeAll
    static void startServices() {
        services.start();
    }

    @AfterAll
    static void stopServices() {
        services.stop();
    }

    @DynamicPropertySource
    static void urls(DynamicPropertyRegistry registry) {
        for (String service : new String[] { "metrics-gate", "pilot-service", "cluster-batcher", "rollback-service" }) {
            registry.add("rollout.services.urls." + service, services::baseUrl);
        }
    }

    @LocalServerPort
    int port;

    @Autowired
    Reconciler reconciler;

    @Autowired
    MutableClock clock;

    @Autowired
    Rollouts rollouts;

    @Autowired
    JdbcTemplate jdbc;

    Http http;

    @BeforeEach
    void setUp() {
        http = Http.localhost(port);
        services.resetAll();
        // only this test's rollouts are active, and the lease is free
        jdbc.update("UPDATE rollout SET status = 'ABORTED' WHERE status IN ('DEVELOPMENT','PILOT','EXPANSION','PRODUCTION')");
        jdbc.update("UPDATE leader_lease SET holder = NULL, expires_at = NULL WHERE name = 'reconciler'");
        services.stubFor(post(urlPathMatching("/api/rollouts/.*/pilots/activation")).willReturn(json(200, "{\"granted\":44}")));
        services.stubFor(post(urlPathMatching("/api/rollouts/.*/batch-plan")).willReturn(json(201, "{\"batchCount\":3}")));
        services.stubFor(post(urlPathMatching("/api/rollouts/.*/batches/[0-9]+/activation")).willReturn(json(200, "{}")));
        services.stubFor(post(urlPathMatching("/api/rollouts/.*/activations/fleet")).willReturn(json(200, "{}")));
        services.stubFor(post(urlEqualTo("/api/rollbacks")).willReturn(json(202, "{\"started\":true,\"rollback\":{\"id\":\""
                + UUID.randomUUID() + "\"}}")));
        gate("PASS", null);
    }

    static ResponseDefinitionBuilder json(int status, String body) {
        return aResponse().withStatus(status).withHeader("Content-Type", "application/json").withBody(body);
    }

    /** What the gate answers from now on, measured at the test clock's current time. */
    void gate(String verdict, String scopeAndComponents) {
        gate(verdict, scopeAndComponents, "PASS".equals(verdict) ? "[]" : "[\"error rate 2.3% above 1%\"]");
    }

    void gate(String verdict, String scopeAndComponents, String reasons) {
        gate(verdict, scopeAndComponents, reasons, true);
    }

    /** The gate's answer with its {@code conclusive} flag; the evaluation's id. */
    UUID gate(String verdict, String scopeAndComponents, String reasons, boolean conclusive) {
        UUID evaluation = UUID.randomUUID();
        services.stubFor(post(urlPathMatching("/api/rollouts/.*/evaluations")).willReturn(json(201, "{\"id\":\""
                + evaluation + "\",\"phase\":\"{{jsonPath request.body '$.phase'}}\",\"verdict\":\"" + verdict + "\","
                + (scopeAndComponents == null ? "\"scope\":null,\"components\":[]" : scopeAndComponents)
                + ",\"reasons\":" + reasons + ",\"conclusive\":" + conclusive
                + ",\"evaluatedAt\":\"" + clock.instant() + "\"}").withTransformers("response-template")));
        return evaluation;
    }

    UUID startRollout(String plan) {
        Http.Answer created = http.post("/api/rollouts", RM, "{\"name\":\"assistant 2.4\",\"targetVersion\":\"2.4.0\","
                + "\"previousStableVersion\":\"2.3.1\",\"components\":[{\"name\":\"planner\",\"version\":\"2.4.0\"},"
                + "{\"name\":\"memory\",\"version\":\"1.9.0\"}]" + (plan == null ? "" : ",\"plan\":" + plan) + "}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        UUID id = UUID.fromString(created.header("Location").substring("/api/rollouts/".length()));
        assertThat(http.post("/api/rollouts/" + id + "/start", RM, "").status()).isEqualTo(200);
        return id;
    }

    Rollout rollout(UUID id) {
        return rollouts.findById(id).orElseThrow();
    }

    int calls(String path) {
        return services.findAll(postRequestedFor(urlEqualTo(path))).size();
    }

    @Test
    void walksPhaseOneToCompletedTakingEveryStepOnceWithItsIdempotencyKey() {
        UUID id = startRollout(null);
        String base = "/api/rollouts/" + id;

        reconciler.tick();
        assertThat(rollout(id).status()).isEqualTo(RolloutStatus.PILOT);
        assertThat(calls(base + "/pilots/activation")).isEqualTo(1);
        services.verify(postRequestedFor(urlEqualTo(base + "/pilots/activation"))
                .withHeader("Idempotency-Key", equalTo(id + ":enter-pilot")));

        reconciler.tick(); // soaking: a PASS does not move it before its week, nor without the approval
        assertThat(rollout(id).status()).isEqualTo(RolloutStatus.PILOT);
        assertThat(http.get(base, "dev-viewer").body()).contains("\"reason\":\"Soaking\"").contains("\"reason\":\"AwaitingApproval\"");
        clock.advance(Duration.ofDays(7));
        gate("PASS", null);
        reconciler.tick();
        assertThat(rollout(id).status()).as("no approval yet").isEqualTo(RolloutStatus.PILOT);
        assertThat(http.post(base + "/approve", RM, "{\"reason\":\"pilot feedback reviewed\"}").status()).isEqualTo(200);
        reconciler.tick();
        assertThat(rollout(id).status()).isEqualTo(RolloutStatus.EXPANSION);
        assertThat(rollout(id).batches()).isEqualTo(3);
        services.verify(postRequestedFor(urlEqualTo(base + "/batch-plan"))
                .withRequestBody(matchingJsonPath("$.batchSize", equalTo("1000000")))
                .withRequestBody(matchingJsonPath("$.components[0].previousVersion", equalTo("2.3.1"))));

        reconciler.tick();
        assertThat(rollout(id).batch()).isEqualTo(1);
        for (int n = 2; n <= 3; n++) {
            reconciler.tick();
            assertThat(rollout(id).batch()).as("observation window").isEqualTo(n - 1);
            clock.advance(Duration.ofHours(6));
            gate("PASS", null);
            reconciler.tick();
            assertThat(rollout(id).batch()).isEqualTo(n);
        }
        services.verify(postRequestedFor(urlEqualTo(base + "/evaluations"))
                .withRequestBody(matchingJsonPath("$.batch", equalTo("2"))));
        clock.advance(Duration.ofHours(6));
        gate("PASS", null);
        reconciler.tick();
        assertThat(rollout(id).status()).as("Phase 3's minimum soak is two weeks").isEqualTo(RolloutStatus.EXPANSION);
        clock.advance(Duration.ofDays(14).minusHours(18));
        gate("PASS", null);
        reconciler.tick();
        assertThat(rollout(id).status()).isEqualTo(RolloutStatus.PRODUCTION);

        clock.advance(Duration.ofDays(7));
        http.post(base + "/approve", RM, "");
        gate("PASS", null);
        reconciler.tick();
        assertThat(rollout(id).status()).isEqualTo(RolloutStatus.COMPLETED);

        for (int n = 1; n <= 3; n++) {
            assertThat(calls(base + "/batches/" + n + "/activation")).as("batch " + n).isEqualTo(1);
            services.verify(postRequestedFor(urlEqualTo(base + "/batches/" + n + "/activation"))
                    .withHeader("Idempotency-Key", equalTo(id + ":activate-batch-" + n)));
        }
        assertThat(calls(base + "/batch-plan")).isEqualTo(1);
        assertThat(calls(base + "/activations/fleet")).isEqualTo(1);
        assertThat(calls(base + "/pilots/activation")).isEqualTo(1);
        String timeline = http.get(base + "/timeline", "dev-viewer").body();
        assertThat(timeline.split("\"command\":\"NEXT_BATCH\"", -1)).hasSize(4);
        assertThat(timeline.split("\"command\":\"ADVANCE\"", -1)).hasSize(5);
        assertThat(timeline).contains("\"actor\":\"reconciler\"").contains("\"evidence\":\"/api/evaluations/");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM rollout_step WHERE rollout_id = ? AND state = 'DONE'",
                Integer.class, id)).isEqualTo(7);
    }

    @Test
    void aHoldWhenReadyPausesWithTheGateReasonsAndAHoldDuringTheSoakOnlyShowsIt() {
        UUID id = startRollout(null);
        reconciler.tick();
        assertThat(rollout(id).status()).isEqualTo(RolloutStatus.PILOT);

        gate("HOLD", null);
        clock.advance(Duration.ofDays(2));
        reconciler.tick();
        Rollout soaking = rollout(id);
        assertThat(soaking.status()).isEqualTo(RolloutStatus.PILOT);
        assertThat(soaking.conditions()).anySatisfy(c -> {
            assertThat(c.type()).isEqualTo("GatePassed");
            assertThat(c.status()).isFalse();
            assertThat(c.message()).contains("error rate 2.3% above 1%");
        });

        http.post("/api/rollouts/" + id + "/approve", RM, "");
        clock.advance(Duration.ofDays(5));
        gate("HOLD", null);
        reconciler.tick();
        Rollout paused = rollout(id);
        assertThat(paused.status()).isEqualTo(RolloutStatus.PAUSED);
        assertThat(paused.pauseReason().name()).isEqualTo("INCONCLUSIVE_GATE");
        assertThat(paused.statusReason()).contains("Gate HOLD: error rate 2.3% above 1%");
        assertThat(http.get("/api/rollouts/" + id, "dev-viewer").body()).contains("\"pauseReason\":\"INCONCLUSIVE_GATE\"")
                .contains("\"lastEvaluation\":{").contains("\"link\":\"/api/evaluations/");

        gate("PASS", null);
        http.post("/api/rollouts/" + id + "/resume", RM, "{\"reason\":\"more evidence uploaded\"}");
        reconciler.tick();
        assertThat(rollout(id).status()).isEqualTo(RolloutStatus.EXPANSION);
    }

    @Test
    void aHoldWithinTheInconclusiveLimitIsAskedAgainAfterTheIntervalAndPausesOnlyOnceItConcludes() {
        UUID id = startRollout(null);
        String evaluations = "/api/rollouts/" + id + "/evaluations";
        UUID first = gate("HOLD", null, "[\"AVAILABILITY INCONCLUSIVE: 40 of 100 samples (inconclusive 1 of 2 tolerated)\"]",
                false);
        reconciler.tick();
        reconciler.tick();
        Rollout measuring = rollout(id);
        assertThat(measuring.status()).as("ready, but the gate measures again").isEqualTo(RolloutStatus.DEVELOPMENT);
        assertThat(measuring.lastEvaluation().measuredAgain()).isTrue();
        assertThat(calls(evaluations)).as("asked again only after the interval").isEqualTo(1);

        clock.advance(Duration.ofHours(1));
        UUID second = gate("HOLD", null, "[\"AVAILABILITY INCONCLUSIVE: 60 of 100 samples\"]", true);
        reconciler.tick();
        assertThat(calls(evaluations)).isEqualTo(2);
        services.verify(postRequestedFor(urlEqualTo(evaluations))
                .withHeader("Idempotency-Key", matching(".*:ready-after-" + first)));
        Rollout paused = rollout(id);
        assertThat(paused.status()).isEqualTo(RolloutStatus.PAUSED);
        assertThat(paused.pauseReason().name()).isEqualTo("INCONCLUSIVE_GATE");
        assertThat(paused.lastEvaluation().id()).isEqualTo(second);
        assertThat(paused.statusReason()).contains("60 of 100 samples");
    }

    @Test
    void aHoldWhoseReasonsRunPastFourThousandCharactersStillPausesTheRollout() {
        UUID id = startRollout(null);
        reconciler.tick();
        http.post("/api/rollouts/" + id + "/approve", RM, "");
        StringBuilder reasons = new StringBuilder("[");
        for (int i = 0; i < 60; i++) {
            reasons.append(i == 0 ? "" : ",").append("\"TIME_ZONES FAIL: heard from 5 of 24 time zones; silent: UTC-6, UTC-5,"
                    + " UTC-4, UTC-3, UTC-2, UTC-1, UTC+0, UTC+1 (").append(i).append(")\"");
        }
        gate("HOLD", null, reasons.append(']').toString());
        clock.advance(Duration.ofDays(7));
        reconciler.tick();

        Rollout paused = rollout(id);
        assertThat(paused.status()).isEqualTo(RolloutStatus.PAUSED);
        assertThat(paused.statusReason()).startsWith("Gate HOLD: TIME_ZONES FAIL").hasSize(Rollout.REASON_MAX).endsWith("...");
        assertThat(http.get("/api/rollouts/" + id + "/timeline", "dev-viewer").body()).contains("TIME_ZONES FAIL");
    }

    @Test
    void theMaximumSoakPassedWithoutAPassPausesAndAResumeLetsThePhaseRunOn() {
        UUID id = startRollout(null);
        reconciler.tick();
        gate("HOLD", null);
        clock.advance(Duration.ofDays(15)); // Phase 2 lasts at most two weeks; not approved, so not ready
        reconciler.tick();
        Rollout paused = rollout(id);
        assertThat(paused.status()).isEqualTo(RolloutStatus.PAUSED);
        assertThat(paused.pauseReason().name()).isEqualTo("MAX_SOAK_PASSED");
        assertThat(paused.statusReason()).contains("maximum soak of PILOT (14 days) passed");

        http.post("/api/rollouts/" + id + "/resume", RM, "");
        reconciler.tick();
        assertThat(rollout(id).status()).as("the person chose to let it run on").isEqualTo(RolloutStatus.PILOT);
    }

    @Test
    void aRollbackVerdictAsksRollbackServiceOnceWithTheVerdictsScope() {
        UUID id = startRollout(null);
        gate("ROLLBACK", "\"scope\":\"PARTIAL\",\"components\":[\"planner\"]");
        reconciler.tick();
        reconciler.tick();
        assertThat(rollout(id).status()).isEqualTo(RolloutStatus.ROLLING_BACK);
        services.verify(1, postRequestedFor(urlEqualTo("/api/rollbacks"))
                .withRequestBody(matchingJsonPath("$.rolloutId", equalTo(id.toString())))
                .withRequestBody(matchingJsonPath("$.scope", equalTo("PARTIAL")))
                .withRequestBody(matchingJsonPath("$.components[0]", equalTo("planner")))
                .withHeader("Idempotency-Key", matching(id + ":rollback-.*")));
        assertThat(rollout(id).statusReason()).contains("Gate ROLLBACK (PARTIAL)").contains("error rate 2.3%");
    }

    @Test
    void aDependencyThatDoesNotAnswerLeavesTheRolloutWhereItIsWithTheConditionShown() throws InterruptedException {
        UUID id = startRollout(null);
        services.stubFor(post(urlPathMatching("/api/rollouts/.*/pilots/activation")).willReturn(json(503,
                "{\"detail\":\"maintenance\"}")));
        reconciler.tick();
        reconciler.tick();
        Rollout waiting = rollout(id);
        assertThat(waiting.status()).isEqualTo(RolloutStatus.DEVELOPMENT);
        assertThat(waiting.conditions()).anySatisfy(c -> {
            assertThat(c.type()).isEqualTo("DependenciesAvailable");
            assertThat(c.status()).isFalse();
            assertThat(c.message()).contains("pilot-service answered 503");
        });
        services.stubFor(post(urlPathMatching("/api/rollouts/.*/pilots/activation")).willReturn(json(422,
                "{\"detail\":\"the roster lacks 3 MASTERY_33 pilots\"}")));
        Thread.sleep(200);
        reconciler.tick();
        assertThat(rollout(id).conditions()).as("a refusal is shown as it was given").anySatisfy(c ->
                assertThat(c.message()).contains("pilot-service refused").contains("422").contains("lacks 3 MASTERY_33"));
        assertThat(rollout(id).status()).isEqualTo(RolloutStatus.DEVELOPMENT);
        for (int pass = 0; pass < 8; pass++) {
            reconciler.tick();
        }
        assertThat(jdbc.queryForObject("SELECT attempts FROM rollout_step WHERE rollout_id = ? AND step_key = 'enter-pilot'",
                Integer.class, id)).as("a failed step is retried with backoff, not on each of the 11 passes").isLessThan(11);
        assertThat(jdbc.queryForObject("SELECT outcome FROM rollout_step WHERE rollout_id = ? AND step_key = 'enter-pilot'",
                String.class, id)).as("the last failure is kept with the step").contains("pilot-service refused").contains("422");

        services.stubFor(post(urlPathMatching("/api/rollouts/.*/evaluations")).willReturn(aResponse().withFault(
                Fault.CONNECTION_RESET_BY_PEER)));
        clock.advance(Duration.ofHours(2));
        reconciler.tick();
        assertThat(rollout(id).status()).isEqualTo(RolloutStatus.DEVELOPMENT);
        assertThat(rollout(id).conditions()).anySatisfy(c -> assertThat(c.message()).contains("metrics-gate"));

        services.stubFor(post(urlPathMatching("/api/rollouts/.*/pilots/activation")).willReturn(json(200, "{}")));
        gate("PASS", null);
        for (int pass = 0; pass < 100 && rollout(id).status() != RolloutStatus.PILOT; pass++) {
            Thread.sleep(20); // the step's backoff is a few intervals of 50 ms
            reconciler.tick();
        }
        assertThat(rollout(id).status()).isEqualTo(RolloutStatus.PILOT);
        assertThat(rollout(id).conditions()).anySatisfy(c -> {
            assertThat(c.type()).isEqualTo("DependenciesAvailable");
            assertThat(c.status()).isTrue();
        });
    }

    @Test
    void aSecondPassWithNothingNewChangesNothing() {
        UUID id = startRollout(null);
        reconciler.tick();
        reconciler.tick();
        Rollout before = rollout(id);
        int evaluations = calls("/api/rollouts/" + id + "/evaluations");
        reconciler.tick();
        reconciler.tick();
        Rollout after = rollout(id);
        assertThat(after.version()).isEqualTo(before.version());
        assertThat(after.conditions()).isEqualTo(before.conditions());
        assertThat(calls("/api/rollouts/" + id + "/evaluations")).isEqualTo(evaluations);
    }

    @Test
    void aPromotionSkipsTheRemainingSoakAndIsAudited() {
        UUID id = startRollout(null);
        reconciler.tick();
        assertThat(http.post("/api/rollouts/" + id + "/promote", "dev-ci", "").status()).isEqualTo(403);
        assertThat(http.post("/api/rollouts/" + id + "/promote", RM, "{\"reason\":\"security fix, pilots confirmed\"}")
                .status()).isEqualTo(200);
        gate("PASS", null);
        reconciler.tick();
        assertThat(rollout(id).status()).isEqualTo(RolloutStatus.EXPANSION);
        assertThat(http.get("/api/rollouts/" + id + "/timeline", "dev-viewer").body())
                .contains("\"command\":\"PROMOTE\",\"from\":\"PILOT\",\"to\":\"PILOT\"")
                .contains("security fix, pilots confirmed");
    }

    @Test
    void aReplicaThatDoesNotHoldTheLeaseReconcilesNothing() {
        UUID id = startRollout(null);
        jdbc.update("UPDATE leader_lease SET holder = 'other-replica', fencing_token = fencing_token + 1,"
                + " expires_at = CURRENT_TIMESTAMP + INTERVAL '1 hour' WHERE name = 'reconciler'");
        assertThat(reconciler.tick()).isFalse();
        assertThat(rollout(id).status()).isEqualTo(RolloutStatus.DEVELOPMENT);
        assertThat(calls("/api/rollouts/" + id + "/evaluations")).isZero();
        assertThat(http.get("/api/reconciler", "dev-on-call").body()).contains("\"leading\":false");
        assertThat(http.get("/api/reconciler", "dev-agent-a-1").status()).isEqualTo(403);
    }

    @Test
    void thePlansKpiOverridesReachTheGateOnceBeforeItsFirstVerdict() {
        services.stubFor(WireMock.put(urlPathMatching("/api/rollouts/.*/kpi-policy"))
                .willReturn(json(200, "{}")));
        UUID id = startRollout("{\"kpiOverrides\": {\"coverageMin\": 0.9, \"errorRateRollback\": 0.005}}");
        reconciler.tick();
        reconciler.tick();
        services.verify(1, WireMock.putRequestedFor(
                urlEqualTo("/api/rollouts/" + id + "/kpi-policy"))
                .withRequestBody(matchingJsonPath("$.coverageMin", equalTo("0.9")))
                .withHeader("Idempotency-Key", equalTo(id + ":gate-policy:kpi-policy")));
        assertThat(rollout(id).status()).isEqualTo(RolloutStatus.PILOT);
    }

    @Test
    void aNextAttemptCarriesThePreviousAttemptsRootCauseSafeguardsInItsPlan() {
        UUID previous = startRollout(null);
        http.post("/api/rollouts/" + previous + "/rollback-started", "dev-service",
                "{\"rollbackId\":\"" + UUID.randomUUID() + "\",\"scope\":\"FULL\"}");
        String body = "{\"name\":\"assistant 2.4 again\",\"targetVersion\":\"2.4.1\",\"previousStableVersion\":\"2.3.1\","
                + "\"components\":[{\"name\":\"planner\",\"version\":\"2.4.1\"}],\"previousAttempt\":\"" + previous + "\"}";
        Http.Answer early = http.post("/api/rollouts", RM, body);
        assertThat(early.status()).as("not rolled back yet").isEqualTo(422);
        assertThat(early.body()).contains("ROLLING_BACK");
        http.post("/api/rollouts/" + previous + "/rollback-finished", "dev-service",
                "{\"rollbackId\":\"" + UUID.randomUUID() + "\",\"scope\":\"FULL\"}");

        services.stubFor(WireMock.get(urlEqualTo("/api/rollouts/" + previous + "/root-causes"))
                .willReturn(json(200, "[{\"id\":\"" + UUID.randomUUID() + "\",\"summary\":\"memory leak under load\","
                        + "\"safeguards\":{\"batchSize\":250000,\"observationWindow\":\"PT12H\","
                        + "\"kpiOverrides\":{\"errorRateRollback\":0.005}}}]")));
        Http.Answer next = http.post("/api/rollouts", RM, body);
        assertThat(next.status()).as(next.body()).isEqualTo(201);
        assertThat(next.body()).contains("\"batchSize\":250000").contains("\"batches\":80")
                .contains("\"observationWindow\":\"PT12H\"").contains("\"errorRateRollback\":0.005")
                .contains("\"summary\":\"memory leak under load\"").contains("batchSize 1000000 -> 250000");

        services.stubFor(WireMock.get(urlEqualTo("/api/rollouts/" + previous + "/root-causes"))
                .willReturn(aResponse().withStatus(503)));
        Http.Answer down = http.post("/api/rollouts", RM, body);
        assertThat(down.status()).isEqualTo(503);
        assertThat(down.body()).contains("root-cause records");
        assertThat(http.post("/api/rollouts", RM, body.replace(previous.toString(), UUID.randomUUID().toString())).status())
                .isEqualTo(422);
        assertThat(http.post("/api/rollouts", RM, body.replace("\"previousAttempt\"", "\"plan\":{\"safeguards\":[{}]},"
                + "\"previousAttempt\"")).status()).isEqualTo(400);
    }

    @Test
    void theReportsCarryTheRolloutsRealRecordsAndGoOutOnTheClocksSchedule() {
        UUID id = startRollout(null);
        String base = "/api/rollouts/" + id;
        UUID evaluation = UUID.randomUUID();
        services.stubFor(WireMock.get(urlEqualTo(base + "/evaluations"))
                .willReturn(json(200, "[{\"id\":\"" + evaluation + "\",\"phase\":\"DEVELOPMENT\",\"batch\":null,"
                        + "\"verdict\":\"PASS\",\"reasons\":[],\"evaluatedAt\":\"" + clock.instant() + "\"}]")));
        services.stubFor(WireMock.get(urlEqualTo("/api/evaluations/" + evaluation))
                .willReturn(json(200, "{\"id\":\"" + evaluation + "\",\"phase\":\"DEVELOPMENT\",\"verdict\":\"PASS\","
                        + "\"evaluatedAt\":\"" + clock.instant() + "\",\"measurements\":[{\"kpi\":\"COVERAGE\",\"value\":0.83,"
                        + "\"threshold\":\">= 80%\",\"verdict\":\"PASS\",\"reason\":\"line coverage 83%\"}]}")));
        services.stubFor(WireMock.get(urlEqualTo(base + "/incidents"))
                .willReturn(json(200, "[]")));
        services.stubFor(WireMock.get(urlEqualTo("/api/rollbacks?rolloutId=" + id))
                .willReturn(json(200, "[]")));
        services.stubFor(WireMock.get(urlEqualTo(base + "/root-causes"))
                .willReturn(json(200, "[]")));
        reconciler.tick();
        assertThat(rollout(id).status()).isEqualTo(RolloutStatus.PILOT);
        reconciler.tick();

        Http.Answer daily = http.get(base + "/reports/daily", "dev-viewer");
        assertThat(daily.status()).as(daily.body()).isEqualTo(200);
        assertThat(daily.body()).contains("\"command\":\"START\"").contains("\"command\":\"ADVANCE\"")
                .contains(evaluation.toString()).contains("minimum soak of PILOT");
        Http.Answer markdown = http.get(base + "/reports/daily?format=markdown", "dev-ci");
        assertThat(markdown.header("Content-Type")).startsWith("text/markdown");
        assertThat(markdown.body()).startsWith("# Daily stand-up: assistant 2.4 2.4.0").contains("**PASS**");
        assertThat(http.get(base + "/reports/daily", "dev-agent-a-1").status()).isEqualTo(403);
        Http.Answer badFormat = http.get(base + "/reports/daily?format=xml", "dev-viewer");
        assertThat(badFormat.status()).isEqualTo(400);
        assertThat(badFormat.body()).contains("json or markdown");
        assertThat(http.get("/api/rollouts/" + UUID.randomUUID() + "/reports/review", "dev-viewer").status()).isEqualTo(404);
        assertThat(http.put(base + "/reports/review/lessons", RM, "{\"lessons\": \"x\"}").status()).isEqualTo(400);

        Http.Answer review = http.get(base + "/reports/review?format=markdown", "dev-on-call");
        assertThat(review.body()).contains("| DEVELOPMENT |").containsPattern("\\| COVERAGE \\| 83% \\| [^|]* \\| >= 80% \\| PASS \\|")
                .contains("Not written yet").doesNotContainPattern("\\d{2}:\\d{2}:\\d{2}");
        MarkdownCheck.rendersCleanly(review.body());
        MarkdownCheck.rendersCleanly(markdown.body());
        assertThat(http.put(base + "/reports/review/lessons", "dev-viewer", "{\"lessonsLearned\":\"x\"}").status()).isEqualTo(403);
        assertThat(http.put(base + "/reports/review/lessons", RM, "{\"lessonsLearned\":\"smaller first batch\","
                + "\"bestPractices\":\"pilots first\",\"processImprovements\":\"alert on memory\"}").status()).isEqualTo(200);
        assertThat(http.get(base + "/reports/review", "dev-viewer").body()).contains("\"lessonsLearned\":\"smaller first batch\"");

        int before = jdbc.queryForObject("SELECT count(*) FROM report WHERE rollout_id = ?", Integer.class, id);
        clock.advance(Duration.ofHours(25));
        reconciler.tick();
        reconciler.tick();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM report WHERE rollout_id = ? AND kind = 'DAILY'", Integer.class, id))
                .as("one daily report after 24 hours, not one per pass").isEqualTo(before + 1);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM outbox_event WHERE rollout_id = ? AND type = 'DAILY_STANDUP'",
                Integer.class, id)).isEqualTo(1);
        clock.advance(Duration.ofDays(7));
        reconciler.tick();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM outbox_event WHERE type = 'WEEKLY_UPDATE' AND created_at >= ?",
                Integer.class, Timestamp.from(clock.instant()))).isEqualTo(1);
        assertThat(http.get("/api/reports/weekly?format=markdown", "dev-viewer").body()).contains("# Weekly stakeholder update")
                .contains("| assistant 2.4 | 2.4.0 |");
    }
}
