package dev.rollout.clusterbatcher.agentapi;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
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
 * Agents cannot starve the service: past its own limit an identity is answered 429 with Retry-After while the others
 * go on; past the instance's limit everyone is; and an acknowledgement that got a 2xx is in the database.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "rollout.agent-api.rate-limit.per-identity=5", "rollout.agent-api.rate-limit.per-instance=12",
        "rollout.agent-api.rate-limit.period=60s" })
class AgentBackPressureTest {

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
        rollout = FleetFixtures.oneBatchActive(http, "bp-", 24);
    }

    @Test
    void anIdentityPastItsLimitIsA429WhileTheOthersGoOnUntilTheInstanceIsAtItsOwn() {
        List<Http.Answer> flood = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            flood.add(http.post("/agent/v1/acks", "dev-agent-bp-0", "{\"acks\":[{\"agentId\":\"bp-0\",\"rolloutId\":\""
                    + rollout + "\",\"version\":\"2.4.0\",\"status\":\"OK\",\"latencyMs\":40,\"requests\":10,\"errors\":0}]}"));
        }
        assertThat(flood.stream().filter(a -> a.status() == 200)).hasSize(5);
        List<Http.Answer> limited = flood.stream().filter(a -> a.status() == 429).toList();
        assertThat(limited).hasSize(3).allSatisfy(a -> {
            assertThat(a.header("Retry-After")).isEqualTo("60");
            assertThat(a.header("Content-Type")).startsWith("application/problem+json");
            assertThat(a.body()).contains("bp-0").contains("more than 5 calls");
        });
        assertThat(jdbc.queryForObject("SELECT count(*) FROM ack WHERE rollout_id = ? AND agent_id = 'bp-0'", Integer.class,
                rollout)).as("the acknowledgement answered 2xx is stored").isEqualTo(1);

        // other agents go on, until the instance has taken its 12 calls (the 8 above count: each was taken in)
        int answered = 0;
        int limitedByInstance = 0;
        for (int i = 1; i <= 10; i++) {
            Http.Answer answer = http.post("/agent/v1/acks", "dev-agent-bp-" + i, "{\"acks\":[{\"agentId\":\"bp-" + i
                    + "\",\"rolloutId\":\"" + rollout + "\",\"version\":\"2.4.0\",\"status\":\"OK\",\"latencyMs\":40,"
                    + "\"requests\":10,\"errors\":0}]}");
            if (answer.status() == 200) {
                answered++;
                JsonNode result = JSON.readTree(answer.body());
                assertThat(result.get("accepted").asInt()).isEqualTo(1);
            }
            else {
                assertThat(answer.status()).isEqualTo(429);
                assertThat(answer.body()).contains("This instance of the agent API is at its limit of 12 calls");
                limitedByInstance++;
            }
        }
        assertThat(answered).isEqualTo(4);
        assertThat(limitedByInstance).isEqualTo(6);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM ack WHERE rollout_id = ?", Integer.class, rollout))
                .as("every acknowledgement answered 2xx, and no other").isEqualTo(1 + answered);
        // the control plane's endpoints are not behind the agent API's limit
        assertThat(http.get("/api/rollouts/" + rollout + "/batches", "dev-viewer").status()).isEqualTo(200);
    }
}
