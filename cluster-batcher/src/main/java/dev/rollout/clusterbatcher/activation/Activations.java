package dev.rollout.clusterbatcher.activation;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import dev.rollout.clusterbatcher.plan.BatchPlans;
import dev.rollout.clusterbatcher.plan.FrozenPlan;
import dev.rollout.clusterbatcher.scaling.ScalingHook;
import dev.rollout.starter.web.ProblemException;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Activates and deactivates batches, the whole fleet, or single components. Each is a write of one row
 * (or one per named component), whatever the number of agents it moves: agents learn the change when
 * they next ask for their desired state.
 */
@Service
public class Activations {

    /** The outcome of one activation change, with the agents it moved and its cost. */
    public record Change(UUID rolloutId, String scope, Integer batch, List<String> components, long agents,
            boolean changed, Instant at, long tookMicros, ScalingHook.Scaled scaled) {
    }

    private final BatchPlans plans;
    private final RolloutStates states;
    private final JdbcTemplate jdbc;
    private final Clock clock;
    private final MeterRegistry meters;
    private final ScalingHook scaling;

    Activations(BatchPlans plans, RolloutStates states, JdbcTemplate jdbc, Clock clock, MeterRegistry meters,
            ScalingHook scaling) {
        this.plans = plans;
        this.states = states;
        this.jdbc = jdbc;
        this.clock = clock;
        this.meters = meters;
        this.scaling = scaling;
    }

    /** Scales ahead of a batch that is about to go live; a Kubernetes API that refuses makes the batch wait. */
    private ScalingHook.Scaled scaleFor(UUID rolloutId, long activeAgentsAfter) {
        try {
            return scaling.beforeActivation(rolloutId, activeAgentsAfter);
        }
        catch (RuntimeException e) {
            throw new ProblemException(HttpStatus.SERVICE_UNAVAILABLE, e.getMessage()
                    + "; the batch was not activated");
        }
    }

    private long activeAgents(FrozenPlan plan, UUID rolloutId) {
        RolloutState state = states.of(rolloutId).orElseThrow();
        return state.fleetActive() ? plan.planner().planned()
                : state.activeBatches().stream().mapToLong(b -> plan.planner().sizeOf(b)).sum();
    }

    /** Activates batch {@code number} (1-based) for the plan's target version. Idempotent. */
    @Transactional
    public Change activate(UUID rolloutId, int number, String actor) {
        long start = System.nanoTime();
        FrozenPlan plan = openPlan(rolloutId);
        int batch = batchIndex(plan, number);
        RolloutState state = states.of(rolloutId).orElseThrow();
        ScalingHook.Scaled scaled = state.activated(batch) ? null
                : scaleFor(rolloutId, activeAgents(plan, rolloutId) + plan.planner().sizeOf(batch));
        boolean changed = upsertActive(rolloutId, batch, actor);
        afterCommit(rolloutId);
        if (changed) {
            meters.counter("rollout.batcher.activations", "scope", "batch").increment();
        }
        return new Change(rolloutId, "BATCH", number, List.of(), plan.planner().sizeOf(batch), changed, clock.instant(),
                (System.nanoTime() - start) / 1000, scaled);
    }

    /** Activates the whole fleet, inside and outside the plan (Phase 4). Idempotent. */
    @Transactional
    public Change activateFleet(UUID rolloutId, String actor) {
        long start = System.nanoTime();
        FrozenPlan plan = openPlan(rolloutId);
        ScalingHook.Scaled scaled = scaleFor(rolloutId, plan.planner().planned());
        boolean changed = upsertActive(rolloutId, RolloutState.FLEET, actor);
        afterCommit(rolloutId);
        return new Change(rolloutId, "FLEET", null, List.of(), plan.planner().planned(), changed, clock.instant(),
                (System.nanoTime() - start) / 1000, scaled);
    }

    private boolean upsertActive(UUID rolloutId, int batch, String actor) {
        Timestamp now = Timestamp.from(clock.instant());
        int inserted = jdbc.update("INSERT INTO activation (rollout_id, batch, activated_by, activated_at)"
                + " VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING", rolloutId, batch, actor, now);
        if (inserted == 1) {
            return true;
        }
        return jdbc.update("UPDATE activation SET activated_by = ?, activated_at = ?, deactivated_by = NULL,"
                + " deactivated_at = NULL, reason = NULL WHERE rollout_id = ? AND batch = ? AND deactivated_at IS NOT NULL",
                actor, now, rolloutId, batch) == 1;
    }

