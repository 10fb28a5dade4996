package dev.rollout.rollbackservice.rootcause;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.UUID;

import dev.rollout.starter.test.Http;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class RootCauseTest {

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    Http http;

    @BeforeEach
    void setUp() {
        http = Http.localhost(port);
    }

    UUID rolledBack(String scope, String status) {
        UUID rollout = UUID.randomUUID();
        jdbc.update("INSERT INTO rollback (id, rollout_id, scope, status, reason, requested_by, requested_at, version)"
                + " VALUES (?, ?, ?, ?, 'error rate 2%', 'service', ?, 0)", UUID.randomUUID(), rollout, scope, status,
                Timestamp.from(Instant.parse("2026-11-26T03:00:00Z")));
        return rollout;
    }

    static final String RECORD = """
            {"summary": "memory leak under load", "cause": "a cache grew without bound past 1M sessions",
             "actions": ["cache bounded", "load test at 2M sessions added"],
             "safeguards": {"batchSize": 250000, "observationWindow": "PT12H", "kpiOverrides": {"errorRateRollback": 0.005}}}""";

    @Test
    void aRootCauseOfAFullRollbackIsKeptWithTheNextAttemptsSafeguards() {
        UUID rollout = rolledBack("FULL", "COMPLETED");
        Http.Answer recorded = http.post("/api/rollouts/" + rollout + "/root-causes", "dev-release-manager", RECORD);
        assertThat(recorded.status()).as(recorded.body()).isEqualTo(201);
        Http.Answer listed = http.get("/api/rollouts/" + rollout + "/root-causes", "dev-service");
        assertThat(listed.status()).isEqualTo(200);
        assertThat(listed.body()).contains("\"summary\":\"memory leak under load\"").contains("\"batchSize\":250000")
                .contains("\"observationWindow\":\"PT12H\"").contains("\"errorRateRollback\":0.005")
                .contains("load test at 2M sessions added");
    }

    @Test
    void onlyAfterACompletedFullRollbackAndOnlyByTheRolesThatMay() {
        assertThat(http.post("/api/rollouts/" + rolledBack("PARTIAL", "COMPLETED") + "/root-causes", "dev-on-call", RECORD)
                .status()).isEqualTo(409);
        assertThat(http.post("/api/rollouts/" + rolledBack("FULL", "RUNNING") + "/root-causes", "dev-on-call", RECORD)
                .status()).isEqualTo(409);
        UUID rollout = rolledBack("FULL", "COMPLETED");
        for (String token : new String[] { "dev-viewer", "dev-ci", "dev-agent-a-1", "dev-service" }) {
            assertThat(http.post("/api/rollouts/" + rollout + "/root-causes", token, RECORD).status()).as(token).isEqualTo(403);
        }
        assertThat(http.get("/api/rollouts/" + rollout + "/root-causes", "dev-agent-a-1").status()).isEqualTo(403);
        Http.Answer empty = http.post("/api/rollouts/" + rollout + "/root-causes", "dev-on-call",
                "{\"summary\":\"\",\"cause\":\"x\",\"actions\":[]}");
        assertThat(empty.status()).isEqualTo(400);
        assertThat(empty.body()).contains("summary");
        assertThat(http.post("/api/rollouts/" + rollout + "/root-causes", "dev-on-call",
                "{\"summary\":\"s\",\"cause\":\"c\",\"actions\":[],\"safeguards\":{\"batchSize\":0}}").status()).isEqualTo(400);
        assertThat(http.post("/api/rollouts/" + rollout + "/root-causes", "dev-on-call",
                "{\"summary\":\"s\",\"cause\":\"c\",\"actions\":[],\"safeguards\":{\"observationWindow\":\"-PT1H\"}}").status())
                .isEqualTo(400);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM root_cause WHERE rollout_id = ?", Integer.class, rollout)).isZero();
    }
}
