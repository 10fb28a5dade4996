package dev.rollout.rollbackservice.rollback;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.UUID;

import dev.rollout.starter.test.Http;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class RollbackApiTest {

    @LocalServerPort
    int port;

    @Autowired
    Rollbacks rollbacks;

    Http http;

    @BeforeEach
    void setUp() {
        http = Http.localhost(port);
    }

    @Test
    void listsTheRollbacksOfARollout() {
        UUID rollout = UUID.randomUUID();
        Rollback stored = rollbacks.save(new Rollback(rollout, RollbackScope.PARTIAL, "planner error rate 3%", "on-call",
                Instant.parse("2026-11-26T03:00:00Z")));
        Http.Answer answer = http.get("/api/rollbacks?rolloutId=" + rollout, "dev-on-call");
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body()).contains(stored.id().toString()).contains("\"scope\":\"PARTIAL\"");
        assertThat(http.get("/api/rollbacks/" + stored.id(), "dev-viewer").status()).isEqualTo(200);
    }

    @Test
    void anUnknownRollbackIsA404AndABadIdA400() {
        assertThat(http.get("/api/rollbacks/" + UUID.randomUUID(), "dev-on-call").status()).isEqualTo(404);
        assertThat(http.get("/api/rollbacks/not-a-uuid", "dev-on-call").status()).isEqualTo(400);
    }

    @Test
    void refusesAgentsPilotsCiAndAnonymousCallers() {
        assertThat(http.get("/api/rollbacks", "dev-agent-a-1").status()).isEqualTo(403);
        assertThat(http.get("/api/rollbacks", "dev-pilot-p1").status()).isEqualTo(403);
        assertThat(http.get("/api/rollbacks", "dev-ci").status()).isEqualTo(403);
        assertThat(http.get("/api/rollbacks", null).status()).isEqualTo(401);
    }
}
