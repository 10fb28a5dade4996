package dev.rollout.metricsgate.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;

import dev.rollout.starter.test.Http;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class KpiPolicyApiTest {

    @LocalServerPort
    int port;

    Http http;

    @BeforeEach
    void setUp() {
        http = Http.localhost(port);
    }

    @Test
    void servesThePlansFiguresAsDefaults() {
        Http.Answer answer = http.get("/api/kpi-policies/default", "dev-ci");
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body()).contains("\"availabilityMin\":0.999").contains("\"responseTimeMaxMillis\":200")
                .contains("\"criticalErrorRateMax\":0.001").contains("\"agentResponseRateMin\":0.985")
                .contains("\"satisfactionMin\":4.0").contains("\"errorRateRollback\":0.01")
                .contains("\"degradationRollback\":0.20");
    }

    @Test
    void aRolloutWithoutOverridesUsesTheDefaults() {
        Http.Answer answer = http.get("/api/rollouts/" + UUID.randomUUID() + "/kpi-policy", "dev-viewer");
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body()).contains("\"source\":\"default\"");
    }

    @Test
    void refusesAgentsPilotsAndAnonymousCallers() {
        assertThat(http.get("/api/kpi-policies/default", "dev-agent").status()).isEqualTo(403);
        assertThat(http.get("/api/kpi-policies/default", "dev-pilot-p1").status()).isEqualTo(403);
        assertThat(http.get("/api/kpi-policies/default", null).status()).isEqualTo(401);
    }
}
