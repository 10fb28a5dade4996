package dev.rollout.starter.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rollout.starter.test.Http;
import dev.rollout.starter.testapp.StarterTestApplication;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

@SpringBootTest(classes = StarterTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = { "rollout.security.mode=DEV", "spring.application.name=starter-test" })
class DevelopmentTokenSecurityTest {

    @LocalServerPort
    int port;

    Http http;

    @BeforeEach
    void setUp() {
        http = Http.localhost(port);
    }

    @Test
    void refusesARequestWithoutTokenWithAProblemAndABearerChallenge() {
        Http.Answer answer = http.get("/api/me", null);
        assertThat(answer.status()).isEqualTo(401);
        assertThat(answer.header("Content-Type")).startsWith("application/problem+json");
        assertThat(answer.header("WWW-Authenticate")).isEqualTo("Bearer");
        assertThat(answer.body()).contains("\"status\":401").contains("bearer token is required");
    }

    @Test
    void refusesAnUnknownToken() {
        Http.Answer answer = http.get("/api/me", "dev-nobody");
        assertThat(answer.status()).isEqualTo(401);
        assertThat(answer.header("WWW-Authenticate")).contains("invalid_token");
        assertThat(answer.body()).doesNotContain("dev-nobody");
    }

    @Test
    void mapsEachDevelopmentTokenToItsRole() {
        assertThat(http.get("/api/me", "dev-release-manager").body()).contains("ROLE_RELEASE_MANAGER");
        assertThat(http.get("/api/me", "dev-ci").body()).contains("ROLE_CI_PIPELINE");
        assertThat(http.get("/api/me", "dev-on-call").body()).contains("ROLE_ON_CALL");
        assertThat(http.get("/api/me", "dev-viewer").body()).contains("ROLE_VIEWER");
        assertThat(http.get("/api/me", "dev-agent-a-1").body()).contains("\"name\":\"a-1\"").contains("ROLE_AGENT");
        assertThat(http.get("/api/me", "dev-gateway-eu-1+us-1").body()).contains("ROLE_AGENT_GATEWAY");
        assertThat(http.get("/api/me", "dev-agent").status()).as("an agent token names its agent").isEqualTo(401);
        assertThat(http.get("/api/me", "dev-service").body()).contains("ROLE_SERVICE");
    }

    @Test
    void aPilotTokenActsAsThatPilot() {
        Http.Answer answer = http.get("/api/me", "dev-pilot-mastery-w1s2-07");
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body()).contains("\"name\":\"mastery-w1s2-07\"").contains("ROLE_PILOT");
    }

    @Test
    void refusesARoleTheEndpointDoesNotDeclare() {
        Http.Answer answer = http.post("/api/widgets", "dev-viewer", "{\"name\":\"a\",\"size\":1}");
        assertThat(answer.status()).isEqualTo(403);
        assertThat(answer.header("Content-Type")).startsWith("application/problem+json");
        assertThat(http.post("/api/widgets", "dev-agent-a-1", "{\"name\":\"a\",\"size\":1}").status()).isEqualTo(403);
        assertThat(http.post("/api/widgets", "dev-ci", "{\"name\":\"a\",\"size\":1}").status()).isEqualTo(200);
    }

    @Test
    void checksTheRoleBeforeReadingOrValidatingTheBody() {
        Http.Answer answer = http.post("/api/widgets", "dev-viewer", "{\"name\": ");
        assertThat(answer.status()).isEqualTo(403);
        assertThat(http.post("/api/widgets", "dev-viewer", "{\"name\":\"\",\"size\":0}").status()).isEqualTo(403);
    }

    @Test
    void closesAnEndpointThatDeclaresNoRoles() {
        Http.Answer answer = http.get("/api/undeclared", "dev-release-manager");
        assertThat(answer.status()).isEqualTo(403);
        assertThat(answer.body()).contains("declares no roles");
    }

    @Test
    void servesHealthProbesWithoutAToken() {
        assertThat(http.get("/actuator/health/liveness", null).status()).isEqualTo(200);
        assertThat(http.get("/actuator/health/readiness", null).status()).isEqualTo(200);
    }

    @Test
    void metricsTakeAScrapersTokenAndNoOtherRole() {
        assertThat(http.get("/actuator/prometheus", null).status()).isEqualTo(401);
        assertThat(http.get("/actuator/prometheus", "dev-viewer").status()).isEqualTo(403);
        assertThat(http.get("/actuator/prometheus", "dev-release-manager").status()).isEqualTo(403);
        assertThat(http.get("/api/me", "dev-metrics").body()).contains("ROLE_METRICS");
        assertThat(http.post("/api/widgets", "dev-metrics", "{\"name\":\"a\",\"size\":1}").status()).isEqualTo(403);
    }

    @Test
    void tagsEveryMeterWithTheApplication() {
        Http.Answer answer = http.get("/actuator/prometheus", "dev-metrics");
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body()).contains("application=\"starter-test\"");
    }
}
