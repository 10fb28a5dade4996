package dev.rollout.starter.observability;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Counts read from the database for gauges ({@code key -> count}, by a query answering two columns), read again at
 * most once per {@code every} whatever the scrape rate; when the database does not answer, the last counts stay (the
 * service's readiness says the rest). One instance per query; every replica reads the same figures, so a rule
 * aggregates them with {@code max}, not {@code sum}.
 */
public final class CachedCounts {

    private final Supplier<Map<String, Long>> read;
    private final Duration every;
    private final Clock clock;
    private volatile Map<String, Long> counts = Map.of();
    private volatile Instant readAt = Instant.EPOCH;

    public CachedCounts(JdbcTemplate jdbc, String sql, Duration every) {
        this(() -> {
            Map<String, Long> fresh = new HashMap<>();
            jdbc.query(sql, rs -> {
                fresh.put(rs.getString(1), rs.getLong(2));
            });
            return fresh;
        }, every, Clock.systemUTC());
    }

    /** Counts from any read (one that depends on the service's state, say). */
    public CachedCounts(Supplier<Map<String, Long>> read, Duration every) {
        this(read, every, Clock.systemUTC());
    }

    CachedCounts(Supplier<Map<String, Long>> read, Duration every, Clock clock) {
        this.read = read;
        this.every = every;
        this.clock = clock;
    }

    /** The count of {@code key}, 0 when the query did not name it. */
    public long get(String key) {
        Instant now = clock.instant();
        if (!readAt.plus(every).isAfter(now)) {
            try {
                counts = Map.copyOf(read.get());
            }
            catch (RuntimeException e) {
                // the database is down: the last figures stay
            }
            readAt = now;
        }
        return counts.getOrDefault(key, 0L);
    }
}