    /** Sends one batch back to the previous version. */
    @Transactional
    public Change deactivate(UUID rolloutId, int number, String reason, String actor) {
        long start = System.nanoTime();
        FrozenPlan plan = existingPlan(rolloutId);
        int batch = batchIndex(plan, number);
        int rows = jdbc.update("UPDATE activation SET deactivated_by = ?, deactivated_at = ?, reason = ?"
                + " WHERE rollout_id = ? AND batch = ? AND deactivated_at IS NULL", actor,
                Timestamp.from(clock.instant()), reason, rolloutId, batch);
        afterCommit(rolloutId);
        return new Change(rolloutId, "BATCH", number, List.of(), plan.planner().sizeOf(batch), rows > 0, clock.instant(),
                (System.nanoTime() - start) / 1000, null);
    }

    /** Sends every activated agent back to the previous version (a full rollback). */
    @Transactional
    public Change deactivateAll(UUID rolloutId, String reason, String actor) {
        long start = System.nanoTime();
        FrozenPlan plan = existingPlan(rolloutId);
        long agents = activeAgents(plan, rolloutId);
        int rows = jdbc.update("UPDATE activation SET deactivated_by = ?, deactivated_at = ?, reason = ?"
                + " WHERE rollout_id = ? AND deactivated_at IS NULL", actor, Timestamp.from(clock.instant()), reason,
                rolloutId);
        afterCommit(rolloutId);
        return new Change(rolloutId, "ALL", null, List.of(), agents, rows > 0, clock.instant(),
                (System.nanoTime() - start) / 1000, null);
    }

    /**
     * Pins components to a version on every activated agent: their previous version for a partial
     * rollback, or a fixed version to re-deploy. The other components keep theirs.
     */
    @Transactional
    public Change pin(UUID rolloutId, List<String> components, String version, String reason, String actor) {
        long start = System.nanoTime();
        FrozenPlan plan = existingPlan(rolloutId);
        Timestamp now = Timestamp.from(clock.instant());
        boolean changed = false;
        for (String component : components) {
            FrozenPlan.ComponentVersions known = plan.components().stream().filter(c -> c.name().equals(component))
                    .findFirst().orElseThrow(() -> ProblemException.unprocessable("Component '" + component
                            + "' is not part of rollout " + rolloutId + "; its components are "
                            + plan.components().stream().map(FrozenPlan.ComponentVersions::name).toList()));
            String target = version == null ? known.previousVersion() : version;
            int updated = jdbc.update("UPDATE component_pin SET version = ?, reason = ?, pinned_by = ?, pinned_at = ?"
                    + " WHERE rollout_id = ? AND component = ? AND version <> ?", target, reason, actor, now, rolloutId,
                    component, target);
            int inserted = jdbc.update("INSERT INTO component_pin (rollout_id, component, version, reason, pinned_by,"
                    + " pinned_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING", rolloutId, component, target,
                    reason, actor, now);
            changed |= updated + inserted > 0;
        }
        afterCommit(rolloutId);
        return new Change(rolloutId, "COMPONENTS", null, List.copyOf(components), activeAgents(plan, rolloutId), changed,
                clock.instant(), (System.nanoTime() - start) / 1000, null);
    }

    /** Lifts the pin of a component: activated agents get the plan's target version again. */
    @Transactional
    public Change unpin(UUID rolloutId, String component, String actor) {
        long start = System.nanoTime();
        existingPlan(rolloutId);
        int rows = jdbc.update("DELETE FROM component_pin WHERE rollout_id = ? AND component = ?", rolloutId, component);
        afterCommit(rolloutId);
        return new Change(rolloutId, "COMPONENTS", null, List.of(component), 0, rows > 0, clock.instant(),
                (System.nanoTime() - start) / 1000, null);
    }

    private FrozenPlan existingPlan(UUID rolloutId) {
        return plans.load(rolloutId).orElseThrow(() -> ProblemException.notFound("Batch plan of rollout", rolloutId));
    }

    private FrozenPlan openPlan(UUID rolloutId) {
        FrozenPlan plan = existingPlan(rolloutId);
        if (plan.closedAt() != null) {
            throw ProblemException.conflict("The plan of rollout " + rolloutId + " was closed at " + plan.closedAt()
                    + "; nothing more can be activated");
        }
        return plan;
    }

    private static int batchIndex(FrozenPlan plan, int number) {
        int count = plan.planner().batchCount();
        if (number < 1 || number > count) {
            throw new ProblemException(HttpStatus.NOT_FOUND, "Batch " + number
                    + " does not exist: the plan has batches 1 to " + count);
        }
        return number - 1;
    }

    private void afterCommit(UUID rolloutId) {
        states.changed(rolloutId);
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCompletion(int status) {
                    states.changed(rolloutId);
                }
            });
        }
    }
}
