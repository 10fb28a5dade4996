package dev.rollout.metricsgate.provider;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;

import dev.rollout.starter.test.Http;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/** Samples, incidents, evaluations and evidence listing: what they take, what they refuse and whom. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class SourcesApiTest {

    @LocalServerPort
    int port;

    Http http;
    String rollout;

    @BeforeEach
    void setUp() {
        http = Http.localhost(port);
        rollout = "/api/rollouts/" + UUID.randomUUID();
    }

    @Test
    void samplesAreTakenAndBadOnesRefusedWithTheField() {
        assertThat(http.post(rollout + "/samples", "dev-service",
                "{\"samples\":[{\"metric\":\"REQUESTS\",\"value\":1000},{\"metric\":\"ERRORS\",\"value\":3}]}").body())
                .contains("\"accepted\":2");
        assertThat(http.post(rollout + "/samples", "dev-service", "{\"samples\":[{\"metric\":\"CPU\",\"value\":1}]}")
                .status()).isEqualTo(400);
        Http.Answer negative = http.post(rollout + "/samples", "dev-service", "{\"samples\":[{\"metric\":\"ERRORS\",\"value\":-1}]}");
        assertThat(negative.status()).isEqualTo(400);
        assertThat(negative.body()).contains("samples[0].value");
        assertThat(http.post(rollout + "/samples", "dev-service", "{\"samples\":[]}").status()).isEqualTo(400);
        assertThat(http.post(rollout + "/samples", "dev-agent-a-1", "{\"samples\":[{\"metric\":\"ERRORS\",\"value\":1}]}")
                .status()).isEqualTo(403);
        assertThat(http.post(rollout + "/samples", "dev-viewer", "{\"samples\":[{\"metric\":\"ERRORS\",\"value\":1}]}")
                .status()).isEqualTo(403);
    }

    @Test
    void samplesThatContradictEachOtherNeitherCrashTheGateNorHideWhatOtherEvidenceProves() {
        Http.Answer huge = http.post(rollout + "/samples", "dev-service", "{\"samples\":[{\"metric\":\"REQUESTS\",\"value\":1e300}]}");
        assertThat(huge.status()).isEqualTo(400);
        assertThat(huge.body()).contains("samples[0].value").contains("at most 10^12");
        // more errors than requests: a source counting twice
        assertThat(http.post(rollout + "/samples", "dev-service",
                "{\"samples\":[{\"metric\":\"REQUESTS\",\"value\":10000},{\"metric\":\"ERRORS\",\"value\":50000}]}")
                .status()).isEqualTo(200);
        Http.Answer evaluation = http.post(rollout + "/evaluations", "dev-service", "{\"phase\":\"PILOT\"}");
        assertThat(evaluation.status()).as(evaluation.body()).isEqualTo(201);
        assertThat(evaluation.body()).contains("inconsistent figures: 50000 events of 10000 trials");
        // a critical incident still rolls the rollout back
        assertThat(http.post(rollout + "/incidents", "dev-on-call", """
                {"type":"CRITICAL_FUNCTIONALITY_FAILURE","severity":"CRITICAL","component":"planner",
                 "description":"plans loop forever"}""").status()).isEqualTo(201);
        Http.Answer again = http.post(rollout + "/evaluations", "dev-service", "{\"phase\":\"PILOT\"}");
        assertThat(again.status()).as(again.body()).isEqualTo(201);
        assertThat(again.body()).contains("\"verdict\":\"ROLLBACK\"");
    }

    @Test
    void anOpenIncidentFailsItsTriggerUntilResolved() {
        Http.Answer reported = http.post(rollout + "/incidents", "dev-on-call", """
                {"type":"CRITICAL_FUNCTIONALITY_FAILURE","severity":"CRITICAL","component":"planner",
                 "description":"plans loop forever"}""");
        assertThat(reported.status()).as(reported.body()).isEqualTo(201);
        String id = reported.body().replaceAll(".*?\"id\":\"([0-9a-f-]+)\".*", "$1");
        Http.Answer evaluation = http.post(rollout + "/evaluations", "dev-service", "{\"phase\":\"PILOT\"}");
        assertThat(evaluation.body()).contains("\"verdict\":\"ROLLBACK\"").contains("\"scope\":\"PARTIAL\"")
                .contains("\"components\":[\"planner\"]").contains("plans loop forever");
        assertThat(http.post(rollout + "/incidents/" + id + "/resolution", "dev-on-call", "").body())
                .contains("\"resolvedAt\":\"");
        assertThat(http.post(rollout + "/evaluations", "dev-service", "{\"phase\":\"PILOT\"}").body())
                .doesNotContain("\"verdict\":\"ROLLBACK\"");
        assertThat(http.post(rollout + "/incidents/" + UUID.randomUUID() + "/resolution", "dev-on-call", "").status())
                .isEqualTo(404);
    }

    @Test
    void badIncidentsAndEvaluationRequestsAre400s() {
        assertThat(http.post(rollout + "/incidents", "dev-on-call", "{\"severity\":\"HIGH\",\"description\":\"x\"}").body())
                .contains("\"field\":\"type\"");
        assertThat(http.post(rollout + "/incidents", "dev-on-call",
                "{\"type\":\"SECURITY_VULNERABILITY\",\"severity\":\"DIRE\",\"description\":\"x\"}").status()).isEqualTo(400);
        assertThat(http.post(rollout + "/evaluations", "dev-service", "{\"phase\":\"LAUNCH\"}").status()).isEqualTo(400);
        Http.Answer noBatch = http.post(rollout + "/evaluations", "dev-service", "{\"phase\":\"EXPANSION\"}");
        assertThat(noBatch.status()).isEqualTo(400);
        assertThat(noBatch.body()).contains("batch is required");
        assertThat(http.get("/api/evaluations/" + UUID.randomUUID(), "dev-viewer").status()).isEqualTo(404);
        Http.Answer scheme = http.put(rollout + "/metric-sources/prometheus", "dev-release-manager",
                "{\"baseUrl\":\"file:///etc/passwd\",\"queries\":{\"errorRate\":\"x\"}}");
        assertThat(scheme.status()).isEqualTo(422);
        assertThat(scheme.body()).contains("http or https");
    }

    @Test
    void refusesTheRolesThatMayNotReportOrRead() {
        String incident = "{\"type\":\"SECURITY_VULNERABILITY\",\"severity\":\"HIGH\",\"description\":\"x\"}";
        assertThat(http.post(rollout + "/incidents", "dev-ci", incident).status()).isEqualTo(403);
        assertThat(http.post(rollout + "/incidents", "dev-viewer", incident).status()).isEqualTo(403);
        assertThat(http.post(rollout + "/incidents", "dev-agent-a-1", incident).status()).isEqualTo(403);
        assertThat(http.get(rollout + "/incidents", "dev-agent-a-1").status()).isEqualTo(403);
        assertThat(http.get(rollout + "/evaluations", "dev-agent-a-1").status()).isEqualTo(403);
        assertThat(http.get(rollout + "/evidence", "dev-agent-a-1").status()).isEqualTo(403);
        assertThat(http.post(rollout + "/what-if", "dev-agent-a-1", "{\"phase\":\"DEVELOPMENT\",\"thresholds\":{}}").status())
                .isEqualTo(403);
        assertThat(http.put(rollout + "/metric-sources/prometheus", "dev-viewer",
                "{\"baseUrl\":\"http://127.0.0.1:9090\",\"queries\":{\"errorRate\":\"x\"}}").status()).isEqualTo(403);
        assertThat(http.get("/api/kpi-policies/default", "dev-agent-a-1").status()).isEqualTo(403);
        assertThat(http.get("/api/kpi-policies/default", null).status()).isEqualTo(401);
    }
}
