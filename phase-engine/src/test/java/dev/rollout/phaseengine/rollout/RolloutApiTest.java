package dev.rollout.phaseengine.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;

import dev.rollout.starter.test.Http;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class RolloutApiTest {

    static final String RELEASE_MANAGER = "dev-release-manager";

    public static final String BODY = """
            {"name": "assistant 2.4", "targetVersion": "2.4.0", "previousStableVersion": "2.3.1",
             "components": [{"name": "planner", "version": "2.4.0"}, {"name": "memory", "version": "1.9.0"}]}
            """;

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    Http http;

    @BeforeEach
    void setUp() {
        http = Http.localhost(port);
    }

    @Test
    void createsADraftRolloutStoredInPostgres() {
        Http.Answer created = http.post("/api/rollouts", RELEASE_MANAGER, BODY);
        assertThat(created.status()).isEqualTo(201);
        String id = created.body().replaceAll(".*\"id\":\"([0-9a-f-]+)\".*", "$1");
        assertThat(created.header("Location")).isEqualTo("/api/rollouts/" + id);
        assertThat(created.body()).contains("\"status\":\"DRAFT\"").contains("\"createdBy\":\"release-manager\"");

        assertThat(jdbc.queryForObject("select target_version from phase_engine.rollout where id = ?::uuid",
                String.class, id)).isEqualTo("2.4.0");
        assertThat(jdbc.queryForObject("select count(*) from phase_engine.rollout_component where rollout_id = ?::uuid",
                Integer.class, id)).isEqualTo(2);

        Http.Answer read = http.get("/api/rollouts/" + id, "dev-viewer");
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.body()).contains("\"name\":\"planner\"").contains("\"previousStableVersion\":\"2.3.1\"");
    }

    @Test
    void aRolloutCarriesThePlansDefaultsUnlessItsPlanSaysOtherwise() {
        Http.Answer defaults = http.post("/api/rollouts", RELEASE_MANAGER, BODY);
        assertThat(defaults.body()).contains("\"batchSize\":1000000").contains("\"fleetCap\":20000000")
                .contains("\"PILOT\":{\"minSoak\":\"PT168H\",\"maxSoak\":\"PT336H\",\"approval\":true}")
                .contains("\"batches\":20");

        Http.Answer custom = http.post("/api/rollouts", RELEASE_MANAGER, """
                {"name": "small", "targetVersion": "2.4.0", "previousStableVersion": "2.3.1",
                 "components": [{"name": "planner", "version": "2.4.0"}],
                 "plan": {"batchSize": 500000, "fleetCap": 2000000, "observationWindow": "PT30M",
                          "phases": {"PILOT": {"minSoak": "P1D", "approval": false}}, "kpiOverrides": {"coverageMin": 0.7}}}""");
        assertThat(custom.status()).as(custom.body()).isEqualTo(201);
        assertThat(custom.body()).contains("\"batchSize\":500000").contains("\"batches\":4")
                .contains("\"PILOT\":{\"minSoak\":\"PT24H\",\"maxSoak\":\"PT336H\",\"approval\":false}")
                .contains("\"coverageMin\":0.7");
        String id = custom.body().replaceAll(".*?\"id\":\"([0-9a-f-]+)\".*", "$1");
        assertThat(http.get("/api/rollouts/" + id, "dev-viewer").body()).contains("\"observationWindow\":\"PT30M\"");
    }

    @Test
    void aPageBeyondWhatTheDatabaseCanSkipIsA400NotA500() {
        Http.Answer far = http.get("/api/rollouts?page=2147483647&size=200", "dev-viewer");
        assertThat(far.status()).as(far.body()).isEqualTo(400);
        assertThat(far.body()).contains("page");
        assertThat(http.get("/api/rollouts?page=10000000&size=200", "dev-viewer").status()).isEqualTo(200);
    }

    @Test
    void anInvalidPlanIsA422ThatNamesEveryProblem() {
        Http.Answer answer = http.post("/api/rollouts", RELEASE_MANAGER, """
                {"name": "bad", "targetVersion": "2.4.0", "previousStableVersion": "2.3.1",
                 "components": [{"name": "planner", "version": "2.4.0"}],
                 "plan": {"batchSize": 0, "observationWindow": "PT0S",
                          "phases": {"EXPANSION": {"minSoak": "P30D", "maxSoak": "P28D"}, "DRAFT": {"minSoak": "P1D"}}}}""");
        assertThat(answer.status()).isEqualTo(422);
        assertThat(answer.body()).contains("phases.EXPANSION.minSoak PT720H is above its maxSoak PT672H")
                .contains("batchSize 0 must be at least 1").contains("observationWindow PT0S must be positive")
                .contains("phases.DRAFT is not a phase");
    }

    @Test
    void aCiPipelineMayCreateARollout() {
        Http.Answer created = http.post("/api/rollouts", "dev-ci", BODY);
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.body()).contains("\"createdBy\":\"ci\"");
    }

    @Test
    void listsRolloutsByStatusNewestFirst() {
        http.post("/api/rollouts", RELEASE_MANAGER, BODY);
        Http.Answer list = http.get("/api/rollouts?status=DRAFT&size=5", "dev-viewer");
        assertThat(list.status()).isEqualTo(200);
        assertThat(list.body()).contains("\"size\":5").contains("\"status\":\"DRAFT\"");
        assertThat(http.get("/api/rollouts?status=COMPLETED", "dev-viewer").body()).doesNotContain("\"status\":\"DRAFT\"");
    }

    @Test
    void refusesAnUnknownStatusFilterNamingTheChoices() {
        Http.Answer list = http.get("/api/rollouts?status=SHIPPED", "dev-viewer");
        assertThat(list.status()).isEqualTo(400);
        assertThat(list.body()).contains("Parameter 'status'").contains("EXPANSION");
    }

    @Test
    void refusesAPageSizeAboveTheLimit() {
        assertThat(http.get("/api/rollouts?size=5000", "dev-viewer").status()).isEqualTo(400);
    }

    @Test
    void anUnknownRolloutIsA404() {
        Http.Answer answer = http.get("/api/rollouts/" + UUID.randomUUID(), RELEASE_MANAGER);
        assertThat(answer.status()).isEqualTo(404);
        assertThat(answer.body()).contains("does not exist");
    }

    @Test
    void aMissingFieldIsA400NamingIt() {
        Http.Answer answer = http.post("/api/rollouts", RELEASE_MANAGER,
                "{\"name\":\"x\",\"previousStableVersion\":\"1.0\",\"components\":[{\"name\":\"a\",\"version\":\"1\"}]}");
        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.body()).contains("\"field\":\"targetVersion\"");
    }

    @Test
    void anInvalidComponentIsA400NamingIt() {
        Http.Answer answer = http.post("/api/rollouts", RELEASE_MANAGER,
                "{\"name\":\"x\",\"targetVersion\":\"2\",\"previousStableVersion\":\"1\",\"components\":[{\"name\":\"Bad Name\",\"version\":\"1\"}]}");
        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.body()).contains("components[0].name");
    }

    @Test
    void aComponentListedTwiceIsA400() {
        Http.Answer answer = http.post("/api/rollouts", RELEASE_MANAGER,
                "{\"name\":\"x\",\"targetVersion\":\"2\",\"previousStableVersion\":\"1\",\"components\":[{\"name\":\"a\",\"version\":\"1\"},{\"name\":\"a\",\"version\":\"2\"}]}");
        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.body()).contains("'a' is listed more than once");
    }

    @Test
    void theSameVersionAsThePreviousStableIsA422() {
        Http.Answer answer = http.post("/api/rollouts", RELEASE_MANAGER,
                "{\"name\":\"x\",\"targetVersion\":\"1.0\",\"previousStableVersion\":\"1.0\",\"components\":[{\"name\":\"a\",\"version\":\"1\"}]}");
        assertThat(answer.status()).isEqualTo(422);
    }

    @Test
    void refusesTheRolesThatMayNotCreate() {
        for (String token : new String[] { "dev-viewer", "dev-on-call", "dev-agent-a-1", "dev-pilot-p1" }) {
            Http.Answer answer = http.post("/api/rollouts", token, BODY);
            assertThat(answer.status()).as(token).isEqualTo(403);
        }
        assertThat(http.post("/api/rollouts", null, BODY).status()).isEqualTo(401);
    }

    @Test
    void refusesTheRolesThatMayNotRead() {
        assertThat(http.get("/api/rollouts", "dev-agent-a-1").status()).isEqualTo(403);
        assertThat(http.get("/api/rollouts", "dev-pilot-p1").status()).isEqualTo(403);
        assertThat(http.get("/api/rollouts", null).status()).isEqualTo(401);
    }
}
