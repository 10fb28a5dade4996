package dev.rollout.phaseengine.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;

import dev.rollout.starter.test.Http;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class OperationsApiTest {

    @LocalServerPort
    int port;

    Http http;

    @BeforeEach
    void setUp() {
        http = Http.localhost(port);
    }

    String create(String token) {
        Http.Answer created = http.post("/api/rollouts", token, RolloutApiTest.BODY);
        assertThat(created.status()).isEqualTo(201);
        return created.header("Location");
    }

    @Test
    void startPausesResumesAbortsAndRetriesThroughTheTransitionTableKeepingATimeline() {
        String rollout = create("dev-release-manager");
        Http.Answer started = http.post(rollout + "/start", "dev-release-manager", "");
        assertThat(started.status()).as(started.body()).isEqualTo(200);
        assertThat(started.body()).contains("\"status\":\"DEVELOPMENT\"").contains("\"phase\":\"DEVELOPMENT\"");

        Http.Answer again = http.post(rollout + "/start", "dev-release-manager", "");
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.body()).contains("START is not allowed from DEVELOPMENT").contains("\"allowedFrom\":[\"DRAFT\"]");

        assertThat(http.post(rollout + "/pause", "dev-release-manager", "{\"reason\":\"waiting for the security review\"}")
                .body()).contains("\"status\":\"PAUSED\"").contains("\"statusReason\":\"waiting for the security review\"");
        assertThat(http.post(rollout + "/resume", "dev-release-manager", "").body()).contains("\"status\":\"DEVELOPMENT\"");
        assertThat(http.post(rollout + "/abort", "dev-release-manager", "{\"reason\":\"wrong build\"}").body())
                .contains("\"status\":\"ABORTED\"");
        assertThat(http.post(rollout + "/pause", "dev-release-manager", "").status()).isEqualTo(409);
        assertThat(http.post(rollout + "/retry", "dev-release-manager", "").body()).contains("\"status\":\"DEVELOPMENT\"");

        Http.Answer timeline = http.get(rollout + "/timeline", "dev-viewer");
        assertThat(timeline.status()).isEqualTo(200);
        assertThat(timeline.body().split("\"command\"", -1)).hasSize(6);
        assertThat(timeline.body()).contains("\"command\":\"PAUSE\",\"from\":\"DEVELOPMENT\",\"to\":\"PAUSED\"")
                .contains("\"reason\":\"wrong build\"").contains("\"actor\":\"release-manager\"");
    }

    @Test
    void aCiPipelineStartsOnlyItsOwnRolloutsAndOtherRolesAreRefused() {
        String own = create("dev-ci");
        String other = create("dev-release-manager");
        assertThat(http.post(other + "/start", "dev-ci", "").status()).isEqualTo(403);
        assertThat(http.post(own + "/start", "dev-ci", "").status()).isEqualTo(200);
        assertThat(http.post(own + "/pause", "dev-ci", "").status()).isEqualTo(403);
        assertThat(http.post(other + "/start", "dev-viewer", "").status()).isEqualTo(403);
        assertThat(http.post(other + "/abort", "dev-on-call", "").status()).isEqualTo(403);
        assertThat(http.post("/api/rollouts/" + UUID.randomUUID() + "/start", "dev-release-manager", "").status())
                .isEqualTo(404);
        assertThat(http.get(own + "/timeline", "dev-agent-a-1").status()).isEqualTo(403);
        assertThat(http.get(own + "/timeline", "dev-pilot-p1").status()).isEqualTo(403);
    }

    @Test
    void aMalformedReasonIsA400() {
        String rollout = create("dev-release-manager");
        Http.Answer tooLong = http.post(rollout + "/start", "dev-release-manager",
                "{\"reason\":\"" + "x".repeat(501) + "\"}");
        assertThat(tooLong.status()).isEqualTo(400);
        assertThat(tooLong.body()).contains("\"field\":\"reason\"");
        assertThat(http.post(rollout + "/start", "dev-release-manager", "{\"reason\": 3").status()).isEqualTo(400);
        assertThat(http.post(rollout + "/start", "dev-release-manager", "{\"why\":\"x\"}").status()).isEqualTo(400);
        assertThat(http.get("/api/rollouts/not-a-uuid/timeline", "dev-viewer").status()).isEqualTo(400);
    }

    @Test
    void theRollbackSagaHaltsTheRolloutFinishesItAndAFixLetsItContinueEachStepOnce() {
        String rollout = create("dev-release-manager");
        http.post(rollout + "/start", "dev-release-manager", "");
        String id = UUID.randomUUID().toString();
        String started = "{\"rollbackId\":\"" + id + "\",\"scope\":\"PARTIAL\",\"reason\":\"planner errors\"}";
        assertThat(http.post(rollout + "/rollback-started", "dev-release-manager", started).status()).isEqualTo(403);
        assertThat(http.post(rollout + "/rollback-started", "dev-on-call", started).status()).isEqualTo(403);
        assertThat(http.post(rollout + "/rollback-started", "dev-service", started).body()).contains("\"status\":\"ROLLING_BACK\"");
        assertThat(http.post(rollout + "/rollback-started", "dev-service", started).status()).as("repeated: no change").isEqualTo(200);
        assertThat(http.post(rollout + "/rollback-started", "dev-service", "{\"rollbackId\":\"" + id + "\",\"scope\":\"HALF\"}")
                .status()).isEqualTo(400);

        String finished = "{\"rollbackId\":\"" + id + "\",\"scope\":\"PARTIAL\"}";
        assertThat(http.post(rollout + "/rollback-finished", "dev-service", finished).body())
                .contains("\"status\":\"PARTIALLY_ROLLED_BACK\"");
        assertThat(http.post(rollout + "/rollback-finished", "dev-service", finished).status()).isEqualTo(200);

        assertThat(http.post(rollout + "/continue", "dev-service", "{\"fixes\":{\"nope\":\"1.0.0\"}}").status()).isEqualTo(422);
        assertThat(http.post(rollout + "/continue", "dev-service", "{\"fixes\":{}}").status()).isEqualTo(400);
        Http.Answer continued = http.post(rollout + "/continue", "dev-service", "{\"fixes\":{\"planner\":\"2.4.1\"}}");
        assertThat(continued.body()).contains("\"status\":\"DEVELOPMENT\"").contains("{\"name\":\"planner\",\"version\":\"2.4.1\"}");
        assertThat(http.post(rollout + "/continue", "dev-service", "{\"fixes\":{\"planner\":\"2.4.1\"}}").status()).isEqualTo(200);
        String timeline = http.get(rollout + "/timeline", "dev-viewer").body();
        assertThat(timeline.split("\"command\":\"START_ROLLBACK\"", -1)).hasSize(2);
        assertThat(timeline.split("\"command\":\"FINISH_ROLLBACK\"", -1)).hasSize(2);
        assertThat(timeline.split("\"command\":\"CONTINUE\"", -1)).hasSize(2);
    }
}
