package dev.rollout.clusterbatcher.agentapi;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.UUID;

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
 * Each agent speaks for itself, a gateway for the agents of its clusters: on every agent endpoint (one lookup,
 * batched lookups, acknowledgements in both forms) another agent's id is refused, and nothing one agent sends can
 * pre-empt or overwrite what another sends.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class AgentIdentityTest {

    static final JsonMapper JSON = JsonMapper.builder().build();

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    Http http;
    UUID rollout;

    @BeforeEach
    void setUp() {
        http = Http.localhost(port);
        FleetFixtures.clear(jdbc);
        StringBuilder csv = new StringBuilder("agent_id,cluster,region,time_zone\n");
        for (String cluster : new String[] { "eu-1", "us-1" }) {
            for (int zone = -11; zone <= 12; zone++) {
                csv.append("id-").append(cluster).append("-z").append(zone).append(',').append(cluster).append(",r,")
                        .append(zone < 0 ? "UTC" + zone : "UTC+" + zone).append('\n');
            }
        }
        assertThat(http.post("/api/fleet/imports", "dev-ci", "text/csv", csv.toString(), Map.of()).body())
                .contains("\"imported\":48");
        rollout = UUID.randomUUID();
        assertThat(http.post("/api/rollouts/" + rollout + "/batch-plan", "dev-service", """
                {"batchSize": 48, "fleetCap": 48, "targetVersion": "2.4.0", "previousStableVersion": "2.3.1",
                 "components": [{"name": "planner", "version": "2.4.0", "previousVersion": "2.3.1"}]}""").status())
                .isEqualTo(201);
        assertThat(http.post("/api/rollouts/" + rollout + "/batches/1/activation", "dev-service", "").status()).isIn(200, 201);
    }

    static final String A = "id-eu-1-z0";
    static final String B = "id-eu-1-z1";
    static final String C = "id-us-1-z0";

    JsonNode json(Http.Answer answer) {
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        return JSON.readTree(answer.body());
    }

    String ack(String agent, String status, int errors) {
        return "{\"agentId\":\"" + agent + "\",\"rolloutId\":\"" + rollout + "\",\"version\":\"2.4.0\",\"status\":\""
                + status + "\",\"latencyMs\":40,\"requests\":100,\"errors\":" + errors + "}";
    }

    @Test
    void anAgentIsAnsweredForItselfAndRefusedForAnyOtherAgent() {
        Http.Answer own = http.get("/agent/v1/agents/" + A + "/desired", "dev-agent-" + A);
        assertThat(json(own).get("activated").asBoolean()).isTrue();

        Http.Answer other = http.get("/agent/v1/agents/" + B + "/desired", "dev-agent-" + A);
        assertThat(other.status()).isEqualTo(403);
        assertThat(other.header("Content-Type")).startsWith("application/problem+json");
        assertThat(other.body()).contains("speaks for its own agent only");
        // an id that does not exist is refused the same way: nothing is learnt about the fleet
        assertThat(http.get("/agent/v1/agents/nobody/desired", "dev-agent-" + A).status()).isEqualTo(403);

        JsonNode batched = json(http.post("/agent/v1/desired", "dev-agent-" + A,
                "{\"agentIds\":[\"" + A + "\",\"" + B + "\",\"" + C + "\"]}"));
        assertThat(batched.get("states")).hasSize(1);
        assertThat(batched.get("states").get(0).get("agentId").asString()).isEqualTo(A);
        assertThat(batched.get("refused")).hasSize(2);
        assertThat(batched.get("refused").get(0).get("agentId").asString()).isEqualTo(B);
        assertThat(batched.get("refused").get(0).get("reason").asString()).contains("speaks for its own agent only");
    }

    @Test
    void aGatewayIsAnsweredForTheAgentsOfItsClustersOnly() {
        assertThat(http.get("/agent/v1/agents/" + C + "/desired", "dev-gateway-us-1").status()).isEqualTo(200);
        Http.Answer other = http.get("/agent/v1/agents/" + A + "/desired", "dev-gateway-us-1");
        assertThat(other.status()).isEqualTo(403);
        assertThat(other.body()).contains("not in a cluster of this gateway");

        JsonNode batched = json(http.post("/agent/v1/desired", "dev-gateway-us-1",
                "{\"agentIds\":[\"" + A + "\",\"" + C + "\"]}"));
        assertThat(batched.get("states")).hasSize(1);
        assertThat(batched.get("states").get(0).get("agentId").asString()).isEqualTo(C);
        assertThat(batched.get("refused").get(0).get("agentId").asString()).isEqualTo(A);

        JsonNode acks = json(http.post("/agent/v1/acks", "dev-gateway-us-1",
                "{\"acks\":[" + ack(A, "OK", 0) + "," + ack(C, "OK", 0) + "]}"));
        assertThat(acks.get("accepted").asInt()).isEqualTo(1);
        assertThat(acks.get("rejected").get(0).get("index").asInt()).isZero();
        assertThat(acks.get("rejected").get(0).get("reason").asString()).contains("not in a cluster of this gateway");

        String csv = "agentId,rolloutId,version,status,latencyMs,requests,errors\n" + A + "," + rollout
                + ",2.4.0,OK,40,100,0\n";
        JsonNode fromCsv = json(http.post("/agent/v1/acks", "dev-gateway-us-1", "text/csv", csv, Map.of()));
        assertThat(fromCsv.get("accepted").asInt()).isZero();
        assertThat(fromCsv.get("rejected").get(0).get("reason").asString()).contains("not in a cluster of this gateway");
        assertThat(stored(A)).isZero();
    }

    @Test
    void noAgentCanPreemptOrOverwriteAnotherAgentsReport() {
        // A tries to report for B first (all well), in both forms: refused, nothing stored for B
        JsonNode forged = json(http.post("/agent/v1/acks", "dev-agent-" + A,
                "{\"acks\":[" + ack(A, "OK", 0) + "," + ack(B, "OK", 0) + "]}"));
        assertThat(forged.get("accepted").asInt()).isEqualTo(1);
        assertThat(forged.get("rejected").get(0).get("index").asInt()).isEqualTo(1);
        assertThat(forged.get("rejected").get(0).get("reason").asString()).contains("speaks for its own agent only");
        String csv = "agentId,rolloutId,version,status,latencyMs,requests,errors\n" + B + "," + rollout
                + ",2.4.0,OK,40,100,0\n";
        assertThat(json(http.post("/agent/v1/acks", "dev-agent-" + A, "text/csv", csv, Map.of())).get("accepted").asInt())
                .isZero();
        assertThat(stored(B)).isZero();

        // B's own report of failure is taken, and stays what B said whatever A sends afterwards
        assertThat(json(http.post("/agent/v1/acks", "dev-agent-" + B, "{\"acks\":[" + ack(B, "FAILED", 40) + "]}"))
                .get("accepted").asInt()).isEqualTo(1);
        http.post("/agent/v1/acks", "dev-agent-" + A, "{\"acks\":[" + ack(B, "OK", 0) + "]}");
        assertThat(jdbc.queryForObject("SELECT errors FROM ack WHERE rollout_id = ? AND agent_id = ?", Long.class, rollout, B))
                .isEqualTo(40L);
        assertThat(jdbc.queryForObject("SELECT ok FROM ack WHERE rollout_id = ? AND agent_id = ?", Boolean.class, rollout, B))
                .isFalse();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM ack_integrity WHERE rollout_id = ?", Integer.class, rollout))
                .isZero();
    }

    @Test
    void anAgentTokenOfNoAgentAndTheRolesOfTheControlPlaneAreRefused() {
        assertThat(http.get("/agent/v1/agents/" + A + "/desired", "dev-agent").status()).isEqualTo(401);
        for (String token : new String[] { "dev-viewer", "dev-release-manager", "dev-ci", "dev-on-call", "dev-metrics" }) {
            assertThat(http.get("/agent/v1/agents/" + A + "/desired", token).status()).as(token).isEqualTo(403);
            assertThat(http.post("/agent/v1/acks", token, "{\"acks\":[" + ack(A, "OK", 0) + "]}").status()).as(token)
                    .isEqualTo(403);
        }
    }

    int stored(String agent) {
        return jdbc.queryForObject("SELECT count(*) FROM ack WHERE rollout_id = ? AND agent_id = ?", Integer.class, rollout,
                agent);
    }
}
