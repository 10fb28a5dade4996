package dev.rollout.pilotservice.grant;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;

import dev.rollout.pilotservice.roster.Rosters;
import dev.rollout.starter.test.Http;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/** Onboarding, health checks, support, grants and the summary: malformed requests and refused roles. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class PilotEndpointsBadInputTest {

    @LocalServerPort
    int port;

    Http http;
    String rollout;

    @BeforeEach
    void setUp() {
        http = Http.localhost(port);
        assertThat(http.put("/api/pilots", "dev-release-manager", Rosters.json(Rosters.plan())).status()).isEqualTo(200);
        rollout = "/api/rollouts/" + UUID.randomUUID();
    }

    @Test
    void malformedRequestsAre400sOr422sThatSayWhat() {
        assertThat(http.post("/api/onboarding-sessions", "dev-release-manager",
                "{\"title\":\"x\",\"scheduledAt\":\"2026-12-01T09:00:00Z\"}").body()).contains("\"field\":\"group\"");
        assertThat(http.post("/api/onboarding-sessions", "dev-release-manager",
                "{\"group\":\"ELITE_11\",\"title\":\"x\",\"scheduledAt\":\"next monday\"}").status()).isEqualTo(400);
        assertThat(http.put("/api/onboarding-sessions/" + UUID.randomUUID() + "/attendance/elite-s4-01",
                "dev-release-manager", "{\"attended\":true,\"completed\":true}").status()).isEqualTo(404);
        String session = http.post("/api/onboarding-sessions", "dev-release-manager",
                "{\"group\":\"ELITE_11\",\"title\":\"Briefing\",\"scheduledAt\":\"2026-12-01T09:00:00Z\"}").body()
                .replaceAll(".*\"id\":\"([0-9a-f-]+)\".*", "$1");
        assertThat(http.put("/api/onboarding-sessions/" + session + "/attendance/nobody", "dev-release-manager",
                "{\"attended\":true,\"completed\":true}").status()).isEqualTo(404);
        Http.Answer unattended = http.put("/api/onboarding-sessions/" + session + "/attendance/elite-s4-01",
                "dev-release-manager", "{\"attended\":false,\"completed\":true}");
        assertThat(unattended.status()).isEqualTo(422);
        assertThat(unattended.body()).contains("completed needs attended");
        assertThat(http.post(rollout + "/health-checks", "dev-ci", "{\"passed\":true}").body()).contains("\"field\":\"name\"");
        http.post(rollout + "/pilots/activation", "dev-service", "");
        assertThat(http.post(rollout + "/support-requests", "dev-pilot-elite-s4-01",
                "{\"subject\":\"x\",\"severity\":\"URGENT\"}").status()).isEqualTo(400);
        assertThat(http.post(rollout + "/feedback", "dev-pilot-elite-s4-01", "{\"rating\":4}").body())
                .contains("\"field\":\"instability\"");
    }

    @Test
    void refusesTheRolesThatMayNotAct() {
        String session = "{\"group\":\"ELITE_11\",\"title\":\"x\",\"scheduledAt\":\"2026-12-01T09:00:00Z\"}";
        assertThat(http.post("/api/onboarding-sessions", "dev-viewer", session).status()).isEqualTo(403);
        assertThat(http.post("/api/onboarding-sessions", "dev-pilot-elite-s4-01", session).status()).isEqualTo(403);
        assertThat(http.get("/api/onboarding-sessions/status", "dev-agent-a-1").status()).isEqualTo(403);
        assertThat(http.post(rollout + "/health-checks", "dev-agent-a-1", "{\"name\":\"x\",\"passed\":true}").status())
                .isEqualTo(403);
        assertThat(http.post(rollout + "/health-checks", "dev-pilot-elite-s4-01", "{\"name\":\"x\",\"passed\":true}")
                .status()).isEqualTo(403);
        assertThat(http.post(rollout + "/support-requests", "dev-viewer", "{\"subject\":\"x\",\"severity\":\"LOW\"}")
                .status()).isEqualTo(403);
        assertThat(http.post(rollout + "/pilots/activation", "dev-viewer", "").status()).isEqualTo(403);
        assertThat(http.post(rollout + "/pilots/activation", "dev-pilot-elite-s4-01", "").status()).isEqualTo(403);
        assertThat(http.post(rollout + "/pilots/revocation", "dev-ci", "").status()).isEqualTo(403);
        assertThat(http.get(rollout + "/pilots", "dev-agent-a-1").status()).isEqualTo(403);
        assertThat(http.get(rollout + "/feedback/summary", "dev-pilot-elite-s4-01").status()).isEqualTo(403);
        assertThat(http.put("/api/pilots/elite-s4-01", "dev-viewer",
                "{\"name\":\"x\",\"contact\":\"x@example.org\",\"group\":\"ELITE_11\",\"wing\":1,\"squadron\":4}").status())
                .isEqualTo(403);
    }
}
