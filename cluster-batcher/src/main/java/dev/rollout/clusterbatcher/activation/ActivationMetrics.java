package dev.rollout.clusterbatcher.activation;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.springframework.stereotype.Component;

/**
 * Batch progress of the rollout in progress, for dashboards and for an autoscaler: batches active,
 * batches planned and agents active. Agent traffic itself is measured by {@code rollout.agent.*} and
 * {@code http.server.requests{uri="/agent/v1/..."}}.
 */
@Component
class ActivationMetrics implements MeterBinder {

    private final RolloutStates states;

    ActivationMetrics(RolloutStates states) {
        this.states = states;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("rollout.batcher.batches.active", () -> states.current()
                .map(s -> s.fleetActive() ? s.plan().planner().batchCount() : s.activeBatches().size()).orElse(0))
                .description("Batches of the rollout in progress that are active").register(registry);
        Gauge.builder("rollout.batcher.batches.planned", () -> states.current()
                .map(s -> s.plan().planner().batchCount()).orElse(0))
                .description("Batches in the plan of the rollout in progress").register(registry);
        Gauge.builder("rollout.batcher.agents.active", () -> states.current().map(s -> s.fleetActive()
                ? s.plan().planner().planned()
                : s.activeBatches().stream().mapToLong(b -> s.plan().planner().sizeOf(b)).sum()).orElse(0L))
                .description("Agents of the rollout in progress that are asked to run the new version").register(registry);
    }
}
