package dev.rollout.phaseengine.reconcile;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import dev.rollout.phaseengine.leadership.LeaderLease;
import dev.rollout.phaseengine.rollout.Condition;
import dev.rollout.phaseengine.rollout.EvaluationSummary;
import dev.rollout.phaseengine.rollout.Progress;
import dev.rollout.phaseengine.rollout.Rollout;
import dev.rollout.starter.observability.LogFields;
import dev.rollout.starter.observability.WorkSpans;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.stereotype.Component;

/**
 * How the reconciler takes a step with a side effect, exactly once: the step is recorded, its side effect done with
 * the Idempotency-Key of (rollout, step), then its outcome committed with the rollout's transition. After a crash in
 * between, the same step runs again with the same key and the other service answers it from the first time; a step
 * whose service does not answer is recorded as failed, shown as the rollout's condition and tried again with backoff.
 */
@Component
class StepExecution {

    private static final Logger log = LoggerFactory.getLogger(StepExecution.class);
    private static final Duration RETRY_CAP = Duration.ofMinutes(2);

    private final Steps steps;
    private final ReconcileProperties properties;
    private final Clock clock;
    private final WorkSpans spans;

    StepExecution(Steps steps, ReconcileProperties properties, Clock clock, WorkSpans spans) {
        this.steps = steps;
        this.properties = properties;
        this.clock = clock;
        this.spans = spans;
    }

    /** Records the step, runs its side effect with the step's key, and commits its outcome with the transition. */
    void step(Rollout rollout, StepKind kind, String stepKey, EvaluationSummary verdict, LeaderLease.Held held,
            Function<String, String> effect, Function<Rollout, List<Progress.Step>> change) {
        String key = rollout.id() + ":" + stepKey;
        if (!steps.due(rollout.id(), stepKey, properties.interval(), RETRY_CAP)) {
            return; // failed a moment ago: backing off
        }
        try (MDC.MDCCloseable named = MDC.putCloseable(LogFields.STEP, stepKey)) {
            run(rollout, kind, stepKey, key, verdict, held, effect, change);
        }
    }

    private void run(Rollout rollout, StepKind kind, String stepKey, String key, EvaluationSummary verdict,
            LeaderLease.Held held, Function<String, String> effect, Function<Rollout, List<Progress.Step>> change) {
        steps.begin(rollout.id(), stepKey, held);
        String outcome;
        try {
            // a trace of the step's own: its calls to the other services (and a rollback it asks for) are spans of it
            outcome = spans.inSpan("reconcile " + stepKey, null, Map.of("rollout.id", rollout.id().toString(),
                    "rollout.step", stepKey, "idempotency.key", key), () -> effect.apply(key));
        }
        catch (Dependencies.Unavailable e) {
            steps.failed(rollout.id(), stepKey, e.getMessage(), held);
            List<Condition> conditions = new ArrayList<>(rollout.conditions().stream()
                    .filter(c -> !c.type().equals(Condition.DEPENDENCIES)).toList());
            conditions.add(unavailable(e, clock.instant()));
            steps.observe(rollout, conditions, null, held);
            return;
        }
        Failpoints.afterSideEffect(properties, kind, key);
        steps.commit(rollout, stepKey, outcome, verdict == null ? null : verdict.link(), held, r -> {
            List<Progress.Step> made = change.apply(r);
            // a transition leaves the old position's conditions behind: the next pass observes the new one
            List<Condition> conditions = new ArrayList<>(r.conditions().stream()
                    .filter(c -> made.isEmpty() && !c.type().equals(Condition.DEPENDENCIES)).toList());
            conditions.add(new Condition(Condition.DEPENDENCIES, true, "Answering", "every service answered", clock.instant()));
            r.conditions(conditions);
            return made;
        });
        log.info("Rollout {}: {} ({})", rollout.id(), stepKey, outcome);
    }

    /** The rollout's condition while a service it depends on does not answer. */
    static Condition unavailable(Dependencies.Unavailable e, Instant now) {
        return new Condition(Condition.DEPENDENCIES, false, "Unavailable", e.getMessage(), now);
    }
}
