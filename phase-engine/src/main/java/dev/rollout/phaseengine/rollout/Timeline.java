package dev.rollout.phaseengine.rollout;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import dev.rollout.phaseengine.rollout.RolloutRequests.TimelineEntry;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/** Every transition of every rollout: who, why, when, and the evidence behind it. Written in the caller's transaction. */
@Component
public class Timeline {

    /** A transition was recorded, inside its transaction: listeners add to that same transaction (the outbox). */
    public record Recorded(Rollout rollout, Progress.Step step, String actor, Instant at, String evidence) {
    }

    private final JdbcTemplate jdbc;
    private final ApplicationEventPublisher events;

    Timeline(JdbcTemplate jdbc, ApplicationEventPublisher events) {
        this.jdbc = jdbc;
        this.events = events;
    }

    public void record(Rollout rollout, Progress.Step step, String actor, Instant at, String evidence) {
        UUID rolloutId = rollout.id();
        jdbc.update("INSERT INTO rollout_timeline (rollout_id, at, actor, command, from_status, to_status, batch, reason,"
                + " evidence) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", rolloutId, Timestamp.from(at), actor,
                step.command().name(), step.from().name(), step.to().name(), step.batch(), Rollout.fit(step.reason()), evidence);
        events.publishEvent(new Recorded(rollout, step, actor, at, evidence));
    }

    public List<TimelineEntry> of(UUID rolloutId) {
        return jdbc.query("SELECT at, actor, command, from_status, to_status, batch, reason, evidence FROM rollout_timeline"
                + " WHERE rollout_id = ? ORDER BY at, id", (rs, n) -> new TimelineEntry(rs.getTimestamp(1).toInstant(),
                        rs.getString(2), rs.getString(3), RolloutStatus.valueOf(rs.getString(4)),
                        RolloutStatus.valueOf(rs.getString(5)), rs.getInt(6), rs.getString(7), rs.getString(8)), rolloutId);
    }

}
