package dev.rollout.phaseengine.notification;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.rollout.phaseengine.rollout.Rollout;
import dev.rollout.phaseengine.rollout.RolloutStatus;
import dev.rollout.phaseengine.rollout.Timeline;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * The transactional outbox: each event is stored in the transaction of the transition that caused it, with
 * one pending delivery per subscription that wants it. Nothing is sent here; {@link Dispatcher} sends.
 */
@Component
public class Outbox {

    /** The version of the generic JSON payload; a breaking change gets a new one. */
    public static final String SCHEMA = "rollout-event/v1";

    private final JdbcTemplate jdbc;
    private final JsonMapper json;

    Outbox(JdbcTemplate jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    @EventListener
    void on(Timeline.Recorded recorded) {
        Rollout rollout = recorded.rollout();
        for (EventType type : EventType.of(recorded.step(), rollout.pauseReason())) {
            Map<String, Object> payload = new LinkedHashMap<>();
            payload.put("rolloutName", rollout.name());
            payload.put("targetVersion", rollout.targetVersion());
            payload.put("from", recorded.step().from());
            payload.put("to", recorded.step().to());
            payload.put("phase", phaseOf(type, recorded));
            payload.put("batch", recorded.step().batch());
            payload.put("batches", rollout.batches());
            payload.put("actor", recorded.actor());
            payload.put("reason", recorded.step().reason());
            payload.put("evidence", recorded.evidence());
            if (type == EventType.FEATURE_AVAILABLE) {
                payload.put("userTypes", rollout.plan().userTypes());
                payload.put("components", rollout.components().stream().map(c -> c.name() + " " + c.version()).toList());
            }
            publish(type, rollout.id(), recorded.at(), payload);
        }
    }

    /** Stores an event and its deliveries, in the caller's transaction. */
    public void publish(EventType type, UUID rolloutId, Instant at, Map<String, Object> details) {
        UUID eventId = UUID.randomUUID();
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("schema", SCHEMA);
        payload.put("id", eventId);
        payload.put("type", type);
        payload.put("rolloutId", rolloutId);
        payload.put("at", at);
        payload.putAll(details);
        GeneratedKeyHolder key = new GeneratedKeyHolder();
        jdbc.update(connection -> {
            var statement = connection.prepareStatement("INSERT INTO outbox_event (event_id, rollout_id, type, payload,"
                    + " created_at) VALUES (?, ?, ?, ?, ?)", new String[] { "id" });
            statement.setObject(1, eventId);
            statement.setObject(2, rolloutId);
            statement.setString(3, type.name());
            statement.setString(4, json.writeValueAsString(payload));
            statement.setTimestamp(5, Timestamp.from(at));
            return statement;
        }, key);
        long id = key.getKey().longValue();
        List<UUID> subscribers = jdbc.queryForList("SELECT id FROM subscription WHERE active AND (event_types = '*'"
                + " OR event_types LIKE ?)", UUID.class, "%," + type.name() + ",%");
        Timestamp now = Timestamp.from(Instant.now());
        for (UUID subscription : subscribers) {
            jdbc.update("INSERT INTO delivery (event_id, subscription_id, status, attempts, next_attempt_at) VALUES (?, ?,"
                    + " 'PENDING', 0, ?)", id, subscription, now);
        }
    }

    private static Object phaseOf(EventType type, Timeline.Recorded recorded) {
        RolloutStatus from = recorded.step().from();
        RolloutStatus to = recorded.step().to();
        return switch (type) {
            case PHASE_COMPLETED -> from;
            case PHASE_STARTED, FEATURE_AVAILABLE -> to;
            default -> recorded.rollout().phase();
        };
    }
}
