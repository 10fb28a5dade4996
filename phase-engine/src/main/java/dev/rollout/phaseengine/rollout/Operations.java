package dev.rollout.phaseengine.rollout;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import dev.rollout.phaseengine.rollout.RolloutRequests.TimelineEntry;
import dev.rollout.starter.web.ProblemException;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** The manual operations of a rollout, each a transition of its state machine kept in the timeline. */
@Service
public class Operations {

    private final Rollouts rollouts;
    private final Timeline timeline;
    private final Clock clock;
    private final org.springframework.transaction.support.TransactionTemplate tx;

    Operations(Rollouts rollouts, Timeline timeline, Clock clock,
            org.springframework.transaction.PlatformTransactionManager transactions) {
        this.rollouts = rollouts;
        this.timeline = timeline;
        this.clock = clock;
        this.tx = new org.springframework.transaction.support.TransactionTemplate(transactions);
    }

    /**
     * Runs a change of a rollout in its own transaction, again (up to three times) when the reconcile loop
     * wrote the same rollout in between: a person's command is not refused for the loop's bookkeeping.
     */
    private Rollout retrying(java.util.function.Supplier<Rollout> change) {
        for (int attempt = 1;; attempt++) {
            try {
                return tx.execute(status -> change.get());
            }
            catch (org.springframework.dao.OptimisticLockingFailureException e) {
                if (attempt == 3) {
                    throw e;
                }
            }
        }
    }

    public Rollout apply(UUID id, Transitions.Command command, String reason, String actor) {
        return retrying(() -> applyOnce(id, command, reason, actor));
    }

    private Rollout applyOnce(UUID id, Transitions.Command command, String reason, String actor) {
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
        timeline.record(rollout, step, actor, now, null);
        return rollout;
    }

    /**
     * A step of a rollback saga on the rollout: applied once; a repeat that finds the rollout already where the
     * command leads ({@code already}) changes nothing and answers the same.
     */
    public Rollout rollbackStep(UUID id, Transitions.Command command, boolean full, RolloutStatus already, String reason,
            String actor) {
        return retrying(() -> rollbackStepOnce(id, command, full, already, reason, actor));
    }

    private Rollout rollbackStepOnce(UUID id, Transitions.Command command, boolean full, RolloutStatus already, String reason,
            String actor) {
        Rollout rollout = rollouts.findById(id).orElseThrow(() -> ProblemException.notFound("Rollout", id));
        if (rollout.status() == already) {
            return rollout;
        }
        Instant now = clock.instant();
        Progress.Step step;
        try {
            step = rollout.apply(command, reason, now, null, full);
        }
        catch (Progress.IllegalTransition e) {
            throw new ProblemException(HttpStatus.CONFLICT, "Rollout " + id + " is " + rollout.status() + ": "
                    + e.getMessage()).with("status", rollout.status()).with("allowedFrom", Transitions.allowedFrom(command));
        }
        rollouts.saveAndFlush(rollout);
        timeline.record(rollout, step, actor, now, null);
        return rollout;
    }

    /**
     * After a partial rollback, the fixed component versions: the rollout continues in its phase with them.
     * Repeating it once the rollout has continued with the same versions changes nothing.
     */
    public Rollout continueWithFix(UUID id, java.util.Map<String, String> fixes, String reason, String actor) {
        return retrying(() -> continueOnce(id, fixes, reason, actor));
    }

    private Rollout continueOnce(UUID id, java.util.Map<String, String> fixes, String reason, String actor) {
        Rollout rollout = rollouts.findById(id).orElseThrow(() -> ProblemException.notFound("Rollout", id));
        java.util.Map<String, String> current = new java.util.HashMap<>();
        rollout.components().forEach(c -> current.put(c.name(), c.version()));
        java.util.List<String> unknown = fixes.keySet().stream().filter(name -> !current.containsKey(name)).toList();
        if (!unknown.isEmpty()) {
            throw ProblemException.unprocessable("Rollout " + id + " has no component " + String.join(", ", unknown))
                    .with("components", current.keySet());
        }
        boolean applied = fixes.entrySet().stream().allMatch(f -> f.getValue().equals(current.get(f.getKey())));
        if (applied && rollout.status() != RolloutStatus.PARTIALLY_ROLLED_BACK) {
            return rollout;
        }
        Instant now = clock.instant();
        Progress.Step step;
        try {
            step = rollout.apply(Transitions.Command.CONTINUE, reason, now);
        }
        catch (Progress.IllegalTransition e) {
            throw new ProblemException(HttpStatus.CONFLICT, "Rollout " + id + " is " + rollout.status() + ": "
                    + e.getMessage()).with("status", rollout.status());
        }
        fixes.forEach(rollout::fixComponent);
        rollouts.saveAndFlush(rollout);
        timeline.record(rollout, step, actor, now, null);
        return rollout;
    }

    @Transactional(readOnly = true)
    public List<TimelineEntry> timeline(UUID id) {
        rollouts.findById(id).orElseThrow(() -> ProblemException.notFound("Rollout", id));
        return timeline.of(id);
    }
}
