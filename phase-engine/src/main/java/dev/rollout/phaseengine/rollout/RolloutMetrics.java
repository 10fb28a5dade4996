package dev.rollout.phaseengine.rollout;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/** {@code rollout.rollouts{status}}: how many rollouts stand in each state, read from the database (at most every 5 s). */
@Component
class RolloutMetrics implements MeterBinder {

    private final JdbcTemplate jdbc;
    private volatile Map<RolloutStatus, Long> counts = new EnumMap<>(RolloutStatus.class);
    private volatile Instant readAt = Instant.EPOCH;

    RolloutMetrics(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        for (RolloutStatus status : RolloutStatus.values()) {
            Gauge.builder("rollout.rollouts", () -> counts().getOrDefault(status, 0L)).tag("status", status.name())
                    .description("Rollouts in this state").register(registry);
        }
    }

    private Map<RolloutStatus, Long> counts() {
        if (readAt.plus(Duration.ofSeconds(5)).isBefore(Instant.now())) {
            Map<RolloutStatus, Long> fresh = new EnumMap<>(RolloutStatus.class);
            try {
                jdbc.query("SELECT status, count(*) FROM rollout GROUP BY status",
                        rs -> {
                            fresh.put(RolloutStatus.valueOf(rs.getString(1)), rs.getLong(2));
                        });
                counts = fresh;
            }
            catch (RuntimeException e) {
                // the database is down: the last figures stay, readiness says the rest
            }
            readAt = Instant.now();
        }
        return counts;
    }
}
