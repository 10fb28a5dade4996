package dev.rollout.clusterbatcher.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;

import dev.rollout.starter.test.Http;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

/** One agent at a time: register, update, read, deregister; bad input and refused roles. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class AgentRegistrationTest {

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    Http http;

    @BeforeEach
    void setUp() {
        http = Http.localhost(port);
        FleetFixtures.clear(jdbc);
    }

    Http.Answer register(String id, String zone) {
        return http.put("/api/fleet/agents/" + id, "dev-ci",
                "{\"cluster\":\"eu-1\",\"region\":\"eu\",\"timeZone\":\"" + zone + "\",\"labels\":{\"tier\":\"gold\"}}");
    }

    long rank(String id) {
        return jdbc.queryForObject("SELECT stratum_rank FROM agent WHERE agent_id = ?", Long.class, id);
    }

    @Test
    void registersUpdatesReadsAndDeregistersOneAgent() {
        Http.Answer created = register("r-1", "Europe/Berlin");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(created.body()).contains("\"timeZone\":\"UTC+1\"").contains("\"labels\":\"tier=gold\"");
        Http.Answer updated = register("r-1", "UTC+3");
        assertThat(updated.status()).isEqualTo(200);
        assertThat(updated.body()).contains("\"timeZone\":\"UTC+3\"");
        assertThat(http.get("/api/fleet/agents/r-1", "dev-viewer").status()).isEqualTo(200);
        assertThat(http.delete("/api/fleet/agents/r-1", "dev-release-manager").status()).isEqualTo(204);
        assertThat(http.get("/api/fleet/agents/r-1", "dev-viewer").status()).isEqualTo(404);
        assertThat(http.delete("/api/fleet/agents/r-1", "dev-release-manager").status()).isEqualTo(404);
    }

    @Test
    void deregisteringKeepsRanksDenseWhileNoPlanIsOpen() {
        register("r-1", "UTC");
        register("r-2", "UTC");
        register("r-3", "UTC");
        http.delete("/api/fleet/agents/r-1", "dev-ci");
        assertThat(rank("r-2")).isEqualTo(1);
        assertThat(rank("r-3")).isZero();
        assertThat(jdbc.queryForObject("SELECT next_rank FROM stratum WHERE cluster_id = 'eu-1' AND tz_offset = 0",
                Long.class)).isEqualTo(2);
    }

    @Test
    void badInputIsA400NamingWhatIsWrong() {
        Http.Answer zone = register("r-1", "Mars/Olympus");
        assertThat(zone.status()).isEqualTo(400);
        assertThat(zone.body()).contains("time zone 'Mars/Olympus'");
        assertThat(register("bad%20id", "UTC").body()).contains("agent id 'bad id'");
        Http.Answer missing = http.put("/api/fleet/agents/r-2", "dev-ci", "{\"region\":\"eu\",\"timeZone\":\"UTC\"}");
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.body()).contains("\"field\":\"cluster\"");
        assertThat(http.put("/api/fleet/agents/r-2", "dev-ci",
                "{\"cluster\":\"eu-1\",\"region\":\"eu\",\"timeZone\":\"UTC\",\"colour\":1}").status()).isEqualTo(400);
        assertThat(http.put("/api/fleet/agents/r-2", "dev-ci", "{\"cluster\":").status()).isEqualTo(400);
    }

    @Test
    void refusesTheRolesThatMayNotChangeOrReadTheFleet() {
        String body = "{\"cluster\":\"eu-1\",\"region\":\"eu\",\"timeZone\":\"UTC\"}";
        assertThat(http.put("/api/fleet/agents/r-1", "dev-viewer", body).status()).isEqualTo(403);
        assertThat(http.put("/api/fleet/agents/r-1", "dev-agent-a-1", body).status()).isEqualTo(403);
        assertThat(http.put("/api/fleet/agents/r-1", null, body).status()).isEqualTo(401);
        register("r-1", "UTC");
        assertThat(http.delete("/api/fleet/agents/r-1", "dev-agent-a-1").status()).isEqualTo(403);
        assertThat(http.delete("/api/fleet/agents/r-1", "dev-on-call").status()).isEqualTo(403);
        assertThat(http.get("/api/fleet/agents/r-1", "dev-pilot-p1").status()).isEqualTo(403);
        assertThat(http.get("/api/fleet/imports/" + UUID.randomUUID(), "dev-agent-a-1").status()).isEqualTo(403);
        assertThat(http.get("/api/fleet/imports/" + UUID.randomUUID(), "dev-viewer").status()).isEqualTo(404);
        assertThat(http.get("/api/fleet/imports/not-a-uuid", "dev-viewer").status()).isEqualTo(400);
    }
}
