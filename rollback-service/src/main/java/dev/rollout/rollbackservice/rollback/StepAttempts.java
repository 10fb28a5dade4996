package dev.rollout.rollbackservice.rollback;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import dev.rollout.rollbackservice.rollback.RollbackTransitions.Event;
import dev.rollout.starter.observability.WorkSpans;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * One attempt at one step of a rollback: its call with the step's Idempotency-Key, and what came of it recorded
 * before the saga goes on (done, to be retried after a backoff that doubles, or given up after {@code maxAttempts}).
 */
@Component
class StepAttempts {

    private static final Logger log = LoggerFactory.getLogger(StepAttempts.class);

    private final RollbackStore store;
    private final Downstream downstream;
    private final Saga.Settings settings;
    private final WorkSpans spans;

    StepAttempts(RollbackStore store, Downstream downstream, Saga.Settings settings, WorkSpans spans) {
        this.store = store;
        this.downstream = downstream;
        this.settings = settings;
        this.spans = spans;
    }

    /**
     * Runs one step in a span of the trace of the request that asked for the rollback (its calls, and its log lines,
     * belong to that trace) and records what came of it: the step's event (done, to be retried, given up).
     */
    Event run(Rollback rollback, RollbackStore.Step step) {
        String key = "rollback:" + rollback.id() + ":" + step.name();
        return spans.inSpan("rollback " + step.name(), rollback.traceparent(), Map.of("rollout.id",
                rollback.rolloutId().toString(), "rollback.id", rollback.id().toString(), "rollout.step",
                step.name().name(), "idempotency.key", key), () -> attempt(rollback, step, key));
    }

    private Event attempt(Rollback rollback, RollbackStore.Step step, String key) {
        store.stepStarted(rollback.id(), step.position());
        String outcome;
        try {
            outcome = downstream.run(rollback, step.name(), key);
        }
        catch (Downstream.Failed e) {
            int attempts = step.attempts() + 1;
            boolean giveUp = attempts >= settings.maxAttempts();
            Instant retryAt = giveUp ? null : Instant.now().plus(settings.backoff().multipliedBy(1L << Math.min(16, attempts - 1)));
            store.stepFailed(rollback.id(), step.position(), e.getMessage(), retryAt, giveUp);
            log.warn("Rollback {} step {} failed (attempt {} of {}): {}", rollback.id(), step.name(), attempts,
                    settings.maxAttempts(), e.getMessage());
            return giveUp ? Event.GIVE_UP_STEP : Event.RETRY_STEP;
        }
        if (settings.failpoints().contains(step.name())) {
            log.error("Failpoint {}: halting after the side effect of {} and before it is recorded", step.name(), key);
            Runtime.getRuntime().halt(137);
        }
        Long flipped = step.name() == SagaStep.REVERT_AGENTS && rollback.receivedAt() != null
                ? Duration.between(rollback.receivedAt(), Instant.now()).toMillis() : null;
        store.stepDone(rollback.id(), step.position(), outcome, flipped);
        return Event.STEP_DONE;
    }
}
