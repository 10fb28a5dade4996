package dev.rollout.clusterbatcher.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.rollout.starter.test.Http;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Ranks left vacant (an agent moved to another stratum, or was deregistered during a rollout) are counted as holes
 * and closed when the next plan is frozen, so that a plan's batches hold exactly the agents it counts; while a plan
 * is open, its batches count the agents that left out of their activated agents.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class RankCompactionTest {

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

    @Test
    void aPlanFrozenAfterAgentsMovedCountsOnlyTheAgentsThatAreThere() {
        StringBuilder csv = new StringBuilder("agent_id,cluster,region,time_zone\n");
        for (int i = 0; i < 10; i++) {
            csv.append("m-").append(i).append(",eu-1,eu,UTC\n");
        }
        assertThat(upload(csv.toString()).body()).contains("\"imported\":10");
        // two agents move to another time zone: ranks 2 and 5 of (eu-1, UTC) are left vacant
        assertThat(upload("agent_id,cluster,region,time_zone\nm-2,eu-1,eu,UTC+5\nm-5,eu-1,eu,UTC+5\n").body())
                .contains("\"updated\":2");
        assertThat(stratum(0)).containsEntry("next_rank", 10L).containsEntry("holes", 2L);

        UUID rollout = UUID.randomUUID();
        assertThat(freeze(rollout, 4).status()).isEqualTo(201);

        // the two agents at the top took the vacant ranks; every other agent kept its own
        assertThat(stratum(0)).containsEntry("next_rank", 8L).containsEntry("holes", 0L);
        assertThat(rank("m-8")).isEqualTo(2);
        assertThat(rank("m-9")).isEqualTo(5);
        assertThat(rank("m-0")).isZero();
        assertThat(rank("m-7")).isEqualTo(7);
        assertThat(jdbc.queryForList("SELECT stratum_rank FROM agent WHERE tz_offset = 0 ORDER BY stratum_rank", Long.class))
                .containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L);
        // the plan counts 10 agents in batches of 4, 4 and 2, and each batch lists exactly as many
        int listed = 0;
        for (int batch = 1; batch <= 3; batch++) {
            Http.Answer agents = http.get("/api/rollouts/" + rollout + "/batches/" + batch + "/agents?size=10", "dev-viewer");
            int members = agents.body().split("\"agentId\"", -1).length - 1;
            assertThat(members).as("batch %d: %s", batch, agents.body()).isEqualTo(batch < 3 ? 4 : 2);
            assertThat(agents.body()).contains("\"totalAgents\":" + members);
            listed += members;
        }
        assertThat(listed).isEqualTo(10);
    }

    @Test
    void anAgentDeregisteredDuringARolloutKeepsItsRankVacantUntilTheNextPlan() {
        StringBuilder csv = new StringBuilder("agent_id,cluster,region,time_zone\n");
        for (int i = 0; i < 6; i++) {
            csv.append("d-").append(i).append(",eu-1,eu,UTC\n");
        }
        upload(csv.toString());
        UUID first = UUID.randomUUID();
        assertThat(freeze(first, 3).status()).isEqualTo(201);
        assertThat(http.delete("/api/fleet/agents/d-1", "dev-release-manager").status()).isEqualTo(204);
        // during the rollout no other agent changes rank (its batch would change): the rank stays vacant, counted
        assertThat(rank("d-5")).isEqualTo(5);
        assertThat(stratum(0)).containsEntry("next_rank", 6L).containsEntry("holes", 1L);
        // a plan frozen while another is open leaves the ranks as they are
        UUID second = UUID.randomUUID();
        assertThat(freeze(second, 3).status()).isEqualTo(201);
        assertThat(rank("d-5")).isEqualTo(5);

        assertThat(http.post("/api/rollouts/" + first + "/batch-plan/close", "dev-service", "").status()).isEqualTo(204);
        assertThat(http.post("/api/rollouts/" + second + "/batch-plan/close", "dev-service", "").status()).isEqualTo(204);
        UUID third = UUID.randomUUID();
        Http.Answer plan = freeze(third, 3);
        assertThat(plan.status()).isEqualTo(201);
        assertThat(plan.body()).contains("\"planned\":5");
        assertThat(rank("d-5")).isEqualTo(1);
        assertThat(stratum(0)).containsEntry("next_rank", 5L).containsEntry("holes", 0L);
    }

    @Test
    void aBatchCountsOutTheAgentsThatLeftDuringTheRollout() {
        StringBuilder csv = new StringBuilder("agent_id,cluster,region,time_zone\n");
        for (int i = 0; i < 20; i++) {
            csv.append("r-").append(i).append(",eu-1,eu,UTC\n");
        }
        upload(csv.toString());
        UUID rollout = UUID.randomUUID();
        assertThat(freeze(rollout, 10).status()).isEqualTo(201);
        assertThat(http.post("/api/rollouts/" + rollout + "/batches/1/activation", "dev-service", "").status()).isEqualTo(200);
        Matcher ids = Pattern.compile("\"agentId\":\"([^\"]+)\"")
                .matcher(http.get("/api/rollouts/" + rollout + "/batches/1/agents?size=10", "dev-viewer").body());
        List<String> members = new ArrayList<>();
        while (ids.find()) {
            members.add(ids.group(1));
        }
        assertThat(members).hasSize(10);
        // during the rollout one member is deregistered and one moves to another time zone
        assertThat(http.delete("/api/fleet/agents/" + members.get(0), "dev-release-manager").status()).isEqualTo(204);
        assertThat(upload("agent_id,cluster,region,time_zone\n" + members.get(1) + ",eu-1,eu,UTC+5\n").body())
                .contains("\"updated\":1");
        StringBuilder acks = new StringBuilder("agentId,rolloutId,version,status,latencyMs,requests,errors\n");
        for (String member : members.subList(2, 10)) {
            acks.append(member).append(',').append(rollout).append(",2.0.0,OK,40,10,0\n");
        }
        assertThat(http.post("/agent/v1/acks", "dev-gateway-eu-1", "text/csv", acks.toString(), Map.of()).body())
                .contains("\"accepted\":8");
        // every agent still in the batch answered: the two that left are not counted as silent
        assertThat(http.get("/api/rollouts/" + rollout + "/batches/1", "dev-viewer").body())
                .contains("\"activated\":8", "\"departed\":2", "\"acknowledged\":8", "\"responseRate\":1.0");
        assertThat(http.get("/api/rollouts/" + rollout + "/batches/2", "dev-viewer").body())
                .contains("\"activated\":10", "\"departed\":0");
    }

    @Test
    void existingHolesAreCountedByTheMigration() {
        upload("agent_id,cluster,region,time_zone\nx-0,eu-1,eu,UTC\nx-1,eu-1,eu,UTC\nx-2,eu-1,eu,UTC\n");
        // a vacancy left before holes were counted, as the migration finds it
        jdbc.update("DELETE FROM agent WHERE agent_id = 'x-0'");
        jdbc.update("UPDATE stratum SET holes = 0");
        String migration = new String(readMigration(), StandardCharsets.UTF_8);
        String count = migration.substring(migration.indexOf("UPDATE stratum"));
        jdbc.update(count.substring(0, count.indexOf(';')));
        assertThat(stratum(0)).containsEntry("holes", 1L);
        assertThat(freeze(UUID.randomUUID(), 2).body()).contains("\"planned\":2");
        assertThat(List.of(rank("x-1"), rank("x-2"))).containsExactlyInAnyOrder(0L, 1L);
    }

    private static byte[] readMigration() {
        try (InputStream in = RankCompactionTest.class.getResourceAsStream("/db/migration/V9__stratum_holes.sql")) {
            return in.readAllBytes();
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Http.Answer upload(String csv) {
        return http.post("/api/fleet/imports", "dev-ci", "text/csv", csv, Map.of());
    }

    private Http.Answer freeze(UUID rollout, int batchSize) {
        return http.post("/api/rollouts/" + rollout + "/batch-plan", "dev-service", """
                {"batchSize": %d, "targetVersion": "2.0.0", "previousStableVersion": "1.0.0",
                 "components": [{"name": "core", "version": "2.0.0", "previousVersion": "1.0.0"}]}""".formatted(batchSize));
    }

    private Map<String, Object> stratum(int tzOffset) {
        return jdbc.queryForMap("SELECT next_rank, holes FROM stratum WHERE cluster_id = 'eu-1' AND tz_offset = ?", tzOffset);
    }

    private long rank(String agentId) {
        return jdbc.queryForObject("SELECT stratum_rank FROM agent WHERE agent_id = ?", Long.class, agentId);
    }
}
