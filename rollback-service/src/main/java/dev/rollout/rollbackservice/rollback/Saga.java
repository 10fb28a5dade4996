package dev.rollout.rollbackservice.rollback;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import jakarta.annotation.PreDestroy;

import dev.rollout.rollbackservice.rollback.RollbackTransitions.Event;
import dev.rollout.starter.observability.LogFields;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Executes rollbacks as durable sagas. A rollback runs at once when it is requested and is picked up again
 * by any replica whose sweep finds it without a live lease (after a crash or a restart): its done steps are
 * skipped, an interrupted step runs again with the same Idempotency-Key, so the other service answers it
 * from the first time. A failing step is retried with backoff; after {@code maxAttempts} the rollback shows
 * FAILED_STEP with the error until on-call resumes it.
 */
@Component
class Saga {

    private static final Logger log = LoggerFactory.getLogger(Saga.class);

    /**
     * @param lease       how long a replica owns a rollback it executes without renewing (real time)
     * @param maxAttempts attempts of a step before the rollback stops at FAILED_STEP
     * @param backoff     wait after the first failed attempt; doubled after each
     * @param failpoints  crash drills: the process halts right after the side effect of these steps, before it
     *                    is recorded. Empty in production.
     */
    @ConfigurationProperties("rollout.rollback")
    record Settings(Duration lease, Integer maxAttempts, Duration backoff, Set<SagaStep> failpoints) {
        Settings {
            lease = lease == null ? Duration.ofSeconds(30) : lease;
            maxAttempts = maxAttempts == null ? 5 : maxAttempts;
            backoff = backoff == null ? Duration.ofSeconds(1) : backoff;
            failpoints = failpoints == null ? Set.of() : Set.copyOf(failpoints);
        }
    }

    private final RollbackStore store;
    private final Rollbacks rollbacks;
    private final Settings settings;
    private final String owner = ManagementFactory.getRuntimeMXBean().getName() + "/" + UUID.randomUUID().toString().substring(0, 8);
    private final Set<UUID> running = ConcurrentHashMap.newKeySet();
    private final ExecutorService executor = Executors.newFixedThreadPool(2, r -> {
        Thread thread = new Thread(r, "rollback-saga");
        thread.setDaemon(true);
        return thread;
    });

    private final MeterRegistry meters;
    private final StepAttempts attempts;

    Saga(RollbackStore store, Rollbacks rollbacks, Settings settings, MeterRegistry meters, StepAttempts attempts) {
        this.meters = meters;
        this.attempts = attempts;
        this.store = store;
        this.rollbacks = rollbacks;
        this.settings = settings;
    }

    /** Runs the rollback now, on a saga thread. */
    void start(UUID rollbackId) {
        executor.submit(() -> run(rollbackId));
    }

    /** Picks up what no replica is executing: after a crash, a restart or a step's backoff. */
    @Scheduled(fixedDelayString = "${rollout.rollback.sweep:PT1S}")
    void sweep() {
        try {
            store.runnable().forEach(this::run);
        }
        catch (RuntimeException e) {
            log.warn("Rollback sweep failed; tried again on the next", e);
        }
    }

    void run(UUID rollbackId) {
        if (!running.add(rollbackId)) {
            return; // this replica is already at it (the sweep met the thread that started it)
        }
        try {
            if (store.claim(rollbackId, owner, settings.lease())) {
                execute(rollbackId);
            }
        }
        finally {
            running.remove(rollbackId);
        }
    }

    private void execute(UUID rollbackId) {
        // every line logged while executing it names the rollback and its rollout (fields of their own in JSON logs)
        MDC.put(LogFields.ROLLBACK, rollbackId.toString());
        try {
            Rollback rollback = rollbacks.findById(rollbackId).orElseThrow();
            MDC.put(LogFields.ROLLOUT, rollback.rolloutId().toString());
            if (runSteps(rollback)) {
                complete(rollback);
            }
        }
        catch (RuntimeException e) {
            log.warn("Rollback {} stopped; the sweep resumes it", rollbackId, e);
        }
        finally {
            store.release(rollbackId, owner);
            MDC.remove(LogFields.ROLLBACK);
            MDC.remove(LogFields.ROLLOUT);
        }
    }

    /**
     * Runs the steps in order from the first not done, as the transition table allows; true once every step is done,
     * false when one failed (retried after its backoff, or waiting for on-call once it gave up).
     */
    private boolean runSteps(Rollback rollback) {
        List<RollbackStore.Step> steps = store.steps(rollback.id());
        // this replica has just claimed it: a step that a replica before it left RUNNING is run again
        RollbackTransitions.State state = RollbackTransitions.apply(new RollbackTransitions.State(rollback.status(),
                steps.stream().map(RollbackStore.Step::status).toList()), Event.CLAIM, -1);
        for (int next = state.next(); next >= 0; next = state.next()) {
            RollbackStore.Step step = steps.get(next);
            if (!RollbackTransitions.allowed(state, Event.START_STEP, next)) {
                return false; // a failed step: the rollback waits for on-call
            }
            if (step.nextAttemptAt() != null && step.nextAttemptAt().isAfter(Instant.now())) {
                return false; // backing off: the sweep comes back
            }
            Event outcome;
            try (MDC.MDCCloseable named = MDC.putCloseable(LogFields.STEP, step.name().name())) {
                outcome = attempts.run(rollback, step);
            }
            state = RollbackTransitions.apply(RollbackTransitions.apply(state, Event.START_STEP, next), outcome, next);
            if (outcome != Event.STEP_DONE) {
                return false;
            }
            store.claim(rollback.id(), owner, settings.lease()); // renew between steps
        }
        RollbackTransitions.apply(state, Event.COMPLETE, -1);
        return true;
    }

    /** Every step done: the rollback is COMPLETED, and how long the agents took to flip back is recorded. */
    private void complete(Rollback rollback) {
        store.completed(rollback.id());
        Long flipped = rollbacks.findById(rollback.id()).map(Rollback::flippedAfterMs).orElse(null);
        if (flipped != null) {
            meters.timer("rollout.rollback.flip", "scope", rollback.scope().name()).record(Duration.ofMillis(flipped));
        }
        log.info("Rollback {} of rollout {} completed ({} ms to flip the agents)", rollback.id(), rollback.rolloutId(),
                flipped);
    }

    @PreDestroy
    void stop() {
        executor.shutdownNow();
    }

    List<RollbackStore.Step> steps(UUID rollbackId) {
        return store.steps(rollbackId);
    }
}
