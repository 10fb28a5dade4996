package dev.rollout.pilotservice.grant;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;

import dev.rollout.pilotservice.roster.Rosters;
import dev.rollout.starter.test.Http;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

/** Phase 2 on the pilot side: grants, onboarding, feedback, health checks, support, and the gate's summary. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class PilotPhaseTest {

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    Http http;
    UUID rollout;

    @BeforeEach
    void setUp() {
        http = Http.localhost(port);
        jdbc.update("DELETE FROM onboarding_attendance");
        jdbc.update("DELETE FROM onboarding_session");
        assertThat(http.put("/api/pilots", "dev-release-manager", Rosters.json(Rosters.plan())).status()).isEqualTo(200);
        rollout = UUID.randomUUID();
    }

    String feedback(int rating, boolean instability, String component) {
        return "{\"rating\":" + rating + ",\"comment\":\"ok\",\"instability\":" + instability + ",\"component\":\""
                + component + "\"}";
    }

    @Test
    void activationGrantsOwnerPermissionToExactlyThe44AndARepeatChangesNothing() {
        Http.Answer first = http.post("/api/rollouts/" + rollout + "/pilots/activation", "dev-service", "");
        assertThat(first.status()).as(first.body()).isEqualTo(200);
        assertThat(first.body()).contains("\"pilots\":44").contains("\"changed\":44");
        Http.Answer again = http.post("/api/rollouts/" + rollout + "/pilots/activation", "dev-service", "");
        assertThat(again.body()).contains("\"changed\":0");

        Http.Answer holdings = http.get("/api/rollouts/" + rollout + "/pilots", "dev-viewer");
        assertThat(holdings.body()).contains("\"active\":44").contains("\"permission\":\"OWNER\"");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM grant_audit WHERE rollout_id = ? AND action = 'GRANT'",
                Integer.class, rollout)).isEqualTo(44);

        Http.Answer revoked = http.post("/api/rollouts/" + rollout + "/pilots/revocation", "dev-service",
                "{\"reason\":\"rollback\"}");
        assertThat(revoked.body()).contains("\"changed\":44");
        assertThat(http.get("/api/rollouts/" + rollout + "/pilots", "dev-viewer").body()).contains("\"active\":0");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM grant_audit WHERE rollout_id = ? AND action = 'REVOKE'"
                + " AND reason = 'rollback' AND actor = 'service'", Integer.class, rollout)).isEqualTo(44);
    }

    @Test
    void aPilotSpeaksOnlyForItselfAndOnlyOnARolloutItPilots() {
        String pilot = "dev-pilot-mastery-w1s2-03";
        assertThat(http.post("/api/rollouts/" + rollout + "/feedback", pilot, feedback(5, false, "planner")).status())
                .isEqualTo(403);
        http.post("/api/rollouts/" + rollout + "/pilots/activation", "dev-release-manager", "");

        Http.Answer given = http.post("/api/rollouts/" + rollout + "/feedback", pilot, feedback(5, false, "planner"));
        assertThat(given.status()).as(given.body()).isEqualTo(201);
        assertThat(given.body()).contains("\"pilotId\":\"mastery-w1s2-03\"");

        Http.Answer asAnother = http.post("/api/rollouts/" + rollout + "/feedback", pilot,
                "{\"pilotId\":\"elite-s4-01\",\"rating\":1,\"instability\":true}");
        assertThat(asAnother.status()).isEqualTo(403);
        assertThat(asAnother.body()).contains("may not give feedback as pilot elite-s4-01");
        assertThat(http.post("/api/rollouts/" + rollout + "/feedback", "dev-pilot-not-on-roster", feedback(3, false, "x"))
                .status()).isEqualTo(403);
        assertThat(http.post("/api/rollouts/" + rollout + "/feedback", "dev-release-manager", feedback(3, false, "x"))
                .status()).isEqualTo(403);
        assertThat(http.post("/api/rollouts/" + rollout + "/feedback", pilot, feedback(6, false, "planner")).status())
                .isEqualTo(400);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM feedback WHERE rollout_id = ?", Integer.class, rollout))
                .isEqualTo(1);
    }

    @Test
    void theSummaryCarriesSatisfactionInstabilityOnboardingHealthAndSupport() {
        http.post("/api/rollouts/" + rollout + "/pilots/activation", "dev-service", "");
        http.post("/api/rollouts/" + rollout + "/feedback", "dev-pilot-elite-s4-01", feedback(5, false, "planner"));
        http.post("/api/rollouts/" + rollout + "/feedback", "dev-pilot-elite-s4-02", feedback(4, false, "memory"));
        http.post("/api/rollouts/" + rollout + "/feedback", "dev-pilot-mastery-w1s1-01", feedback(2, true, "memory"));

        Http.Answer session = http.post("/api/onboarding-sessions", "dev-release-manager",
                "{\"group\":\"ELITE_11\",\"title\":\"Strategic oversight briefing\",\"scheduledAt\":\"2026-12-01T09:00:00Z\"}");
        assertThat(session.status()).isEqualTo(201);
        String sessionId = session.body().replaceAll(".*\"id\":\"([0-9a-f-]+)\".*", "$1");
        assertThat(http.put("/api/onboarding-sessions/" + sessionId + "/attendance/elite-s4-01", "dev-release-manager",
                "{\"attended\":true,\"completed\":true}").status()).isEqualTo(200);
        assertThat(http.put("/api/onboarding-sessions/" + sessionId + "/attendance/mastery-w1s1-01",
                "dev-release-manager", "{\"attended\":true,\"completed\":true}").status()).isEqualTo(422);

        assertThat(http.post("/api/rollouts/" + rollout + "/health-checks", "dev-ci",
                "{\"name\":\"pilot-cluster-api\",\"passed\":true}").status()).isEqualTo(201);
        assertThat(http.post("/api/rollouts/" + rollout + "/support-requests", "dev-pilot-elite-s4-02",
                "{\"subject\":\"Slow memory recall\",\"severity\":\"MEDIUM\"}").status()).isEqualTo(201);
        assertThat(http.post("/api/rollouts/" + rollout + "/support-requests", "dev-pilot-nobody",
                "{\"subject\":\"x\",\"severity\":\"LOW\"}").status()).isEqualTo(403);

        Http.Answer summary = http.get("/api/rollouts/" + rollout + "/feedback/summary", "dev-service");
        assertThat(summary.status()).isEqualTo(200);
        assertThat(summary.body()).contains("\"count\":3").contains("\"mean\":3.6666666666666665")
                .contains("\"distribution\":{\"1\":0,\"2\":1,\"3\":0,\"4\":1,\"5\":1}")
                .contains("\"reports\":1").contains("\"memory\":{\"count\":2,\"mean\":3.0,\"instabilityReports\":1}")
                .contains("\"pilots\":44,\"onboarded\":1").contains("\"checks\":1,\"passing\":1")
                .contains("\"total\":1,\"last24Hours\":1").contains("\"pilotsWithGrant\":44");
        assertThat(http.get("/api/rollouts/" + rollout + "/feedback/summary", "dev-agent-a-1").status()).isEqualTo(403);
    }
}
