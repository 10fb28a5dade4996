package dev.rollout.phaseengine.rollout;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import dev.rollout.phaseengine.rollout.RolloutRequests.TimelineEntry;
import dev.rollout.starter.web.ProblemException;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** The manual operations of a rollout, each a transition of its state machine kept in the timeline. */
@Service
public class Operations {

    private final Rollouts rollouts;
    private final JdbcTemplate jdbc;
    private final Clock clock;

    Operations(Rollouts rollouts, JdbcTemplate jdbc, Clock clock) {
        this.rollouts = rollouts;
        this.jdbc = jdbc;
        this.clock = clock;
    }

    @Transactional
    public Rollout apply(UUID id, Transitions.Command command, String reason, String actor) {
        Rollout rollout = rollouts.findById(id).orElseThrow(() -> ProblemException.notFound("Rollout", id));
        Instant now = clock.instant();
        Progress.Step step;
        try {
            step = rollout.apply(command, reason, now);
        }
        catch (Progress.IllegalTransition e) {
            throw new ProblemException(HttpStatus.CONFLICT, "Rollout " + id + " is " + rollout.status() + ": "
                    + e.getMessage()).with("status", rollout.status()).with("allowedFrom", Transitions.allowedFrom(command));
        }
        rollouts.saveAndFlush(rollout);
        jdbc.update("INSERT INTO rollout_timeline (rollout_id, at, actor, command, from_status, to_status, batch, reason)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)", id, Timestamp.from(now), actor, command.name(), step.from().name(),
                step.to().name(), step.batch(), reason);
        return rollout;
    }

    @Transactional(readOnly = true)
    public List<TimelineEntry> timeline(UUID id) {
        rollouts.findById(id).orElseThrow(() -> ProblemException.notFound("Rollout", id));
        return jdbc.query("SELECT at, actor, command, from_status, to_status, batch, reason FROM rollout_timeline"
                + " WHERE rollout_id = ? ORDER BY at, id", (rs, n) -> new TimelineEntry(rs.getTimestamp(1).toInstant(),
                        rs.getString(2), rs.getString(3), RolloutStatus.valueOf(rs.getString(4)),
                        RolloutStatus.valueOf(rs.getString(5)), rs.getInt(6), rs.getString(7)), id);
    }
}
