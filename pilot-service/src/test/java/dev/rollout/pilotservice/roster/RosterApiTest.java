package dev.rollout.pilotservice.roster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rollout.starter.test.Http;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class RosterApiTest {

    @LocalServerPort
    int port;

    @Autowired
    Pilots pilots;

    Http http;

    @BeforeEach
    void setUp() {
        http = Http.localhost(port);
        pilots.save(new Pilot("elite-s4-01", "Ada", "ada@example.org", PilotGroup.ELITE_11, 1, 4));
    }

    @Test
    void servesTheRosterFromItsSchema() {
        Http.Answer answer = http.get("/api/pilots", "dev-release-manager");
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body()).contains("\"id\":\"elite-s4-01\"").contains("\"group\":\"ELITE_11\"");
    }

    @Test
    void aPilotMayReadItselfButNoOtherPilot() {
        assertThat(http.get("/api/pilots/elite-s4-01", "dev-pilot-elite-s4-01").status()).isEqualTo(200);
        assertThat(http.get("/api/pilots/elite-s4-01", "dev-pilot-mastery-w1s1-01").status()).isEqualTo(403);
        assertThat(http.get("/api/pilots", "dev-pilot-elite-s4-01").status()).isEqualTo(403);
    }

    @Test
    void anUnknownPilotIsA404() {
        assertThat(http.get("/api/pilots/nobody", "dev-viewer").status()).isEqualTo(404);
    }

    @Test
    void refusesAgentsAndAnonymousCallers() {
        assertThat(http.get("/api/pilots", "dev-agent-a-1").status()).isEqualTo(403);
        assertThat(http.get("/api/pilots", null).status()).isEqualTo(401);
    }
}
