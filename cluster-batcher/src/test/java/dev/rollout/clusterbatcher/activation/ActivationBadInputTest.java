package dev.rollout.clusterbatcher.activation;

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

/** Activations, pins, the fleet activation and plan closing: malformed requests and refused roles. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ActivationBadInputTest {

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    Http http;
    String rollout;

    @BeforeEach
    void setUp() {
        http = Http.localhost(port);
        FleetFixtures.clear(jdbc);
        http.post("/api/fleet/imports", "dev-ci", "text/csv",
                "agent_id,cluster,region,time_zone\nb-1,eu-1,eu,UTC\nb-2,eu-1,eu,UTC+1\n", Map.of());
        rollout = "/api/rollouts/" + UUID.randomUUID();
        assertThat(http.post(rollout + "/batch-plan", "dev-service", """
                {"batchSize": 1, "targetVersion": "2.0.0", "previousStableVersion": "1.0.0",
                 "components": [{"name": "core", "version": "2.0.0", "previousVersion": "1.0.0"}]}""").status())
                .isEqualTo(201);
    }

    @Test
    void malformedDeactivationsAndPinsAre400s() {
        Http.Answer noBatch = http.post(rollout + "/deactivations", "dev-on-call", "{\"scope\":\"BATCH\",\"reason\":\"x\"}");
        assertThat(noBatch.status()).isEqualTo(400);
        assertThat(noBatch.body()).contains("batch is required");
        assertThat(http.post(rollout + "/deactivations", "dev-on-call", "{\"scope\":\"COMPONENTS\",\"reason\":\"x\"}").body())
                .contains("components is required");
        assertThat(http.post(rollout + "/deactivations", "dev-on-call", "{\"scope\":\"SOME\",\"reason\":\"x\"}").status())
                .isEqualTo(400);
        assertThat(http.post(rollout + "/deactivations", "dev-on-call", "{\"scope\":\"ALL\"}").body())
                .contains("\"field\":\"reason\"");
        assertThat(http.put(rollout + "/component-pins/core", "dev-service", "{\"version\":\"bad version\",\"reason\":\"x\"}")
                .status()).isEqualTo(400);
        assertThat(http.post(rollout + "/batches/0/activation", "dev-service", "").status()).isEqualTo(404);
        assertThat(http.post(rollout + "/batches/x/activation", "dev-service", "").status()).isEqualTo(400);
    }

    @Test
    void refusesTheRolesThatMayNotChangeActivations() {
        assertThat(http.post(rollout + "/activations/fleet", "dev-viewer", "").status()).isEqualTo(403);
        assertThat(http.post(rollout + "/activations/fleet", "dev-on-call", "").status()).isEqualTo(403);
        assertThat(http.post(rollout + "/deactivations", "dev-viewer", "{\"scope\":\"ALL\",\"reason\":\"x\"}").status())
                .isEqualTo(403);
        assertThat(http.post(rollout + "/deactivations", "dev-agent-a-1", "{\"scope\":\"ALL\",\"reason\":\"x\"}").status())
                .isEqualTo(403);
        assertThat(http.put(rollout + "/component-pins/core", "dev-on-call", "{\"version\":\"2.0.1\",\"reason\":\"x\"}")
                .status()).isEqualTo(403);
        assertThat(http.delete(rollout + "/component-pins/core", "dev-ci").status()).isEqualTo(403);
        assertThat(http.post(rollout + "/batch-plan/close", "dev-ci", "").status()).isEqualTo(403);
        assertThat(http.get(rollout + "/batches", "dev-agent-a-1").status()).isEqualTo(403);
        assertThat(http.get(rollout + "/batches/1/agents", "dev-pilot-p1").status()).isEqualTo(403);
    }

    @Test
    void theFleetActivationAndClosingWorkForTheirRoles() {
        Http.Answer fleet = http.post(rollout + "/activations/fleet", "dev-service", "");
        assertThat(fleet.status()).isEqualTo(200);
        assertThat(fleet.body()).contains("\"scope\":\"FLEET\"").contains("\"changed\":true");
        assertThat(http.post(rollout + "/batch-plan/close", "dev-release-manager", "").status()).isEqualTo(204);
        Http.Answer closed = http.post(rollout + "/batches/1/activation", "dev-service", "");
        assertThat(closed.status()).isEqualTo(409);
        assertThat(closed.body()).contains("was closed");
        assertThat(http.post("/api/rollouts/" + UUID.randomUUID() + "/batch-plan/close", "dev-service", "").status())
                .isEqualTo(404);
    }
}
