package dev.rollout.phaseengine.notification;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import jakarta.annotation.PreDestroy;

import dev.rollout.starter.outbound.OutboundHttp;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Sends the outbox's deliveries: per subscription in event order (the oldest pending delivery first; a
 * receiver that fails holds back only its own queue, never the rollout and never another receiver), each
 * signed, retried with backoff until delivered or given up after {@code maxAttempts}. At least once: a
 * delivery is marked DELIVERED only after a 2xx, so a crash in between sends it again.
 */
@Component
public class Dispatcher {

    private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);
    static final String SIGNATURE = "Rollout-Signature";

    private final JdbcTemplate jdbc;
    private final Subscriptions subscriptions;
    private final NotificationProperties properties;
    private final JsonMapper json;
    private final OutboundHttp outbound;
    private final ExecutorService senders = Executors.newFixedThreadPool(4, r -> {
        Thread thread = new Thread(r, "webhook-sender");
        thread.setDaemon(true);
        return thread;
    });
    private final Set<UUID> sending = ConcurrentHashMap.newKeySet();

    Dispatcher(JdbcTemplate jdbc, Subscriptions subscriptions, NotificationProperties properties, OutboundHttp outbound,
            JsonMapper json) {
        this.jdbc = jdbc;
        this.subscriptions = subscriptions;
        this.properties = properties;
        this.json = json;
        this.outbound = outbound;
    }

    /** One pass: each subscription with a delivery due gets a sender, unless one is already at it. */
    public void dispatch() {
        List<UUID> due = jdbc.queryForList("SELECT DISTINCT subscription_id FROM delivery WHERE status = 'PENDING'"
                + " AND next_attempt_at <= ?", UUID.class, Timestamp.from(Instant.now()));
        for (UUID subscription : due) {
            if (sending.add(subscription)) {
                senders.submit(() -> {
                    try {
                        drain(subscription);
                    }
                    catch (RuntimeException e) {
                        log.warn("Delivering to subscription {} failed; tried again on the next pass", subscription, e);
                    }
                    finally {
                        sending.remove(subscription);
                    }
                });
            }
        }
    }

    private void drain(UUID subscriptionId) {
        Subscriptions.Subscription subscription = subscriptions.find(subscriptionId);
        for (int sent = 0; sent < 500; sent++) {
            List<Map<String, Object>> head = jdbc.queryForList("SELECT d.id, d.attempts, d.next_attempt_at, e.payload, e.type"
                    + " FROM delivery d JOIN outbox_event e ON e.id = d.event_id WHERE d.subscription_id = ?"
                    + " AND d.status = 'PENDING' ORDER BY d.event_id LIMIT 1", subscriptionId);
            if (head.isEmpty() || ((Timestamp) head.get(0).get("next_attempt_at")).toInstant().isAfter(Instant.now())) {
                return;
            }
            long id = ((Number) head.get(0).get("id")).longValue();
            int attempts = ((Number) head.get(0).get("attempts")).intValue() + 1;
            Instant now = Instant.now();
            if (jdbc.update("UPDATE delivery SET claimed_until = ? WHERE id = ? AND status = 'PENDING' AND (claimed_until IS NULL"
                    + " OR claimed_until < ?)", Timestamp.from(now.plus(properties.timeout().multipliedBy(3))), id,
                    Timestamp.from(now)) == 0) {
                return; // another replica is at it
            }
            String payload = (String) head.get(0).get("payload");
            String failure = send(subscription, payload);
            if (failure == null) {
                jdbc.update("UPDATE delivery SET status = 'DELIVERED', attempts = ?, delivered_at = ?, last_status = 200,"
                        + " last_error = NULL, claimed_until = NULL WHERE id = ?", attempts, Timestamp.from(Instant.now()), id);
                continue;
            }
            boolean giveUp = attempts >= properties.maxAttempts();
            Duration backoff = Duration.ofSeconds(Math.min(300, 1L << Math.min(9, attempts - 1)));
            jdbc.update("UPDATE delivery SET status = ?, attempts = ?, next_attempt_at = ?, last_error = ?, last_status = ?,"
                    + " claimed_until = NULL WHERE id = ?", giveUp ? "FAILED" : "PENDING", attempts,
                    Timestamp.from(Instant.now().plus(backoff)), abbreviate(failure), statusOf(failure), id);
            if (!giveUp) {
                return; // keep the order: this subscription waits for its oldest delivery
            }
            log.warn("Delivery {} to {} given up after {} attempts: {}", id, subscription.url(), attempts, failure);
        }
    }

    /** Null when delivered; otherwise what went wrong. */
    private String send(Subscriptions.Subscription subscription, String payload) {
        String body = subscription.format() == Subscriptions.Format.SLACK ? slack(payload) : payload;
        long timestamp = Instant.now().getEpochSecond();
        JsonNode event = json.readTree(payload);
        Map<String, String> headers = Map.of(
                "Rollout-Event-Id", event.path("id").asString(),
                "Rollout-Event-Type", event.path("type").asString(),
                SIGNATURE, "t=" + timestamp + ",v1=" + sign(subscription.secret(), timestamp, body));
        try {
            OutboundHttp.Answer answer = outbound.post(subscription.url(), headers, body, properties.timeout());
            return answer.status() / 100 == 2 ? null : "HTTP " + answer.status();
        }
        catch (OutboundHttp.RefusedAddressException e) {
            return "refused: " + e.getMessage();
        }
        catch (IOException | RuntimeException e) {
            return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        }
    }

    /** HMAC-SHA256 of {@code timestamp + "." + body} with the subscription's secret, hex (as Stripe signs webhooks). */
    public static String sign(String secret, long timestamp, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal((timestamp + "." + body).getBytes(StandardCharsets.UTF_8)));
        }
        catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A Slack-compatible incoming-webhook message: one line a person reads, the event's fields beneath. */
    private String slack(String payload) {
        JsonNode e = json.readTree(payload);
        String text = switch (e.path("type").asString()) {
            case "ROLLBACK_STARTED" -> ":rotating_light: Rollback started for *" + e.path("rolloutName").asString() + "*: "
                    + e.path("reason").asString();
            case "ROLLBACK_FINISHED" -> ":white_check_mark: Rollback finished for *" + e.path("rolloutName").asString()
                    + "*: " + e.path("to").asString();
            case "GATE_HELD" -> ":warning: *" + e.path("rolloutName").asString() + "* held: " + e.path("reason").asString();
            case "BATCH_ACTIVATED" -> "*" + e.path("rolloutName").asString() + "*: batch " + e.path("batch").asInt() + " of "
                    + e.path("batches").asInt() + " activated";
            case "ROLLOUT_COMPLETED" -> ":tada: *" + e.path("rolloutName").asString() + "* " + e.path("targetVersion").asString()
                    + " completed";
            case "DAILY_STANDUP", "WEEKLY_UPDATE" -> e.path("markdown").asString();
            default -> "*" + e.path("rolloutName").asString("rollouts") + "*: " + e.path("type").asString().toLowerCase()
                    .replace('_', ' ') + (e.path("phase").isMissingNode() || e.path("phase").isNull() ? ""
                            : " (" + e.path("phase").asString() + ")");
        };
        return json.writeValueAsString(Map.of("text", text, "event", e));
    }

    private static Integer statusOf(String failure) {
        return failure.startsWith("HTTP ") ? Integer.valueOf(failure.substring(5)) : null;
    }

    private static String abbreviate(String text) {
        return text.length() <= 1000 ? text : text.substring(0, 997) + "...";
    }

    @PreDestroy
    void stop() {
        senders.shutdownNow();
    }
}
