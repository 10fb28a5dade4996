package dev.rollout.clusterbatcher.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rollout.starter.test.Http;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class FleetApiTest {

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    Http http;

    @BeforeEach
    void setUp() {
        http = Http.localhost(port);
        FleetFixtures.clear(jdbc);
        jdbc.update("INSERT INTO cluster (id, region) VALUES ('eu-1', 'eu'), ('us-1', 'us')");
        jdbc.update("INSERT INTO stratum (cluster_id, tz_offset, next_rank) VALUES ('eu-1', 1, 1), ('eu-1', 2, 1),"
                + " ('us-1', -5, 1)");
        jdbc.update("INSERT INTO agent (agent_id, cluster_id, region, tz_offset, stratum_rank, stratum_id, registered_at)"
                + " SELECT v.id, v.c, v.r, v.z, 0, s.id, now() FROM (VALUES ('a-1', 'eu-1', 'eu', 1), ('a-2', 'eu-1', 'eu', 2),"
                + " ('a-3', 'us-1', 'us', -5)) v (id, c, r, z) JOIN stratum s ON s.cluster_id = v.c AND s.tz_offset = v.z");
    }

    @Test
    void countsTheFleetByClusterAndByAll24TimeZones() {
        Http.Answer answer = http.get("/api/fleet", "dev-viewer");
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body()).contains("\"agents\":3").contains("\"clusters\":2")
                .contains("\"eu-1\":2").contains("\"us-1\":1")
                .contains("\"UTC-5\":1").contains("\"UTC+1\":1").contains("\"UTC-11\":0").contains("\"UTC+12\":0")
                .contains("\"timeZonesCovered\":3");
    }

    @Test
    void refusesAgentsPilotsAndAnonymousCallers() {
        assertThat(http.get("/api/fleet", "dev-agent-a-1").status()).isEqualTo(403);
        assertThat(http.get("/api/fleet", "dev-pilot-p1").status()).isEqualTo(403);
        assertThat(http.get("/api/fleet", null).status()).isEqualTo(401);
    }
}
