package dev.rollout.clusterbatcher.agentapi;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import dev.rollout.clusterbatcher.fleet.FleetFixtures;
import dev.rollout.starter.test.Http;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Acknowledgements are counted once per agent and version by their agent's seat: repeats within a call, across calls
 * and from calls racing each other count once, over ranks that span several rows of bits; another version counts
 * again; a plan frozen before seats keeps its key; an acknowledgement after the plan closed is kept apart; rows of bits
 * deleted beneath the service are made again.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "rollout.batcher.state-cache=0ms", "rollout.agent-api.rate-limit.per-identity=100000",
        "rollout.agent-api.rate-limit.per-instance=100000" })
class AckSeatsTest {

    static final JsonMapper JSON = JsonMapper.builder().build();
    /** More agents than one row of bits holds: ranks 0 to 8,191 in the first, the rest in the second. */
    static final int AGENTS = AckStore.RANKS_PER_CHUNK + 1_808;

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
    void repeatsWithinACallAcrossCallsAndFromRacingCallsCountOnce() throws Exception {
        UUID rollout = FleetFixtures.oneBatchActive(http, "seat-", AGENTS);
        // within a call: the first of two
        JsonNode first = ack(rollout, List.of("seat-0", "seat-0", "seat-9000"), "2.4.0");
        assertThat(first.get("accepted").asInt()).isEqualTo(2);
        assertThat(first.get("duplicates").asInt()).isEqualTo(1);
        // across calls
        JsonNode again = ack(rollout, List.of("seat-0", "seat-9000", "seat-1"), "2.4.0");
        assertThat(again.get("accepted").asInt()).isEqualTo(1);
        assertThat(again.get("duplicates").asInt()).isEqualTo(2);

        // four calls at once, each with every agent in its own order: each agent counted by exactly one of them
        List<String> everyone = new ArrayList<>();
        for (int i = 0; i < AGENTS; i++) {
            everyone.add("seat-" + i);
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<int[]>> calls = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            List<String> mine = new ArrayList<>(everyone);
            Collections.shuffle(mine, new Random(t));
            calls.add(pool.submit(() -> {
                int accepted = 0;
                for (int from = 0; from < mine.size(); from += 5_000) {
                    accepted += ack(rollout, mine.subList(from, Math.min(mine.size(), from + 5_000)), "2.4.0")
                            .get("accepted").asInt();
                }
                return new int[] { accepted };
            }));
        }
        int accepted = 0;
        for (Future<int[]> call : calls) {
            accepted += call.get()[0];
        }
        pool.shutdown();
        assertThat(accepted).as("the agents not yet counted, once each").isEqualTo(AGENTS - 3);
        assertThat(count("SELECT count(*) FROM ack WHERE rollout_id = ?", rollout)).isEqualTo(AGENTS);
        assertThat(count("SELECT count(DISTINCT agent_id) FROM ack WHERE rollout_id = ?", rollout)).isEqualTo(AGENTS);
        assertThat(count("SELECT sum(acks) FROM ack_tally WHERE rollout_id = ?", rollout)).isEqualTo(AGENTS);
        assertThat(count("SELECT count(*) FROM ack_seat WHERE rollout_id = ?", rollout)).as("two rows of bits").isEqualTo(2);
        assertThat(count("SELECT count(*) FROM ack_keyed", null)).isZero();
        JsonNode health = JSON.readTree(http.get("/api/rollouts/" + rollout + "/batches/1", "dev-viewer").body())
                .get("health");
        assertThat(health.get("acknowledged").asLong()).isEqualTo(AGENTS);
        assertThat(health.get("responseRate").asDouble()).isEqualTo(1.0);
    }

    @Test
    void anotherVersionOfTheSameAgentsCountsAgainOnce() {
        UUID rollout = FleetFixtures.oneBatchActive(http, "ver-", 10);
        assertThat(ack(rollout, List.of("ver-1", "ver-2"), "2.4.0").get("accepted").asInt()).isEqualTo(2);
        // the planner pinned back to 2.3.1 (a partial rollback): the agents report the version they now run
        jdbc.update("INSERT INTO component_pin (rollout_id, component, version, reason, pinned_by, pinned_at)"
                + " VALUES (?, 'planner', '2.3.1', 'test', 'test', now())", rollout);
        JsonNode back = ack(rollout, List.of("ver-1", "ver-2", "ver-2"), "2.3.1");
        assertThat(back.get("accepted").asInt()).isEqualTo(2);
        assertThat(back.get("duplicates").asInt()).isEqualTo(1);
        assertThat(ack(rollout, List.of("ver-1"), "2.3.1").get("accepted").asInt()).isZero();
        assertThat(count("SELECT sum(acks) FROM ack_tally WHERE rollout_id = ?", rollout)).isEqualTo(4);
    }

