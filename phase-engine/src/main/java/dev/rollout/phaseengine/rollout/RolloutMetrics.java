package dev.rollout.phaseengine.rollout;

import java.time.Duration;

import dev.rollout.starter.observability.CachedCounts;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/** {@code rollout.rollouts{status}}: how many rollouts stand in each state, read from the database (at most every 5 s). */
@Component
class RolloutMetrics implements MeterBinder {

    private final CachedCounts counts;

    RolloutMetrics(JdbcTemplate jdbc) {
        this.counts = new CachedCounts(jdbc, "SELECT status, count(*) FROM rollout GROUP BY status", Duration.ofSeconds(5));
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        for (RolloutStatus status : RolloutStatus.values()) {
            Gauge.builder("rollout.rollouts", () -> counts.get(status.name())).tag("status", status.name())
                    .description("Rollouts in this state").register(registry);
        }
    }
}
