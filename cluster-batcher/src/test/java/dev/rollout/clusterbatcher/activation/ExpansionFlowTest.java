package dev.rollout.clusterbatcher.activation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import dev.rollout.clusterbatcher.fleet.FleetFixtures;
import dev.rollout.clusterbatcher.plan.BatchPlans;
import dev.rollout.clusterbatcher.plan.FrozenPlan;
import dev.rollout.starter.test.Http;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A fleet of 2,160 agents (3 clusters x 24 time zones x 30) through a plan of four batches of 500: freeze,
 * activate, ask, acknowledge, read health, roll back one component, roll back all. Real PostgreSQL.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ExpansionFlowTest {

    static final JsonMapper JSON = JsonMapper.builder().build();

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    BatchPlans plans;

    Http http;
    /** The agent gateway of the test fleet's three clusters. */
    static final String GATEWAY = "dev-gateway-eu-1+us-1+ap-1";

    UUID rollout;
    List<String> agents;

    @BeforeEach
    void setUp() {
        http = Http.localhost(port);
        FleetFixtures.clear(jdbc);
        StringBuilder csv = new StringBuilder("agent_id,cluster,region,time_zone\n");
        agents = new ArrayList<>();
        for (String cluster : List.of("eu-1", "us-1", "ap-1")) {
            for (int zone = -11; zone <= 12; zone++) {
                for (int i = 0; i < 30; i++) {
                    String id = cluster + "-z" + zone + "-" + i;
                    agents.add(id);
                    csv.append(id).append(',').append(cluster).append(',').append(cluster.substring(0, 2)).append(',')
                            .append(zone < 0 ? "UTC" + zone : "UTC+" + zone).append('\n');
                }
            }
        }
        Http.Answer imported = http.post("/api/fleet/imports", "dev-ci", "text/csv", csv.toString(), Map.of());
        assertThat(imported.body()).contains("\"imported\":2160");
        rollout = UUID.randomUUID();
    }

    String plan(long batchSize, long cap) {
        return """
                {"batchSize": %d, "fleetCap": %d, "targetVersion": "2.4.0", "previousStableVersion": "2.3.1",
                 "components": [{"name": "planner", "version": "2.4.0", "previousVersion": "2.3.1"},
                                {"name": "memory", "version": "1.9.0", "previousVersion": "1.8.2"}]}"""
                .formatted(batchSize, cap);
    }

    JsonNode json(Http.Answer answer) {
        return JSON.readTree(answer.body());
    }

    Map<String, JsonNode> desired() {
        Map<String, JsonNode> all = new HashMap<>();
        String ids = String.join("\",\"", agents);
        JsonNode answer = json(http.post("/agent/v1/desired", GATEWAY, "{\"agentIds\":[\"" + ids + "\"]}"));
        answer.get("states").forEach(s -> all.put(s.get("agentId").asString(), s));
        assertThat(answer.get("unknownAgents").size()).isZero();
        return all;
    }

    @Test
    void freezesAStratifiedPlanActivatesOneBatchWithOneRowAndRollsBackOneComponent() {
        Http.Answer frozen = http.post("/api/rollouts/" + rollout + "/batch-plan", "dev-service", plan(500, 2000));
        assertThat(frozen.status()).as(frozen.body()).isEqualTo(201);
        assertThat(json(frozen).get("batchCount").asInt()).isEqualTo(4);
        assertThat(json(frozen).get("planned").asLong()).isEqualTo(2000);
        assertThat(http.post("/api/rollouts/" + rollout + "/batch-plan", "dev-service", plan(500, 2000)).status())
                .isEqualTo(200);
        assertThat(http.post("/api/rollouts/" + rollout + "/batch-plan", "dev-service", plan(400, 2000)).status())
                .isEqualTo(409);

        JsonNode batches = json(http.get("/api/rollouts/" + rollout + "/batches", "dev-viewer")).get("batches");
        assertThat(batches.size()).isEqualTo(4);
        for (JsonNode batch : batches) {
            assertThat(batch.get("composition").get("agents").asLong()).isEqualTo(500);
            assertThat(batch.get("composition").get("timeZones").asInt()).isEqualTo(24);
            assertThat(batch.get("composition").get("byCluster").size()).isEqualTo(3);
            assertThat(batch.get("activation").get("state").asString()).isEqualTo("PENDING");
        }

        Map<String, JsonNode> before = desired();
        assertThat(before.values()).allSatisfy(d -> {
            assertThat(d.get("activated").asBoolean()).isFalse();
            assertThat(d.get("versions").get("planner").asString()).isEqualTo("2.3.1");
        });
        assertThat(before.values().stream().filter(d -> d.get("batch").isNull()).count()).isEqualTo(160);

        Http.Answer activated = http.post("/api/rollouts/" + rollout + "/batches/1/activation", "dev-service", "");
        assertThat(activated.status()).as(activated.body()).isEqualTo(200);
        assertThat(json(activated).get("changed").asBoolean()).isTrue();
        assertThat(json(activated).get("agents").asLong()).isEqualTo(500);
        assertThat(json(http.post("/api/rollouts/" + rollout + "/batches/1/activation", "dev-service", ""))
                .get("changed").asBoolean()).isFalse();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM activation WHERE rollout_id = ?", Integer.class, rollout))
                .isEqualTo(1);
        assertThat(http.post("/api/rollouts/" + rollout + "/batches/5/activation", "dev-service", "").status())
                .isEqualTo(404);

        Map<String, JsonNode> after = desired();
        List<JsonNode> active = after.values().stream().filter(d -> d.get("activated").asBoolean()).toList();
        assertThat(active).hasSize(500).allSatisfy(d -> {
            assertThat(d.get("batch").asInt()).isEqualTo(1);
            assertThat(d.get("versions").get("planner").asString()).isEqualTo("2.4.0");
            assertThat(d.get("versions").get("memory").asString()).isEqualTo("1.9.0");
        });
        JsonNode single = json(http.get("/agent/v1/agents/" + active.get(0).get("agentId").asString() + "/desired",
                "dev-agent-" + active.get(0).get("agentId").asString()));
        assertThat(single.get("rolloutId").asString()).isEqualTo(rollout.toString());

        // every activated agent acknowledges; ten repeat themselves; strangers and wrong versions are kept apart
        StringBuilder acks = new StringBuilder("{\"acks\":[");
        for (JsonNode d : active) {
            acks.append(ack(d.get("agentId").asString(), "2.4.0")).append(',');
        }
        for (int i = 0; i < 10; i++) {
            acks.append(ack(active.get(i).get("agentId").asString(), "2.4.0")).append(',');
        }
        List<JsonNode> inactive = after.values().stream().filter(d -> !d.get("activated").asBoolean()).toList();
        for (int i = 0; i < 3; i++) {
            acks.append(ack(inactive.get(i).get("agentId").asString(), "2.4.0")).append(',');
        }
        acks.append(ack(active.get(0).get("agentId").asString(), "9.9.9")).append(',');
        acks.append(ack("nobody-at-all", "2.4.0")).append(',');
        acks.append("{\"agentId\":\"x\",\"rolloutId\":\"" + rollout + "\",\"version\":\"2.4.0\",\"status\":\"OK\"}]}");
        Http.Answer ingested = http.post("/agent/v1/acks", GATEWAY, acks.toString());
        assertThat(ingested.status()).as(ingested.body()).isEqualTo(200);
        JsonNode result = json(ingested);
        assertThat(result.get("received").asInt()).isEqualTo(516);
        assertThat(result.get("accepted").asInt()).isEqualTo(500);
        assertThat(result.get("duplicates").asInt()).isEqualTo(10);
        assertThat(result.get("integrityFindings").asInt()).isEqualTo(4);
        assertThat(result.get("rejected").get(0).get("index").asInt()).isEqualTo(514);
        assertThat(result.get("rejected").get(0).get("reason").asString()).isEqualTo("unknown agent");
        assertThat(result.get("rejected").get(1).get("index").asInt()).isEqualTo(515);
        assertThat(result.get("rejected").get(1).get("reason").asString()).contains("latencyMs is required");

        // the CSV form of agent gateways: a bad line is rejected by its index, the others are taken
        String csv = "agentId,rolloutId,version,status,latencyMs,requests,errors\n"
                + active.get(0).get("agentId").asString() + "," + rollout + ",2.4.0,OK,40,100,1\n"
                + "broken line\n";
        JsonNode fromCsv = json(http.post("/agent/v1/acks", GATEWAY, "text/csv", csv, Map.of()));
        assertThat(fromCsv.get("received").asInt()).isEqualTo(2);
        assertThat(fromCsv.get("duplicates").asInt()).isEqualTo(1);
        assertThat(fromCsv.get("rejected").get(0).get("index").asInt()).isEqualTo(1);
        assertThat(http.post("/agent/v1/acks", GATEWAY, "text/csv", "agent,rollout\nx,y\n", Map.of())
                .status()).isEqualTo(400);

        // an agent gateway retrying the whole call: everything is a repeat, counted once
        JsonNode retried = json(http.post("/agent/v1/acks", GATEWAY, acks.toString()));
        assertThat(retried.get("accepted").asInt()).isZero();
        assertThat(retried.get("duplicates").asInt()).isEqualTo(510);

        JsonNode health = json(http.get("/api/rollouts/" + rollout + "/batches/1", "dev-viewer")).get("health");
        assertThat(health.get("acknowledged").asLong()).isEqualTo(500);
        assertThat(health.get("responseRate").asDouble()).isEqualTo(1.0);
        assertThat(health.get("timeZonesHeardFrom").asInt()).isEqualTo(24);
        assertThat(health.get("errorRate").asDouble()).isEqualTo(0.01);
        assertThat(health.get("integrity").get("otherVersion").asLong()).isEqualTo(1);
        // the whole plan with health, as the console's batch grid reads it: the activated batch as above, the rest none
        JsonNode grid = json(http.get("/api/rollouts/" + rollout + "/batches?health=true", "dev-viewer")).get("batches");
        assertThat(grid.get(0).get("health")).isEqualTo(health);
        assertThat(grid.get(1).get("health").isNull()).isTrue();
        assertThat(json(http.get("/api/rollouts/" + rollout + "/batches", "dev-viewer")).get("batches").get(0)
                .get("health").isNull()).as("health only when asked").isTrue();
        // the figures kept as acknowledgements arrive (first call copied, then repeats) are those of the rows
        Map<String, Object> rows = jdbc.queryForMap("SELECT COUNT(*) AS n, SUM(CASE WHEN ok THEN 0 ELSE 1 END) AS failed,"
                + " AVG(latency_ms) AS mean, PERCENTILE_CONT(0.95) WITHIN GROUP (ORDER BY latency_ms) AS p95,"
                + " COUNT(DISTINCT tz_offset) AS zones FROM ack WHERE rollout_id = ? AND batch = 0", rollout);
        assertThat(health.get("acknowledged").asLong()).isEqualTo(((Number) rows.get("n")).longValue());
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM ack WHERE rollout_id = ? AND received_at BETWEEN"
                + " now() - INTERVAL '1 hour' AND now() + INTERVAL '1 hour'", Long.class, rollout))
                .as("every acknowledgement stored with the time it was received").isEqualTo(500);
        assertThat(health.get("failedAcks").asLong()).isEqualTo(((Number) rows.get("failed")).longValue()).isPositive();
        assertThat(health.get("latencyMeanMs").asDouble()).isCloseTo(((Number) rows.get("mean")).doubleValue(),
                Assertions.within(1e-9));
        assertThat(health.get("latencyP95Ms").asDouble()).isCloseTo(((Number) rows.get("p95")).doubleValue(),
                Assertions.within(1e-9));
        assertThat(json(http.get("/api/rollouts/" + rollout + "/batches/2", "dev-viewer")).get("health")
                .get("integrity").get("outsideActivatedSet").asLong()
                + json(http.get("/api/rollouts/" + rollout + "/batches/3", "dev-viewer")).get("health")
                        .get("integrity").get("outsideActivatedSet").asLong()
                + json(http.get("/api/rollouts/" + rollout + "/batches/4", "dev-viewer")).get("health")
                        .get("integrity").get("outsideActivatedSet").asLong()
                + jdbc.queryForObject("SELECT count(*) FROM ack_integrity WHERE rollout_id = ? AND batch = -1",
                        Long.class, rollout)).isEqualTo(3);

        JsonNode page = json(http.get("/api/rollouts/" + rollout + "/batches/1/agents?size=1000", "dev-viewer"));
        assertThat(http.get("/api/rollouts/" + rollout + "/batches/1/agents?size=10001", "dev-viewer").status()).isEqualTo(400);
        assertThat(page.get("totalAgents").asLong()).isEqualTo(500);
        List<String> listed = new ArrayList<>();
        page.get("agents").forEach(a -> listed.add(a.get("agentId").asString()));
        assertThat(listed).containsExactlyInAnyOrderElementsOf(active.stream().map(d -> d.get("agentId").asString()).toList());
        // in the stratum index's order: by registration rank, then stratum
        Map<String, Long> ranks = new HashMap<>();
        jdbc.query("SELECT agent_id, stratum_rank FROM agent", rs -> {
            ranks.put(rs.getString(1), rs.getLong(2));
        });
        assertThat(listed.stream().map(ranks::get).toList()).isSorted();
        // the same page as CSV, in the fleet import's columns
        Http.Answer exported = http.get("/api/rollouts/" + rollout + "/batches/1/agents?size=1000", "dev-viewer",
                Map.of("Accept", "text/csv"));
        assertThat(exported.status()).as(exported.body()).isEqualTo(200);
        assertThat(exported.header("Content-Type")).startsWith("text/csv");
        assertThat(exported.header("X-Total-Count")).isEqualTo("500");
        List<String> lines = exported.body().lines().toList();
        assertThat(lines.get(0)).isEqualTo("agent_id,cluster,region,time_zone");
        assertThat(lines.subList(1, lines.size()).stream().map(line -> line.split(",")[0]).toList())
                .containsExactlyElementsOf(listed);
        assertThat(lines.get(1).split(",")[3]).matches("UTC([+-][0-9]{1,2})?");
        assertThat(http.get("/api/rollouts/" + rollout + "/batches/1/agents", "dev-pilot-p1",
                Map.of("Accept", "text/csv")).status()).isEqualTo(403);
        assertThat(http.get("/api/rollouts/" + rollout + "/batches/99/agents", "dev-viewer",
                Map.of("Accept", "text/csv")).status()).isEqualTo(404);
        // a CSV page holds up to 100,000 agents (a JSON page 10,000): a tool pages through a batch in few calls
        Http.Answer large = http.get("/api/rollouts/" + rollout + "/batches/1/agents?size=100000", "dev-viewer",
                Map.of("Accept", "text/csv"));
        assertThat(large.status()).as(large.body()).isEqualTo(200);
        assertThat(large.body().lines().skip(1).map(line -> line.split(",")[0]).toList()).containsExactlyElementsOf(listed);
        Http.Answer tooLarge = http.get("/api/rollouts/" + rollout + "/batches/1/agents?size=100001", "dev-viewer",
                Map.of("Accept", "text/csv"));
        assertThat(tooLarge.status()).isEqualTo(400);
        assertThat(tooLarge.body()).contains("size");

        // partial rollback: only the planner goes back; memory keeps the new version on every activated agent
        Http.Answer partial = http.post("/api/rollouts/" + rollout + "/deactivations", "dev-on-call",
                "{\"scope\":\"COMPONENTS\",\"components\":[\"planner\"],\"reason\":\"planner error rate 3%\"}");
        assertThat(partial.status()).as(partial.body()).isEqualTo(200);
        assertThat(desired().values().stream().filter(d -> d.get("activated").asBoolean()).toList()).hasSize(500)
                .allSatisfy(d -> {
                    assertThat(d.get("versions").get("planner").asString()).isEqualTo("2.3.1");
                    assertThat(d.get("versions").get("memory").asString()).isEqualTo("1.9.0");
                });
        assertThat(http.post("/api/rollouts/" + rollout + "/deactivations", "dev-on-call",
                "{\"scope\":\"COMPONENTS\",\"components\":[\"nope\"],\"reason\":\"x\"}").status()).isEqualTo(422);

        // the fix re-deployed to the activated agents
        assertThat(http.put("/api/rollouts/" + rollout + "/component-pins/planner", "dev-service",
                "{\"version\":\"2.4.1\",\"reason\":\"fix for the error spike\"}").status()).isEqualTo(200);
        assertThat(desired().values().stream().filter(d -> d.get("activated").asBoolean()))
                .allSatisfy(d -> assertThat(d.get("versions").get("planner").asString()).isEqualTo("2.4.1"));

        // full rollback: everyone on the previous version
        Http.Answer full = http.post("/api/rollouts/" + rollout + "/deactivations", "dev-service",
                "{\"scope\":\"ALL\",\"reason\":\"error rate above 1%\"}");
        assertThat(json(full).get("agents").asLong()).isEqualTo(500);
        assertThat(desired().values()).allSatisfy(d -> {
            assertThat(d.get("activated").asBoolean()).isFalse();
            assertThat(d.get("versions").get("memory").asString()).isEqualTo("1.8.2");
        });
    }

    @Test
    void buildsAFrozenPlanOnceAndStillSeesItClosedByAnotherReplica() {
        http.post("/api/rollouts/" + rollout + "/batch-plan", "dev-service", plan(500, 2000));
        FrozenPlan first = plans.load(rollout).orElseThrow();
        assertThat(http.post("/api/rollouts/" + rollout + "/batches/1/activation", "dev-service", "").status())
                .isEqualTo(200);
        assertThat(plans.load(rollout).orElseThrow()).as("the frozen plan is kept, not rebuilt per call").isSameAs(first);

        jdbc.update("UPDATE batch_plan SET closed_at = now() WHERE rollout_id = ?", rollout);
        Http.Answer closed = http.post("/api/rollouts/" + rollout + "/batches/2/activation", "dev-service", "");
        assertThat(closed.status()).as(closed.body()).isEqualTo(409);
        assertThat(closed.body()).contains("was closed at");
        assertThat(plans.load(rollout).orElseThrow().closedAt()).isNotNull();
    }

    @Test
    void refusesBadPlansAndTheRolesThatMayNotChangeActivations() {
        assertThat(http.post("/api/rollouts/" + rollout + "/batch-plan", "dev-service", plan(0, 2000)).status())
                .isEqualTo(400);
        Http.Answer aboveCap = http.post("/api/rollouts/" + rollout + "/batch-plan", "dev-service", plan(3000, 2000));
        assertThat(aboveCap.status()).isEqualTo(422);
        assertThat(aboveCap.body()).contains("above the fleet cap");
        assertThat(http.post("/api/rollouts/" + rollout + "/batch-plan", "dev-service", plan(1, 2000)).status())
                .isEqualTo(422);
        assertThat(http.post("/api/rollouts/" + rollout + "/batch-plan", "dev-viewer", plan(500, 2000)).status())
                .isEqualTo(403);
        assertThat(http.post("/api/rollouts/" + rollout + "/batches/1/activation", "dev-service", "").status())
                .isEqualTo(404);
        http.post("/api/rollouts/" + rollout + "/batch-plan", "dev-service", plan(500, 2000));
        assertThat(http.post("/api/rollouts/" + rollout + "/batches/1/activation", GATEWAY, "").status()).isEqualTo(403);
        assertThat(http.post("/api/rollouts/" + rollout + "/batches/1/activation", "dev-ci", "").status()).isEqualTo(403);
        assertThat(http.post("/agent/v1/acks", "dev-release-manager", "{\"acks\":[]}").status()).isEqualTo(403);
        assertThat(http.post("/agent/v1/acks", GATEWAY, "{\"acks\":[]}").status()).isEqualTo(400);
        String tooMany = "{\"agentIds\":[" + String.join(",", Collections.nCopies(10_001, "\"a\"")) + "]}";
        Http.Answer many = http.post("/agent/v1/desired", GATEWAY, tooMany);
        assertThat(many.status()).isEqualTo(400);
        assertThat(many.body()).contains("agentIds");
        assertThat(http.get("/agent/v1/agents/nobody/desired", GATEWAY).status()).isEqualTo(404);
    }

    @Test
    void concurrentCallsAcknowledgingTheSameAgentsInOppositeOrdersAreCountedOnceAndNeverFail() throws Exception {
        http.post("/api/rollouts/" + rollout + "/batch-plan", "dev-service", plan(2000, 2000));
        http.post("/api/rollouts/" + rollout + "/batches/1/activation", "dev-service", "");
        List<String> active = desired().values().stream().filter(d -> d.get("activated").asBoolean())
                .map(d -> d.get("agentId").asString()).sorted().toList();
        List<String> reversed = new ArrayList<>(active);
        Collections.reverse(reversed);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<Http.Answer>> answers = new ArrayList<>();
        for (int round = 0; round < 6; round++) {
            for (List<String> order : List.of(active, reversed)) {
                StringBuilder csv = new StringBuilder("agentId,rolloutId,version,status,latencyMs,requests,errors\n");
                order.forEach(a -> csv.append(a).append(',').append(rollout).append(",2.4.0,OK,40,100,0\n"));
                answers.add(pool.submit(() -> http.post("/agent/v1/acks", GATEWAY, "text/csv", csv.toString(), Map.of())));
            }
        }
        for (Future<Http.Answer> answer : answers) {
            assertThat(answer.get().status()).as(answer.get().body()).isEqualTo(200);
        }
        pool.shutdown();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM ack WHERE rollout_id = ?", Long.class, rollout))
                .as("each acknowledgement once").isEqualTo(active.size());
    }

    /** An acknowledgement; latency and status spread by agent, the same for the same agent. */
    String ack(String agent, String version) {
        int spread = Math.floorMod(agent.hashCode(), 180);
        return "{\"agentId\":\"" + agent + "\",\"rolloutId\":\"" + rollout + "\",\"version\":\"" + version
                + "\",\"status\":\"" + (spread % 25 == 0 ? "FAILED" : "OK") + "\",\"latencyMs\":" + (20 + spread)
                + ",\"requests\":100,\"errors\":1}";
    }
}
