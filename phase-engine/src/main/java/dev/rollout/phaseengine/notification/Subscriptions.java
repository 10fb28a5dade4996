package dev.rollout.phaseengine.notification;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import dev.rollout.starter.outbound.OutboundHttp;
import dev.rollout.starter.web.ProblemException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/** Webhook subscriptions and their deliveries. */
@Component
class Subscriptions {

    enum Format { GENERIC, SLACK }

    record Subscription(UUID id, String url, List<String> eventTypes, Format format, String secret, String createdBy,
            Instant createdAt, boolean active) {
    }

    record Delivery(long id, UUID eventId, String eventType, String status, int attempts, Integer lastStatus,
            String lastError, Instant nextAttemptAt, Instant deliveredAt) {
    }

    private final JdbcTemplate jdbc;
    private final OutboundHttp outbound;
    private final Clock clock;

    Subscriptions(JdbcTemplate jdbc, OutboundHttp outbound, Clock clock) {
        this.jdbc = jdbc;
        this.outbound = outbound;
        this.clock = clock;
    }

    Subscription create(String url, List<EventType> types, Format format, String secret, String actor) {
        outbound.refusal(url).ifPresent(why -> {
            throw ProblemException.unprocessable("The webhook is refused: " + why).with("url", url);
        });
        UUID id = UUID.randomUUID();
        Instant now = clock.instant();
        String stored = types == null || types.isEmpty() ? "*"
                : "," + String.join(",", types.stream().map(Enum::name).distinct().toList()) + ",";
        jdbc.update("INSERT INTO subscription (id, url, event_types, format, secret, created_by, created_at, active)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, TRUE)", id, url, stored, format.name(), secret, actor, Timestamp.from(now));
        return find(id);
    }

    List<Subscription> all() {
        return jdbc.query("SELECT id, url, event_types, format, secret, created_by, created_at, active FROM subscription"
                + " WHERE active ORDER BY created_at", (rs, n) -> map(rs));
    }

    Subscription find(UUID id) {
        return jdbc.query("SELECT id, url, event_types, format, secret, created_by, created_at, active FROM subscription"
                + " WHERE id = ?", (rs, n) -> map(rs), id).stream().findFirst()
                .orElseThrow(() -> ProblemException.notFound("Subscription", id));
    }

    void deactivate(UUID id) {
        find(id);
        jdbc.update("UPDATE subscription SET active = FALSE WHERE id = ?", id);
        jdbc.update("UPDATE delivery SET status = 'CANCELLED' WHERE subscription_id = ? AND status = 'PENDING'", id);
    }

    List<Delivery> deliveries(UUID id, int limit) {
        find(id);
        return jdbc.query("SELECT d.id, e.event_id, e.type, d.status, d.attempts, d.last_status, d.last_error,"
                + " d.next_attempt_at, d.delivered_at FROM delivery d JOIN outbox_event e ON e.id = d.event_id"
                + " WHERE d.subscription_id = ? ORDER BY d.event_id LIMIT ?", (rs, n) -> new Delivery(rs.getLong(1),
                        rs.getObject(2, UUID.class), rs.getString(3), rs.getString(4), rs.getInt(5),
                        (Integer) rs.getObject(6), rs.getString(7), instant(rs.getTimestamp(8)),
                        instant(rs.getTimestamp(9))), id, limit);
    }

    private static Subscription map(ResultSet rs) throws SQLException {
        String types = rs.getString(3);
        List<String> eventTypes = types.equals("*") ? List.of("*")
                : new ArrayList<>(Arrays.stream(types.split(",")).filter(t -> !t.isBlank()).toList());
        return new Subscription(rs.getObject(1, UUID.class), rs.getString(2), eventTypes, Format.valueOf(rs.getString(4)),
                rs.getString(5), rs.getString(6), rs.getTimestamp(7).toInstant(), rs.getBoolean(8));
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