    @Test
    void aPlanFrozenBeforeSeatsKeepsItsKeyAndCountsOnce() {
        UUID rollout = FleetFixtures.oneBatchActive(http, "old-", 10);
        jdbc.update("UPDATE batch_plan SET acks_by_seat = false WHERE rollout_id = ?", rollout);
        assertThat(ack(rollout, List.of("old-1", "old-2"), "2.4.0").get("accepted").asInt()).isEqualTo(2);
        JsonNode repeat = ack(rollout, List.of("old-1", "old-3"), "2.4.0");
        assertThat(repeat.get("accepted").asInt()).isEqualTo(1);
        assertThat(repeat.get("duplicates").asInt()).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM ack_keyed WHERE rollout_id = ?", rollout)).isEqualTo(3);
        assertThat(count("SELECT count(*) FROM ack WHERE rollout_id = ?", rollout)).isZero();
        assertThat(count("SELECT count(*) FROM ack_seat WHERE rollout_id = ?", rollout)).isZero();
        assertThat(count("SELECT sum(acks) FROM ack_tally WHERE rollout_id = ?", rollout)).isEqualTo(3);
    }

    @Test
    void anAcknowledgementAfterThePlanClosedIsKeptApartAndNotCounted() {
        UUID rollout = FleetFixtures.oneBatchActive(http, "late-", 10);
        assertThat(ack(rollout, List.of("late-1"), "2.4.0").get("accepted").asInt()).isEqualTo(1);
        assertThat(http.post("/api/rollouts/" + rollout + "/batch-plan/close", "dev-release-manager", "").status())
                .isEqualTo(204);
        JsonNode late = ack(rollout, List.of("late-2", "late-1"), "2.4.0");
        assertThat(late.get("accepted").asInt()).isZero();
        assertThat(late.get("integrityFindings").asInt()).isEqualTo(2);
        assertThat(count("SELECT sum(acks) FROM ack_tally WHERE rollout_id = ?", rollout)).isEqualTo(1);
        JsonNode health = JSON.readTree(http.get("/api/rollouts/" + rollout + "/batches/1", "dev-viewer").body())
                .get("health");
        assertThat(health.get("acknowledged").asLong()).isEqualTo(1);
        assertThat(health.get("integrity").get("afterClose").asLong()).isEqualTo(2);
        List<String> problems = new ArrayList<>();
        health.get("integrity").get("findings").forEach(f -> problems.add(f.get("problem").asString()));
        assertThat(problems).containsExactly("PLAN_CLOSED", "PLAN_CLOSED");
    }

    @Test
    void rowsOfBitsDeletedBeneathTheServiceAreMadeAgain() {
        UUID rollout = FleetFixtures.oneBatchActive(http, "gone-", 10);
        assertThat(ack(rollout, List.of("gone-1"), "2.4.0").get("accepted").asInt()).isEqualTo(1);
        // the service knows the row exists and no longer creates it first; the database says otherwise
        jdbc.update("DELETE FROM ack_seat WHERE rollout_id = ?", rollout);

        JsonNode after = ack(rollout, List.of("gone-2", "gone-3"), "2.4.0");
        assertThat(after.get("accepted").asInt()).isEqualTo(2);
        assertThat(count("SELECT count(*) FROM ack_seat WHERE rollout_id = ?", rollout)).isEqualTo(1);
        assertThat(count("SELECT sum(acks) FROM ack_tally WHERE rollout_id = ?", rollout)).isEqualTo(3);
    }

    private JsonNode ack(UUID rollout, List<String> agents, String version) {
        StringBuilder csv = new StringBuilder("agentId,rolloutId,version,status,latencyMs,requests,errors\n");
        for (String agent : agents) {
            csv.append(agent).append(',').append(rollout).append(',').append(version).append(",OK,40,10,0\n");
        }
        Http.Answer answer = http.post("/agent/v1/acks", "dev-service", "text/csv", csv.toString(), Map.of());
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        return JSON.readTree(answer.body());
    }

    private long count(String sql, UUID rollout) {
        Long n = rollout == null ? jdbc.queryForObject(sql, Long.class) : jdbc.queryForObject(sql, Long.class, rollout);
        return n == null ? 0 : n;
    }
}
