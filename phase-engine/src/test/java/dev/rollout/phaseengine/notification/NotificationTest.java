package dev.rollout.phaseengine.notification;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.function.BooleanSupplier;

import dev.rollout.starter.test.Http;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = { "rollout.outbound.allow-private=true", "rollout.notifications.dispatch-every=PT0.05S",
                "rollout.notifications.timeout=PT1S" })
class NotificationTest {

    @Autowired
    MeterRegistry meters;


    static final String RM = "dev-release-manager";
    static final String SECRET = "a-secret-of-24-characters";
    static final String ROLLOUT = """
            {"name": "assistant 2.4", "targetVersion": "2.4.0", "previousStableVersion": "2.3.1",
             "components": [{"name": "planner", "version": "2.4.0"}]}""";
    final JsonMapper json = JsonMapper.builder().build();

    @LocalServerPort
    int port;

    Http http;

    @BeforeEach
    void setUp() {
        http = Http.localhost(port);
    }

    String subscribe(String url, String types) {
        Http.Answer created = http.post("/api/subscriptions", RM, "{\"url\":\"" + url + "\",\"secret\":\"" + SECRET + "\""
                + (types == null ? "" : ",\"eventTypes\":" + types) + "}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(created.body()).doesNotContain(SECRET);
        return json.readTree(created.body()).get("id").asString();
    }

    void await(BooleanSupplier condition) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
        while (!condition.getAsBoolean()) {
            assertThat(Instant.now()).as("waited too long").isBefore(deadline);
            Thread.sleep(50);
        }
    }

    @Test
    void aReceiverGetsEveryEventOfARolloutInOrderSignedAndAReceiverThatIsDownDelaysNothing() throws Exception {
        try (Receiver receiver = new Receiver()) {
            receiver.failFirst.set(2); // the first two attempts fail: retried, and the order still holds
            String subscription = subscribe(receiver.url(), null);
            String unreachable = subscribe("http://127.0.0.1:9/hook", "[\"ROLLOUT_ANNOUNCED\",\"ROLLOUT_ABORTED\"]");

            String rollout = http.post("/api/rollouts", RM, ROLLOUT).header("Location");
            for (String operation : List.of("start", "pause", "resume", "abort")) {
                assertThat(http.post(rollout + "/" + operation, RM, "{\"reason\":\"" + operation + " for the test\"}").status())
                        .isEqualTo(200);
            }
            String id = rollout.substring("/api/rollouts/".length());
            await(() -> receiver.received.stream().filter(r -> r.body().contains(id)).count() >= 5);
            List<Receiver.Received> mine = receiver.received.stream().filter(r -> r.body().contains(id)).toList();
            assertThat(mine).extracting(Receiver.Received::eventType).containsExactly("ROLLOUT_ANNOUNCED", "PHASE_STARTED",
                    "ROLLOUT_PAUSED", "ROLLOUT_RESUMED", "ROLLOUT_ABORTED");
            for (Receiver.Received r : mine) {
                String t = r.signature().substring(2, r.signature().indexOf(','));
                assertThat(r.signature()).endsWith(",v1=" + Dispatcher.sign(SECRET, Long.parseLong(t), r.body()));
                JsonNode event = json.readTree(r.body());
                assertThat(event.get("schema").asString()).isEqualTo("rollout-event/v1");
                assertThat(event.get("id").asString()).isEqualTo(r.eventId());
            }
            assertThat(json.readTree(mine.get(2).body()).get("reason").asString()).isEqualTo("pause for the test");

            JsonNode deliveries = json.readTree(http.get("/api/subscriptions/" + subscription + "/deliveries", "dev-on-call").body());
            assertThat(deliveries.get(0).get("status").asString()).isEqualTo("DELIVERED");
            assertThat(deliveries.get(0).get("attempts").asInt()).isEqualTo(3);
            await(() -> json.readTree(http.get("/api/subscriptions/" + unreachable + "/deliveries", RM).body()).get(0)
                    .get("attempts").asInt() >= 1);
            JsonNode stuck = json.readTree(http.get("/api/subscriptions/" + unreachable + "/deliveries", RM).body());
            assertThat(stuck).hasSizeGreaterThanOrEqualTo(2);
            assertThat(stuck.get(0).get("status").asString()).isEqualTo("PENDING");
            assertThat(stuck.get(0).get("lastError").asString()).contains("ConnectException");
            assertThat(meters.get("rollout.outbox.pending").gauge().value())
                    .as("the gauge the OutboxBacklogGrowing alert reads").isGreaterThanOrEqualTo(stuck.size());
        }
    }

    @Test
    void subscriptionsAreTheReleaseManagersAndBadOnesAreNamed() {
        String body = "{\"url\":\"https://hooks.example.org/x\",\"secret\":\"" + SECRET + "\"}";
        for (String token : new String[] { "dev-viewer", "dev-ci", "dev-on-call", "dev-service", "dev-agent-a-1" }) {
            assertThat(http.post("/api/subscriptions", token, body).status()).as(token).isEqualTo(403);
        }
        assertThat(http.get("/api/subscriptions", "dev-viewer").status()).isEqualTo(403);
        assertThat(http.post("/api/subscriptions", RM, "{\"url\":\"ftp://example.org/x\",\"secret\":\"" + SECRET + "\"}")
                .body()).contains("http or https");
        assertThat(http.post("/api/subscriptions", RM, "{\"url\":\"https://x.example.org\",\"secret\":\"short\"}").status())
                .isEqualTo(400);
        assertThat(http.post("/api/subscriptions", RM, "{\"url\":\"https://x.example.org\",\"secret\":\"" + SECRET
                + "\",\"eventTypes\":[\"NOPE\"]}").status()).isEqualTo(400);
        assertThat(http.post("/api/subscriptions", RM, "{\"url\":\"https://user:pw@x.example.org\",\"secret\":\"" + SECRET
                + "\"}").body()).contains("credentials");
        assertThat(http.get("/api/subscriptions/" + UUID.randomUUID() + "/deliveries", RM).status()).isEqualTo(404);
    }
}
