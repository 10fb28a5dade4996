package dev.rollout.rollbackservice.rollback;

import java.time.Duration;

import dev.rollout.starter.observability.CachedCounts;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * {@code rollout.rollbacks.current{status}}: how many rollbacks stand in each state, read from the database at most
 * every 5 s; a rollback in FAILED_STEP waits for on-call (docs/operations.md).
 */
@Component
class RollbackMetrics implements MeterBinder {

    private final CachedCounts counts;

    RollbackMetrics(JdbcTemplate jdbc) {
        this.counts = new CachedCounts(jdbc, "SELECT status, count(*) FROM rollback GROUP BY status", Duration.ofSeconds(5));
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        for (RollbackStatus status : RollbackStatus.values()) {
            Gauge.builder("rollout.rollbacks.current", () -> counts.get(status.name())).tag("status", status.name())
                    .description("Rollbacks in this state").register(registry);
        }
    }
}
