package dev.rollout.clusterbatcher.agentapi;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.rollout.clusterbatcher.ClusterBatcherApplication;
import dev.rollout.clusterbatcher.fleet.FleetFixtures;
import dev.rollout.starter.test.Http;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Agents' polls answered before Spring MVC (AgentPolls) are the controller's answers: for every kind of poll, a
 * replica with them and a replica without them ({@code rollout.agent-api.early-polls=false}) answer the same status,
 * body, ETag, Cache-Control and Content-Type.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class AgentPollsTest {

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    ConfigurableApplicationContext controllerOnly;

    @AfterEach
    void stop() {
        if (controllerOnly != null) {
            controllerOnly.close();
        }
    }

    @Test
    void everyPollIsAnsweredAsTheControllerAnswersIt() {
        Http early = Http.localhost(port);
        FleetFixtures.clear(jdbc);
        StringBuilder csv = new StringBuilder("agent_id,cluster,region,time_zone\n");
        for (int i = 0; i < 48; i++) {
            csv.append("ap-").append(i).append(i % 2 == 0 ? ",eu-1" : ",us-2").append(",r,UTC+").append(i % 12).append('\n');
        }
        early.post("/api/fleet/imports", "dev-ci", "text/csv", csv.toString(), Map.of());
        controllerOnly = new SpringApplicationBuilder(ClusterBatcherApplication.class)
                .run("--server.port=0", "--rollout.security.mode=DEV", "--rollout.agent-api.early-polls=false");
        Http controller = Http.localhost(Integer.parseInt(controllerOnly.getEnvironment().getProperty("local.server.port")));

        List<String[]> polls = polls(); // before any rollout: no ETag but "none"
        compare(early, controller, polls);
        UUID rollout = UUID.randomUUID();
        early.post("/api/rollouts/" + rollout + "/batch-plan", "dev-service", """
                {"batchSize": 24, "fleetCap": 48, "targetVersion": "2.4.0", "previousStableVersion": "2.3.1",
                 "components": [{"name": "planner", "version": "2.4.0", "previousVersion": "2.3.1"}]}""");
        early.post("/api/rollouts/" + rollout + "/batches/1/activation", "dev-service", "");
        Awaitility.await().atMost(Duration.ofSeconds(2)).untilAsserted(() ->
                assertThat(controller.get("/agent/v1/agents/ap-0/desired", "dev-agent-ap-0").header("ETag"))
                        .isEqualTo(early.get("/agent/v1/agents/ap-0/desired", "dev-agent-ap-0").header("ETag")));
        compare(early, controller, polls());
    }

    private static List<String[]> polls() {
        List<String[]> polls = new ArrayList<>(); // path, token, If-None-Match
        for (String agent : List.of("ap-0", "ap-1", "ap-7")) {
            polls.add(new String[] {"/agent/v1/agents/" + agent + "/desired", "dev-agent-" + agent, null});
            polls.add(new String[] {"/agent/v1/agents/" + agent + "/desired", "dev-gateway-eu-1", null});
            polls.add(new String[] {"/agent/v1/agents/" + agent + "/desired", "dev-service", null});
            polls.add(new String[] {"/agent/v1/agents/" + agent + "/desired", "dev-agent-ap-2", null});
            polls.add(new String[] {"/agent/v1/agents/" + agent + "/desired", "dev-viewer", null});
            polls.add(new String[] {"/agent/v1/agents/" + agent + "/desired", null, null});
        }
        polls.add(new String[] {"/agent/v1/agents/nobody/desired", "dev-service", null});
        polls.add(new String[] {"/agent/v1/agents/nobody/desired", "dev-agent-nobody", null});
        polls.add(new String[] {"/agent/v1/agents/ap%2D0/desired", "dev-agent-ap-0", null});
        polls.add(new String[] {"/agent/v1/agents/ap-0/desired?x=1", "dev-agent-ap-0", null});
        polls.add(new String[] {"/agent/v1/agents//desired", "dev-service", null});
        return polls;
    }

    private static void compare(Http early, Http controller, List<String[]> polls) {
        for (String[] poll : polls) {
            for (String accept : new String[] {null, "application/json", "*/*", "application/xml", "text/plain"}) {
                for (boolean conditional : new boolean[] {false, true}) {
                    Map<String, String> headers = new HashMap<>();
                    if (accept != null) {
                        headers.put("Accept", accept);
                    }
                    if (conditional) {
                        String etag = controller.get(poll[0], "dev-service").header("ETag");
                        headers.put("If-None-Match", etag == null ? "\"none\"" : etag);
                    }
                    Http.Answer a = early.get(poll[0], poll[1], headers);
                    Http.Answer b = controller.get(poll[0], poll[1], headers);
                    String what = poll[0] + " as " + poll[1] + (conditional ? " with its ETag" : "") + ", Accept " + accept;
                    assertThat(a.status()).as(what).isEqualTo(b.status());
                    assertThat(a.header("ETag")).as(what).isEqualTo(b.header("ETag"));
                    assertThat(a.header("Cache-Control")).as(what).isEqualTo(b.header("Cache-Control"));
                    assertThat(a.header("Content-Type")).as(what).isEqualTo(b.header("Content-Type"));
                    if (a.status() < 400) {
                        assertThat(a.body()).as(what).isEqualTo(b.body());
                    }
                    else { // problems name their instance: the same detail and title
                        assertThat(a.body().replaceAll("\"(instance|traceId)\":\"[^\"]*\"", ""))
                                .as(what).isEqualTo(b.body().replaceAll("\"(instance|traceId)\":\"[^\"]*\"", ""));
                    }
                }
            }
        }
    }
}
