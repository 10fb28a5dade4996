package dev.rollout.phaseengine.notification;

import java.time.Duration;

import dev.rollout.starter.observability.CachedCounts;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * {@code rollout.outbox.pending}: deliveries of the outbox's events to subscriptions not yet made (waiting for their
 * first attempt or for a retry), read from the database at most every 5 s. A backlog that keeps growing means a
 * subscriber that does not answer, or a dispatcher that does not run (docs/operations.md, the alert rules).
 */
@Component
class OutboxMetrics implements MeterBinder {

    private final CachedCounts counts;

    OutboxMetrics(JdbcTemplate jdbc) {
        this.counts = new CachedCounts(jdbc, "SELECT status, count(*) FROM delivery WHERE status = 'PENDING' GROUP BY status",
                Duration.ofSeconds(5));
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("rollout.outbox.pending", () -> counts.get("PENDING"))
                .description("Deliveries of outbox events to subscriptions still to be made").register(registry);
    }
}
