package dev.rollout.phaseengine.reconcile;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

import dev.rollout.phaseengine.leadership.LeaderLease;
import dev.rollout.phaseengine.leadership.Leadership;
import dev.rollout.phaseengine.rollout.Condition;
import dev.rollout.phaseengine.rollout.EvaluationSummary;
import dev.rollout.phaseengine.rollout.Progress;
import dev.rollout.phaseengine.rollout.Rollout;
import dev.rollout.phaseengine.rollout.Rollouts;
import dev.rollout.phaseengine.rollout.Timeline;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.orm.ObjectOptimisticLockingFailureException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The reconcile loop's writes, each in a transaction that first proves this replica still holds the lease
 * (a replica that lost it writes nothing) and refuses to apply to a rollout that changed since it was read
 * (a person paused it meanwhile: the loop reads it again on its next pass).
 */
@Component
class Steps {

    /** The rollout changed since the loop read it: nothing was written. */
    static final class Changed extends RuntimeException {
        Changed(UUID id) {
            super("Rollout " + id + " changed while it was reconciled");
        }
    }

    static final String ACTOR = "reconciler";

    private final Rollouts rollouts;
    private final Timeline timeline;
    private final JdbcTemplate jdbc;
    private final Leadership leadership;
    private final TransactionTemplate tx;
    private final Clock clock;

    Steps(Rollouts rollouts, Timeline timeline, JdbcTemplate jdbc, Leadership leadership,
            PlatformTransactionManager transactions, Clock clock) {
        this.rollouts = rollouts;
        this.timeline = timeline;
        this.jdbc = jdbc;
        this.leadership = leadership;
        this.tx = new TransactionTemplate(transactions);
        this.clock = clock;
    }

    /** Records that the step's side effect is about to run (one more attempt). */
    void begin(UUID rolloutId, String stepKey, LeaderLease.Held held) {
        tx.executeWithoutResult(status -> {
            leadership.fence(held);
            Timestamp now = Timestamp.from(clock.instant());
            Timestamp real = Timestamp.from(Instant.now());
            int updated = jdbc.update("UPDATE rollout_step SET attempts = attempts + 1, fencing_token = ?, last_attempt = ?"
                    + " WHERE rollout_id = ? AND step_key = ?", held.token(), real, rolloutId, stepKey);
            if (updated == 0) {
                jdbc.update("INSERT INTO rollout_step (rollout_id, step_key, state, attempts, started_at, last_attempt,"
                        + " fencing_token) VALUES (?, ?, 'STARTED', 1, ?, ?, ?)", rolloutId, stepKey, now, real, held.token());
            }
        });
    }

    /** A step's side effect failed: the attempt and its error are kept. */
    void failed(UUID rolloutId, String stepKey, String error, LeaderLease.Held held) {
        tx.executeWithoutResult(status -> {
            leadership.fence(held);
            jdbc.update("UPDATE rollout_step SET outcome = ? WHERE rollout_id = ? AND step_key = ? AND state = 'STARTED'",
                    abbreviate(error), rolloutId, stepKey);
        });
    }

    /**
     * Applies {@code change} to the rollout as read at {@code expectedVersion}, with its timeline entries and,
     * for a step, the step marked DONE, all in one transaction.
     */
    Rollout commit(Rollout read, String stepKey, String outcome, String evidence, LeaderLease.Held held,
            Function<Rollout, List<Progress.Step>> change) {
        try {
            return tx.execute(status -> {
                leadership.fence(held);
                Rollout rollout = rollouts.findById(read.id()).orElseThrow(() -> new Changed(read.id()));
                if (rollout.version() != read.version()) {
                    throw new Changed(read.id());
                }
                Instant now = clock.instant();
                List<Progress.Step> steps = change.apply(rollout);
                rollouts.saveAndFlush(rollout);
                for (Progress.Step step : steps) {
                    timeline.record(rollout, step, ACTOR, now, evidence);
                }
                if (stepKey != null) {
                    jdbc.update("UPDATE rollout_step SET state = 'DONE', finished_at = ?, outcome = ? WHERE rollout_id = ?"
                            + " AND step_key = ?", Timestamp.from(now), abbreviate(outcome), rollout.id(), stepKey);
                }
                return rollout;
            });
        }
        catch (ObjectOptimisticLockingFailureException e) {
            throw new Changed(read.id());
        }
    }

    /** Writes what the loop observed (conditions, last verdict), only when it differs from what is stored. */
    Rollout observe(Rollout read, List<Condition> conditions, EvaluationSummary evaluation, LeaderLease.Held held) {
        boolean evaluationChanged = evaluation != null && !evaluation.equals(read.lastEvaluation());
        Rollout probe = read;
        boolean conditionsChanged = !sameConditions(probe.conditions(), conditions);
        if (!evaluationChanged && !conditionsChanged) {
            return read;
        }
        return commit(read, null, null, null, held, rollout -> {
            rollout.conditions(conditions);
            if (evaluation != null) {
                rollout.lastEvaluation(evaluation);
            }
            return List.of();
        });
    }

    /** Whether a step completed (its outcome committed). */
    boolean done(UUID rolloutId, String stepKey) {
        return !jdbc.queryForList("SELECT 1 FROM rollout_step WHERE rollout_id = ? AND step_key = ? AND state = 'DONE'",
                Integer.class, rolloutId, stepKey).isEmpty();
    }

    /**
     * Whether a step that was tried before may be tried again now: after its n-th failed attempt it waits
     * {@code interval * 2^(n-1)}, at most {@code cap} (real time). A first attempt, or the first after a
     * restart that interrupted it, goes at once.
     */
    boolean due(UUID rolloutId, String stepKey, Duration interval, Duration cap) {
        List<Map<String, Object>> rows = jdbc.queryForList("SELECT attempts, last_attempt, outcome FROM rollout_step"
                + " WHERE rollout_id = ? AND step_key = ? AND state = 'STARTED'", rolloutId, stepKey);
        if (rows.isEmpty() || rows.get(0).get("outcome") == null) {
            return true; // never tried, or interrupted before it could fail: go
        }
        int attempts = ((Number) rows.get(0).get("attempts")).intValue();
        Instant last = ((Timestamp) rows.get(0).get("last_attempt")).toInstant();
        Duration wait = interval.multipliedBy(1L << Math.min(20, attempts - 1));
        return !Instant.now().isBefore(last.plus(wait.compareTo(cap) > 0 ? cap : wait));
    }

    private static boolean sameConditions(List<Condition> stored, List<Condition> next) {
        if (stored.size() != next.size()) {
            return false;
        }
        for (int i = 0; i < next.size(); i++) {
            Condition a = stored.get(i);
            Condition b = next.get(i);
            if (!a.type().equals(b.type()) || a.status() != b.status() || !a.reason().equals(b.reason())
                    || !a.message().equals(b.message())) {
                return false;
            }
        }
        return true;
    }

    private static String abbreviate(String text) {
        return text == null || text.length() <= 1000 ? text : text.substring(0, 997) + "...";
    }
}
