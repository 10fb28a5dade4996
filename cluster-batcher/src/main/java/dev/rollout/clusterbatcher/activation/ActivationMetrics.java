package dev.rollout.clusterbatcher.activation;

import java.time.Duration;
import java.util.Map;

import dev.rollout.starter.observability.CachedCounts;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Batch progress of the rollout in progress, for dashboards, alerts and an autoscaler: batches active, batches
 * planned, agents active and agents of the active batches that have acknowledged (read from the batches' tallies at
 * most every 5 s; their ratio is the agent response rate). Agent traffic itself is measured by
 * {@code rollout.agent.*} and {@code http.server.requests{uri="/agent/v1/..."}}.
 */
@Component
class ActivationMetrics implements MeterBinder {

    private final RolloutStates states;
    private final CachedCounts answered;

    ActivationMetrics(RolloutStates states, JdbcTemplate jdbc) {
        this.states = states;
        this.answered = new CachedCounts(() -> states.current().map(s -> {
            Long acks = s.fleetActive()
                    ? jdbc.queryForObject("SELECT coalesce(sum(acks), 0) FROM ack_tally WHERE rollout_id = ?", Long.class,
                            s.rolloutId())
                    : jdbc.queryForObject("SELECT coalesce(sum(acks), 0) FROM ack_tally WHERE rollout_id = ?"
                            + " AND batch = ANY (?)", Long.class, s.rolloutId(), s.activeBatches().toArray(Integer[]::new));
            return Map.of("answered", acks == null ? 0L : acks);
        }).orElse(Map.of()), Duration.ofSeconds(5));
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
        Gauge.builder("rollout.batcher.agents.answered", () -> answered.get("answered"))
                .description("Acknowledgements of the active batches' agents (of the rollout in progress)").register(registry);
    }
}
