package dev.rollout.clusterbatcher.agentapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.rollout.clusterbatcher.ClusterBatcherApplication;
import dev.rollout.clusterbatcher.fleet.FleetFixtures;
import dev.rollout.starter.test.Http;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Polls that cost nothing when nothing changed: a second identical poll is a 304 answered from memory; after a
 * batch is activated on one replica, every replica answers the new state within its state cache time (200 ms); a
 * batched lookup that sends back its token is told only what changed.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ConditionalDesiredTest {

    static final JsonMapper JSON = JsonMapper.builder().build();
    static final String A = "id-eu-1-z0";

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    MeterRegistry meters;

    Http http;
    UUID rollout;
    List<String> agents = new ArrayList<>();
    ConfigurableApplicationContext secondReplica;

    @BeforeEach
    void setUp() {
        http = Http.localhost(port);
        FleetFixtures.clear(jdbc);
        StringBuilder csv = new StringBuilder("agent_id,cluster,region,time_zone\n");
        for (int zone = -11; zone <= 12; zone++) {
            for (int i = 0; i < 2; i++) {
                String id = "id-eu-1-z" + zone + (i == 0 ? "" : "-" + i);
                agents.add(id);
                csv.append(id).append(",eu-1,r,").append(zone < 0 ? "UTC" + zone : "UTC+" + zone).append('\n');
            }
        }
        assertThat(http.post("/api/fleet/imports", "dev-ci", "text/csv", csv.toString(), Map.of()).body())
                .contains("\"imported\":48");
        rollout = UUID.randomUUID();
        assertThat(http.post("/api/rollouts/" + rollout + "/batch-plan", "dev-service", """
                {"batchSize": 24, "fleetCap": 48, "targetVersion": "2.4.0", "previousStableVersion": "2.3.1",
                 "components": [{"name": "planner", "version": "2.4.0", "previousVersion": "2.3.1"}]}""").status())
                .isEqualTo(201);
        untilTheStateCacheHoldsThisFleetAlone();
    }

    /**
     * An earlier test's rollouts stay in the state cache for up to its cache time after they are gone, and the tag of
     * the states changes when they leave: the tests start once two polls more than the cache time apart agree.
     */
    void untilTheStateCacheHoldsThisFleetAlone() {
        String[] last = { null };
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(300)).until(() -> {
            String now = http.get("/agent/v1/agents/" + A + "/desired", "dev-agent-" + A).header("ETag");
            boolean same = now != null && now.equals(last[0]);
            last[0] = now;
            return same;
        });
    }

    @AfterEach
    void stopSecondReplica() {
        if (secondReplica != null) {
            secondReplica.close();
        }
    }

    double lookups() {
        return meters.counter("rollout.agent.desired.lookups").count();
    }

    @Test
    void aSecondIdenticalPollIsA304FromMemoryAndAnActivationIsSeenByEveryReplicaWithinTheStateCacheTime() {
        secondReplica = new SpringApplicationBuilder(ClusterBatcherApplication.class)
                .run("--server.port=0", "--rollout.security.mode=DEV");
        Http other = Http.localhost(Integer.parseInt(secondReplica.getEnvironment().getProperty("local.server.port")));

        Http.Answer first = http.get("/agent/v1/agents/" + A + "/desired", "dev-agent-" + A);
        assertThat(first.status()).isEqualTo(200);
        String etag = first.header("ETag");
        assertThat(etag).startsWith("\"");
        assertThat(first.header("Cache-Control")).contains("no-cache");

        double before = lookups();
        Http.Answer again = http.get("/agent/v1/agents/" + A + "/desired", "dev-agent-" + A, Map.of("If-None-Match", etag));
        assertThat(again.status()).isEqualTo(304);
        assertThat(again.body()).isEmpty();
        assertThat(again.header("ETag")).isEqualTo(etag);
        assertThat(lookups()).as("no agent was looked up in the database").isEqualTo(before);
        // the other replica computes the same tag for the same state
        assertThat(other.get("/agent/v1/agents/" + A + "/desired", "dev-agent-" + A, Map.of("If-None-Match", etag))
                .status()).isEqualTo(304);

        assertThat(http.post("/api/rollouts/" + rollout + "/batches/1/activation", "dev-service", "").status()).isIn(200, 201);
        assertThat(http.post("/api/rollouts/" + rollout + "/batches/2/activation", "dev-service", "").status()).isIn(200, 201);

        Http.Answer changed = http.get("/agent/v1/agents/" + A + "/desired", "dev-agent-" + A, Map.of("If-None-Match", etag));
        assertThat(changed.status()).as("this replica sees its own change at once").isEqualTo(200);
        assertThat(changed.header("ETag")).isNotEqualTo(etag);
        assertThat(JSON.readTree(changed.body()).get("activated").asBoolean()).isTrue();
        await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(50)).untilAsserted(() -> {
            Http.Answer seen = other.get("/agent/v1/agents/" + A + "/desired", "dev-agent-" + A,
                    Map.of("If-None-Match", etag));
            assertThat(seen.status()).isEqualTo(200);
            assertThat(seen.header("ETag")).isEqualTo(changed.header("ETag"));
        });
    }

    @Test
    void aCurrentEtagIsA304OnlyForACallerWhoWouldBeAnsweredTheState() {
        String etag = http.get("/agent/v1/agents/" + A + "/desired", "dev-agent-" + A).header("ETag");
        String other = agents.get(1);
        Map<String, String> current = Map.of("If-None-Match", etag);
        assertThat(http.get("/agent/v1/agents/" + other + "/desired", "dev-agent-" + A, current).status())
                .as("another agent's state, even unchanged").isEqualTo(403);
        assertThat(http.get("/agent/v1/agents/" + A + "/desired", "dev-viewer", current).status())
                .as("a role that is not answered agent states").isEqualTo(403);
        assertThat(http.get("/agent/v1/agents/" + A + "/desired", null, current).status()).isEqualTo(401);
        assertThat(http.get("/agent/v1/agents/" + A + "/desired", "dev-agent-" + A,
                Map.of("If-None-Match", "W/\"stale\", " + etag)).status()).as("in a list, weak or not").isEqualTo(304);
        assertThat(http.get("/agent/v1/agents/" + A + "/desired", "dev-agent-" + A,
                Map.of("If-None-Match", "\"stale\"")).status()).isEqualTo(200);
        assertThat(http.get("/agent/v1/agents/nobody-at-all/desired", "dev-gateway-eu-1", current).status())
                .as("a gateway learns nothing from a 304: the tag is the rollout's, not the agent's").isEqualTo(304);
        assertThat(http.get("/agent/v1/agents/nobody-at-all/desired", "dev-gateway-eu-1").status()).isEqualTo(404);
        assertThat(meters.find("http.server.requests").tag("uri", AgentPolls.PATTERN).tag("status", "304")
                .timer()).as("timed under the endpoint's pattern").isNotNull();
    }

    @Test
    void aBatchedLookupWithItsTokenIsToldOnlyWhatChanged() {
        String ids = "{\"agentIds\":[\"" + String.join("\",\"", agents) + "\"]";
        JsonNode all = JSON.readTree(http.post("/agent/v1/desired", "dev-gateway-eu-1", ids + "}").body());
        assertThat(all.get("states")).hasSize(48);
        String token = all.get("token").asString();

        double before = lookups();
        JsonNode same = JSON.readTree(http.post("/agent/v1/desired", "dev-gateway-eu-1",
                ids + ",\"since\":\"" + token + "\"}").body());
        assertThat(same.get("unchanged").asBoolean()).isTrue();
        assertThat(same.get("states")).isEmpty();
        assertThat(same.get("token").asString()).isEqualTo(token);
        assertThat(lookups()).isEqualTo(before);

        http.post("/api/rollouts/" + rollout + "/batches/1/activation", "dev-service", "");
        JsonNode afterFirst = JSON.readTree(http.post("/agent/v1/desired", "dev-gateway-eu-1",
                ids + ",\"since\":\"" + token + "\"}").body());
        assertThat(afterFirst.get("unchanged").asBoolean()).isFalse();
        assertThat(afterFirst.get("states")).hasSize(24).allSatisfy(d -> {
            assertThat(d.get("activated").asBoolean()).isTrue();
            assertThat(d.get("batch").asInt()).isEqualTo(1);
        });

        http.post("/api/rollouts/" + rollout + "/batches/2/activation", "dev-service", "");
        JsonNode afterSecond = JSON.readTree(http.post("/agent/v1/desired", "dev-gateway-eu-1",
                ids + ",\"since\":\"" + afterFirst.get("token").asString() + "\"}").body());
        assertThat(afterSecond.get("states")).hasSize(24)
                .allSatisfy(d -> assertThat(d.get("batch").asInt()).isEqualTo(2));
        // a token this replica never saw: everything, as without one
        JsonNode unknown = JSON.readTree(http.post("/agent/v1/desired", "dev-gateway-eu-1",
                ids + ",\"since\":\"0123456789abcdef01234567\"}").body());
        assertThat(unknown.get("states")).hasSize(48);
    }
}
