package dev.rollout.metricsgate.features;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import dev.rollout.starter.test.Http;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Phase 4: a check per user type, each user type reaching the features meant for it. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class UserTypeFeaturesTest {

    @LocalServerPort
    int port;

    Http http;
    UUID rollout;
    final JsonMapper json = JsonMapper.builder().build();

    @BeforeEach
    void setUp() {
        http = Http.localhost(port);
        rollout = UUID.randomUUID();
    }

    List<JsonNode> userTypeMeasurements() {
        Http.Answer answer = http.post("/api/rollouts/" + rollout + "/evaluations", "dev-release-manager", "{\"phase\":\"PRODUCTION\"}");
        assertThat(answer.status()).as(answer.body()).isEqualTo(201);
        List<JsonNode> out = new ArrayList<>();
        json.readTree(answer.body()).get("measurements").forEach(m -> {
            if (m.get("kpi").asString().equals("USER_TYPE_FEATURES")) {
                out.add(m);
            }
        });
        return out;
    }

    @Test
    void eachUserTypeIsMeasuredOnItsOwnFeaturesAndAMissingCheckNeverPasses() {
        assertThat(userTypeMeasurements()).singleElement().satisfies(m -> {
            assertThat(m.get("verdict").asString()).isEqualTo("INCONCLUSIVE");
            assertThat(m.get("reason").asString()).contains("no user types declared");
        });
        Http.Answer declared = http.put("/api/rollouts/" + rollout + "/user-types", "dev-service",
                "{\"enterprise\": [\"planner\", \"memory\"], \"free\": [\"planner\"]}");
        assertThat(declared.status()).as(declared.body()).isEqualTo(200);

        assertThat(http.post("/api/rollouts/" + rollout + "/feature-checks", "dev-ci", """
                {"checks": [{"userType": "enterprise", "feature": "planner", "reached": true},
                            {"userType": "enterprise", "feature": "memory", "reached": false, "detail": "403 for SSO users"},
                            {"userType": "free", "feature": "planner", "reached": true}]}""").status()).isEqualTo(200);
        List<JsonNode> measured = userTypeMeasurements();
        assertThat(measured).hasSize(2);
        assertThat(measured.get(0).get("verdict").asString()).isEqualTo("FAIL");
        assertThat(measured.get(0).get("reason").asString()).isEqualTo(
                "enterprise reaches 1 of 2 features; not reached: memory (403 for SSO users)");
        assertThat(measured.get(1).get("verdict").asString()).isEqualTo("PASS");

        http.post("/api/rollouts/" + rollout + "/feature-checks", "dev-service",
                "{\"checks\": [{\"userType\": \"enterprise\", \"feature\": \"memory\", \"reached\": true}]}");
        assertThat(userTypeMeasurements()).allSatisfy(m -> assertThat(m.get("verdict").asString()).isEqualTo("PASS"));
        assertThat(http.get("/api/rollouts/" + rollout + "/user-types", "dev-viewer").body())
                .contains("\"feature\":\"memory\",\"reached\":true");
    }

    @Test
    void aCheckOfAnUndeclaredFeatureIsRefusedByItsIndexAndTheRolesAreEnforced() {
        http.put("/api/rollouts/" + rollout + "/user-types", "dev-release-manager", "{\"free\": [\"planner\"]}");
        Http.Answer refused = http.post("/api/rollouts/" + rollout + "/feature-checks", "dev-ci", """
                {"checks": [{"userType": "free", "feature": "planner", "reached": true},
                            {"userType": "free", "feature": "memory", "reached": true}]}""");
        assertThat(refused.status()).isEqualTo(422);
        assertThat(refused.body()).contains("checks[1]: free / memory is not a declared");
        assertThat(http.get("/api/rollouts/" + rollout + "/user-types", "dev-viewer").body()).doesNotContain("\"reached\":true");
        assertThat(http.put("/api/rollouts/" + rollout + "/user-types", "dev-ci", "{\"free\": [\"planner\"]}").status())
                .isEqualTo(403);
        assertThat(http.post("/api/rollouts/" + rollout + "/feature-checks", "dev-viewer",
                "{\"checks\": [{\"userType\": \"free\", \"feature\": \"planner\", \"reached\": true}]}").status()).isEqualTo(403);
        assertThat(http.put("/api/rollouts/" + rollout + "/user-types", "dev-release-manager", "{\"Free Tier\": [\"planner\"]}")
                .status()).isEqualTo(400);
        assertThat(http.post("/api/rollouts/" + rollout + "/feature-checks", "dev-ci", "{\"checks\": []}").status())
                .isEqualTo(400);
        assertThat(http.post("/api/rollouts/" + rollout + "/feature-checks", "dev-ci",
                "{\"checks\": [{\"userType\": \"free\", \"feature\": \"planner\"}]}").status()).isEqualTo(400);
    }
}
