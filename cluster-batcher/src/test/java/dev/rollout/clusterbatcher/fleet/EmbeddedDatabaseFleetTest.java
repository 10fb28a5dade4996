package dev.rollout.clusterbatcher.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.UUID;

import dev.rollout.starter.test.Http;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The standalone mode's embedded database (H2 in PostgreSQL mode) takes the portable import path
 * (batched inserts into the stage, then MERGE) and the same plan and activation SQL.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "rollout.test.database=embedded",
        "spring.datasource.url=jdbc:h2:mem:fleet;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;"
                + "INIT=CREATE SCHEMA IF NOT EXISTS cluster_batcher",
        "spring.datasource.username=sa", "spring.datasource.password=" })
class EmbeddedDatabaseFleetTest {

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void importsPlansActivatesAndAnswersAgentsOnTheEmbeddedDatabase() {
        Http http = Http.localhost(port);
        StringBuilder csv = new StringBuilder("agent_id,cluster,region,time_zone\n");
        for (int i = 0; i < 48; i++) {
            csv.append("h-").append(i).append(",eu-1,eu,").append(i % 24 - 11 < 0 ? "UTC" : "UTC+").append(i % 24 - 11)
                    .append('\n');
        }
        csv.append("h-0,eu-1,eu,UTC\n");
        Http.Answer first = http.post("/api/fleet/imports", "dev-ci", "text/csv", csv.toString(), Map.of());
        assertThat(first.body()).contains("\"imported\":48").contains("\"rejected\":1")
                .contains("duplicate agent id: the same id is on line 2");
        Http.Answer again = http.post("/api/fleet/imports", "dev-ci", "text/csv",
                "agent_id,cluster,region,time_zone\nh-1,eu-1,eu,UTC+5\nh-99,eu-1,eu,UTC\n", Map.of());
        assertThat(again.body()).contains("\"imported\":1").contains("\"updated\":1");
        assertThat(jdbc.queryForObject("SELECT tz_offset FROM agent WHERE agent_id = 'h-1'", Integer.class)).isEqualTo(5);

        UUID rollout = UUID.randomUUID();
        assertThat(http.post("/api/rollouts/" + rollout + "/batch-plan", "dev-service", """
                {"batchSize": 10, "targetVersion": "2.0.0", "previousStableVersion": "1.0.0",
                 "components": [{"name": "core", "version": "2.0.0", "previousVersion": "1.0.0"}]}""").status())
                .isEqualTo(201);
        assertThat(http.post("/api/rollouts/" + rollout + "/batches/1/activation", "dev-service", "").status())
                .isEqualTo(200);
        Http.Answer batch = http.get("/api/rollouts/" + rollout + "/batches/1", "dev-viewer");
        assertThat(batch.status()).as(batch.body()).isEqualTo(200);
        assertThat(batch.body()).contains("\"state\":\"ACTIVE\"");

        Http.Answer agents = http.get("/api/rollouts/" + rollout + "/batches/1/agents?size=10", "dev-viewer");
        java.util.regex.Matcher ids = java.util.regex.Pattern.compile("\"agentId\":\"([^\"]+)\"").matcher(agents.body());
        StringBuilder acks = new StringBuilder("agentId,rolloutId,version,status,latencyMs,requests,errors\n");
        int listed = 0;
        while (ids.find()) {
            acks.append(ids.group(1)).append(',').append(rollout).append(",2.0.0,OK,").append(40 + listed).append(",10,0\n");
            listed++;
        }
        // 10 agents: the rank that the agent moving to UTC+5 left vacant was closed when the plan was frozen
        assertThat(listed).isEqualTo(10);
        assertThat(http.post("/agent/v1/acks", "dev-agent", "text/csv", acks.toString(), Map.of()).status()).isEqualTo(200);
        // a gateway retrying the call: every acknowledgement is a repeat and counts once
        assertThat(http.post("/agent/v1/acks", "dev-agent", "text/csv", acks.toString(), Map.of()).body())
                .contains("\"accepted\":0", "\"duplicates\":" + listed);
        Http.Answer health = http.get("/api/rollouts/" + rollout + "/batches/1", "dev-viewer");
        assertThat(health.body()).contains("\"acknowledged\":" + listed)
                .contains("\"latencyMeanMs\":" + (40 + (listed - 1) / 2.0));
        assertThat(health.body()).containsPattern("\"timeZonesHeardFrom\":[1-9]");
    }
}
