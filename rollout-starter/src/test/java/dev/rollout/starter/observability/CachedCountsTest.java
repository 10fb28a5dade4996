package dev.rollout.starter.observability;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import dev.rollout.starter.test.MutableClock;
import org.junit.jupiter.api.Test;

/** A gauge's counts are read at most once a period, whatever the scrape rate, and outlive a failed read. */
class CachedCountsTest {

    @Test
    void readsAtMostOnceAPeriodAndKeepsTheLastCountsWhenTheReadFails() {
        MutableClock clock = new MutableClock(Instant.parse("2026-12-02T10:00:00Z"));
        AtomicInteger reads = new AtomicInteger();
        AtomicReference<Map<String, Long>> database = new AtomicReference<>(Map.of("FAILED_STEP", 2L));
        CachedCounts counts = new CachedCounts(() -> {
            reads.incrementAndGet();
            Map<String, Long> answer = database.get();
            if (answer == null) {
                throw new IllegalStateException("the database does not answer");
            }
            return answer;
        }, Duration.ofSeconds(5), clock);

        assertThat(counts.get("FAILED_STEP")).isEqualTo(2);
        assertThat(counts.get("RUNNING")).as("a key the query did not name").isZero();
        database.set(Map.of("FAILED_STEP", 3L));
        clock.advance(Duration.ofSeconds(4));
        assertThat(counts.get("FAILED_STEP")).as("within the period: the counts read before").isEqualTo(2);
        assertThat(reads).hasValue(1);

        clock.advance(Duration.ofSeconds(1));
        assertThat(counts.get("FAILED_STEP")).isEqualTo(3);
        database.set(null);
        clock.advance(Duration.ofSeconds(5));
        assertThat(counts.get("FAILED_STEP")).as("the read failed: the last counts stay").isEqualTo(3);
        assertThat(reads).hasValue(3);
    }
}
