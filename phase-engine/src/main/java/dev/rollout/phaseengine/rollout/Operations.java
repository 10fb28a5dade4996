package dev.rollout.phaseengine.rollout;

import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

import dev.rollout.phaseengine.rollout.RolloutRequests.TimelineEntry;
import dev.rollout.starter.web.ProblemException;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

/** The manual operations of a rollout, each a transition of its state machine kept in the timeline. */
@Service
public class Operations {

    private final Rollouts rollouts;
    private final Timeline timeline;
    private final Clock clock;
    private final TransactionTemplate tx;

    Operations(Rollouts rollouts, Timeline timeline, Clock clock, PlatformTransactionManager transactions) {
        this.rollouts = rollouts;
        this.timeline = timeline;
        this.clock = clock;
        this.tx = new TransactionTemplate(transactions);
    }

    /** A person's (or a service's) intent on a rollout: the step it took, or {@code null} for a repeat that changes nothing. */
    @FunctionalInterface
    public interface Intent {
        Progress.Step take(Rollout rollout, Instant now);
    }

    /**
     * After a partial rollback, the fixed component versions: the rollout continues in its phase with them.
     * Repeating it once the rollout has continued with the same versions changes nothing.
     */
    public Rollout continueWithFix(UUID id, Map<String, String> fixes, String reason, String actor) {
        return change(id, actor, (rollout, now) -> {
            Map<String, String> current = new HashMap<>();
            rollout.components().forEach(c -> current.put(c.name(), c.version()));
            List<String> unknown = fixes.keySet().stream().filter(name -> !current.containsKey(name)).toList();
            if (!unknown.isEmpty()) {
                throw ProblemException.unprocessable("Rollout " + id + " has no component " + String.join(", ", unknown))
                        .with("components", current.keySet());
            }
            boolean applied = fixes.entrySet().stream().allMatch(f -> f.getValue().equals(current.get(f.getKey())));
            if (applied && rollout.status() != RolloutStatus.PARTIALLY_ROLLED_BACK) {
                return null;
            }
            return rollout.continueWithFix(fixes, reason, now);
        });
    }

    @Transactional(readOnly = true)
    public List<TimelineEntry> timeline(UUID id) {
        rollouts.findById(id).orElseThrow(() -> ProblemException.notFound("Rollout", id));
        return timeline.of(id);
    }

    /**
     * The one way a person's or a service's command changes a rollout: load it (404), let the intent take its step (or
     * none, for a repeat that changes nothing), refuse an illegal transition with a 409 that says the rollout's status
     * and from where the command is allowed, save, and keep the step in the timeline.
     */
    public Rollout change(UUID id, String actor, Intent intent) {
        return retrying(() -> {
            Rollout rollout = rollouts.findById(id).orElseThrow(() -> ProblemException.notFound("Rollout", id));
            Instant now = clock.instant();
            Progress.Step step;
            try {
                step = intent.take(rollout, now);
            }
            catch (Progress.IllegalTransition e) {
                ProblemException conflict = new ProblemException(HttpStatus.CONFLICT, "Rollout " + id + " is "
                        + rollout.status() + ": " + e.getMessage()).with("status", rollout.status());
                throw e.command() == null ? conflict : conflict.with("allowedFrom", Transitions.allowedFrom(e.command()));
            }
            if (step == null) {
                return rollout;
            }
            rollouts.saveAndFlush(rollout);
            timeline.record(rollout, step, actor, now, null);
            return rollout;
        });
    }

    /**
     * Runs a change of a rollout in its own transaction, again (up to three times) when the reconcile loop
     * wrote the same rollout in between: a person's command is not refused for the loop's bookkeeping.
     */
    private Rollout retrying(Supplier<Rollout> change) {
        for (int attempt = 1;; attempt++) {
            try {
                return tx.execute(status -> change.get());
            }
            catch (OptimisticLockingFailureException e) {
                if (attempt == 3) {
                    throw e;
                }
            }
        }
    }
}
