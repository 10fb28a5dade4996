package dev.rollout.phaseengine.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;

import dev.rollout.starter.idempotency.IdempotencyFilter;
import dev.rollout.starter.idempotency.IdempotencyStore;
import dev.rollout.starter.test.Http;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

/** Every mutating POST honours Idempotency-Key: a retry gets the first answer, never a second change. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class IdempotencyKeyTest {

    static final String RM = "dev-release-manager";

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    IdempotencyStore store;

    Http http;

    @BeforeEach
    void setUp() {
        http = Http.localhost(port);
    }

    Http.Answer post(String path, String token, String body, String key) {
        return http.post(path, token, "application/json", body, key == null ? Map.of() : Map.of("Idempotency-Key", key));
    }

    String body(String name) {
        return RolloutApiTest.BODY.replace("\"assistant 2.4\"", "\"" + name + "\"");
    }

    @Test
    void theSameKeyAndRequestReplayTheFirstAnswerWithoutASecondRollout() {
        String name = "idempotent " + UUID.randomUUID();
        String key = "ci-build-" + UUID.randomUUID();
        Http.Answer first = post("/api/rollouts", RM, body(name), key);
        Http.Answer retry = post("/api/rollouts", RM, body(name), key);
        assertThat(first.status()).isEqualTo(201);
        assertThat(retry.status()).isEqualTo(201);
        assertThat(retry.body()).isEqualTo(first.body());
        assertThat(retry.header("Location")).isEqualTo(first.header("Location"));
        assertThat(retry.header("Idempotency-Replayed")).isEqualTo("true");
        assertThat(first.header("Idempotency-Replayed")).isNull();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM rollout WHERE name = ?", Integer.class, name)).isEqualTo(1);
    }

    @Test
    void anOperationRetriedWithItsKeyIsAnsweredNotRepeated() {
        String rollout = post("/api/rollouts", RM, body("op " + UUID.randomUUID()), null).header("Location");
        String key = UUID.randomUUID().toString();
        assertThat(post(rollout + "/start", RM, "", key).status()).isEqualTo(200);
        Http.Answer retry = post(rollout + "/start", RM, "", key);
        assertThat(retry.status()).as("the first START's answer, not a 409 for starting twice").isEqualTo(200);
        assertThat(retry.header("Idempotency-Replayed")).isEqualTo("true");
        assertThat(post(rollout + "/start", RM, "", null).status()).isEqualTo(409);
        assertThat(http.get(rollout + "/timeline", "dev-viewer").body().split("\"command\":\"START\"", -1)).hasSize(2);
    }

    @Test
    void theSameKeyWithAnotherBodyIs422AndNothingIsCreated() {
        String key = UUID.randomUUID().toString();
        String name = "first " + UUID.randomUUID();
        assertThat(post("/api/rollouts", RM, body(name), key).status()).isEqualTo(201);
        String other = "second " + UUID.randomUUID();
        Http.Answer reused = post("/api/rollouts", RM, body(other), key);
        assertThat(reused.status()).isEqualTo(422);
        assertThat(reused.header("Content-Type")).contains("problem+json");
        assertThat(reused.body()).contains(key).contains("another request");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM rollout WHERE name = ?", Integer.class, other)).isZero();
    }

    @Test
    void aRequestWithAnUnusuallyLongQueryIsKeyedLikeAnyOther() {
        String key = UUID.randomUUID().toString();
        String name = "long query " + UUID.randomUUID();
        String path = "/api/rollouts?trace=" + "x".repeat(1200);
        Http.Answer first = post(path, RM, body(name), key);
        assertThat(first.status()).as(first.body()).isEqualTo(201);
        Http.Answer replay = post(path, RM, body(name), key);
        assertThat(replay.status()).isEqualTo(201);
        assertThat(replay.body()).isEqualTo(first.body());
        assertThat(jdbc.queryForObject("SELECT count(*) FROM rollout WHERE name = ?", Integer.class, name)).isEqualTo(1);
    }

    @Test
    void aRetryWhileTheFirstIsStillRunningIs409() {
        String key = UUID.randomUUID().toString();
        String body = body("in flight " + UUID.randomUUID());
        IdempotencyStore.Claim claim = store.claim("release-manager", key,
                IdempotencyFilter.fingerprint("POST", "/api/rollouts", body.getBytes(StandardCharsets.UTF_8)), "POST",
                "/api/rollouts");
        assertThat(claim).isInstanceOf(IdempotencyStore.First.class);
        Http.Answer retry = post("/api/rollouts", RM, body, key);
        assertThat(retry.status()).isEqualTo(409);
        assertThat(retry.body()).contains("still being processed");
        assertThat(retry.header("Retry-After")).isEqualTo("1");
    }

    @Test
    void keysBelongToTheirCallerAndAMalformedKeyIs400() {
        String key = UUID.randomUUID().toString();
        Http.Answer mine = post("/api/rollouts", RM, body("mine " + UUID.randomUUID()), key);
        Http.Answer theirs = post("/api/rollouts", "dev-ci", body("theirs " + UUID.randomUUID()), key);
        assertThat(mine.status()).isEqualTo(201);
        assertThat(theirs.status()).isEqualTo(201);
        assertThat(theirs.header("Location")).isNotEqualTo(mine.header("Location"));

        Http.Answer malformed = post("/api/rollouts", RM, body("x"), "a key with spaces");
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.body()).contains("Idempotency-Key");
    }

    @Test
    void aRefusedRoleIsNotRememberedSoTheKeyStaysUsable() {
        String key = UUID.randomUUID().toString();
        String body = body("roles " + UUID.randomUUID());
        assertThat(post("/api/rollouts", "dev-viewer", body, key).status()).isEqualTo(403);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM idempotency_key WHERE idem_key = ?", Integer.class, key)).isZero();
    }

    /**
     * A caller without the role announces a body of 1,000,000 bytes and sends 10 bytes of it: the 403 comes back at once,
     * so nothing waited for (or buffered) the rest of the body before the role check.
     */
    @Test
    void theRoleIsCheckedBeforeAKeyedRequestsBodyIsRead() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            String head = "POST /api/rollouts HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer dev-viewer\r\n"
                    + "Idempotency-Key: " + UUID.randomUUID() + "\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 1000000\r\n\r\n{\"name\":";
            socket.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            String status = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
                    .readLine();
            assertThat(status).isEqualTo("HTTP/1.1 403 ");
        }
    }
}
