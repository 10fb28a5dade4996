package dev.rollout.rollbackservice.rollback;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The rollbacks and their steps in PostgreSQL. One active rollback per rollout is the database's to enforce
 * (the unique {@code active_for}); a replica executes a rollback only while it holds its lease.
 */
@Component
class RollbackStore {

    /** One step as stored. */
    record Step(int position, SagaStep name, StepStatus status, int attempts, Instant startedAt, Instant finishedAt,
            Instant nextAttemptAt, String error, String outcome) {
    }

    /** A new rollback, or the one already active for the rollout. */
    record Requested(UUID id, boolean created) {
    }

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final Clock clock;

    RollbackStore(JdbcTemplate jdbc, PlatformTransactionManager transactions, Clock clock) {
        this.jdbc = jdbc;
        this.tx = new TransactionTemplate(transactions);
        this.clock = clock;
    }

    /**
     * Records a rollback with its steps, unless one is active for the rollout: then that one. {@code traceparent}: the
     * trace of the request, which the steps continue (null without one).
     */
    Requested request(UUID rolloutId, RollbackScope scope, List<String> components, String reason, UUID evaluationId,
            UUID incidentId, String actor, String traceparent) {
        UUID id = UUID.randomUUID();
        try {
            tx.executeWithoutResult(status -> {
                jdbc.update("INSERT INTO rollback (id, rollout_id, scope, status, reason, requested_by, requested_at, version,"
                        + " components, evaluation_id, incident_id, active_for, received_at, traceparent) VALUES (?, ?, ?,"
                        + " 'REQUESTED', ?, ?, ?, 0, ?, ?, ?, ?, ?, ?)", id, rolloutId, scope.name(), reason, actor,
                        Timestamp.from(clock.instant()), components.isEmpty() ? null : String.join(",", components),
                        evaluationId, incidentId, rolloutId, Timestamp.from(Instant.now()), traceparent);
                List<SagaStep> steps = SagaStep.of(scope);
                for (int i = 0; i < steps.size(); i++) {
                    jdbc.update("INSERT INTO rollback_step (rollback_id, position, name, status, attempts) VALUES (?, ?, ?,"
                            + " 'PENDING', 0)", id, i, steps.get(i).name());
                }
            });
            return new Requested(id, true);
        }
        catch (DuplicateKeyException alreadyActive) {
            // the active one; or, where it completed between the conflict and this read, the rollout's latest
            UUID active = jdbc.queryForList("SELECT id FROM rollback WHERE active_for = ?", UUID.class, rolloutId).stream()
                    .findFirst().orElseGet(() -> jdbc.queryForObject("SELECT id FROM rollback WHERE rollout_id = ?"
                            + " ORDER BY requested_at DESC LIMIT 1", UUID.class, rolloutId));
            return new Requested(active, false);
        }
    }

    List<Step> steps(UUID rollbackId) {
        return jdbc.query("SELECT position, name, status, attempts, started_at, finished_at, next_attempt_at, error, outcome"
                + " FROM rollback_step WHERE rollback_id = ? ORDER BY position", (rs, n) -> new Step(rs.getInt(1),
                        SagaStep.valueOf(rs.getString(2)), StepStatus.valueOf(rs.getString(3)), rs.getInt(4), instant(rs.getTimestamp(5)),
                        instant(rs.getTimestamp(6)), instant(rs.getTimestamp(7)), rs.getString(8), rs.getString(9)),
                rollbackId);
    }

    /** Takes the rollback's lease for {@code owner} when it is free, expired or already this owner's. */
    boolean claim(UUID rollbackId, String owner, Duration lease) {
        Instant now = Instant.now();
        return jdbc.update("UPDATE rollback SET owner = ?, lease_until = ?, status = CASE WHEN status = 'REQUESTED'"
                + " THEN 'RUNNING' ELSE status END WHERE id = ? AND status IN ('REQUESTED', 'RUNNING')"
                + " AND (owner IS NULL OR owner = ? OR lease_until < ?)", owner, Timestamp.from(now.plus(lease)),
                rollbackId, owner, Timestamp.from(now)) == 1;
    }

    void release(UUID rollbackId, String owner) {
        jdbc.update("UPDATE rollback SET owner = NULL, lease_until = NULL WHERE id = ? AND owner = ?", rollbackId, owner);
    }

    /** The rollbacks that need a replica: not finished, not waiting for on-call, and no live lease. */
    List<UUID> runnable() {
        return jdbc.queryForList("SELECT id FROM rollback WHERE status IN ('REQUESTED', 'RUNNING') AND (owner IS NULL OR"
                + " lease_until < ?) ORDER BY requested_at", UUID.class, Timestamp.from(Instant.now()));
    }

    void stepStarted(UUID rollbackId, int position) {
        jdbc.update("UPDATE rollback_step SET status = 'RUNNING', attempts = attempts + 1, started_at = COALESCE(started_at, ?),"
                + " next_attempt_at = NULL WHERE rollback_id = ? AND position = ?", Timestamp.from(clock.instant()),
                rollbackId, position);
    }

    void stepDone(UUID rollbackId, int position, String outcome, Long flippedAfterMs) {
        tx.executeWithoutResult(status -> {
            jdbc.update("UPDATE rollback_step SET status = 'DONE', finished_at = ?, outcome = ?, error = NULL"
                    + " WHERE rollback_id = ? AND position = ?", Timestamp.from(clock.instant()), outcome, rollbackId, position);
            if (flippedAfterMs != null) {
                jdbc.update("UPDATE rollback SET flipped_after_ms = ? WHERE id = ?", flippedAfterMs, rollbackId);
            }
        });
    }

    void stepFailed(UUID rollbackId, int position, String error, Instant retryAt, boolean giveUp) {
        tx.executeWithoutResult(status -> {
            jdbc.update("UPDATE rollback_step SET status = ?, error = ?, next_attempt_at = ? WHERE rollback_id = ?"
                    + " AND position = ?", (giveUp ? StepStatus.FAILED : StepStatus.PENDING).name(), error, retryAt == null ? null
                            : Timestamp.from(retryAt), rollbackId, position);
            if (giveUp) {
                jdbc.update("UPDATE rollback SET status = 'FAILED_STEP', error = ?, owner = NULL, lease_until = NULL"
                        + " WHERE id = ?", error, rollbackId);
            }
        });
    }

    void completed(UUID rollbackId) {
        jdbc.update("UPDATE rollback SET status = 'COMPLETED', finished_at = ?, active_for = NULL, error = NULL, owner = NULL,"
                + " lease_until = NULL WHERE id = ?", Timestamp.from(clock.instant()), rollbackId);
    }

    /** On-call resumes a rollback that stopped at a failed step: the step is tried again from its first attempt. */
    boolean resume(UUID rollbackId) {
        return Boolean.TRUE.equals(tx.execute(status -> {
            int updated = jdbc.update("UPDATE rollback SET status = 'RUNNING', error = NULL WHERE id = ?"
                    + " AND status = 'FAILED_STEP'", rollbackId);
            if (updated == 1) {
                jdbc.update("UPDATE rollback_step SET status = 'PENDING', attempts = 0, next_attempt_at = NULL"
                        + " WHERE rollback_id = ? AND status = 'FAILED'", rollbackId);
            }
            return updated == 1;
        }));
    }

    Optional<UUID> rolloutOf(UUID rollbackId) {
        return jdbc.queryForList("SELECT rollout_id FROM rollback WHERE id = ?", UUID.class, rollbackId).stream().findFirst();
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
