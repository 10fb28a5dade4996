package dev.rollout.metricsgate.statistics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class StatisticsTest {

    @Test
    void theNormalQuantileMatchesTheTables() {
        assertThat(Statistics.z(0.95)).isCloseTo(1.959964, within(1e-6));
        assertThat(Statistics.z(0.99)).isCloseTo(2.575829, within(1e-6));
        assertThat(Statistics.z(0.90)).isCloseTo(1.644854, within(1e-6));
    }

    @Test
    void wilsonIntervalsMatchPublishedValues() {
        // Newcombe (1998), method 3: 81 of 263 -> 0.2553 to 0.3662; 15 of 148 -> 0.0624 to 0.1605
        Interval a = Statistics.wilson(81, 263, 0.95);
        assertThat(a.low()).isCloseTo(0.2553, within(1e-4));
        assertThat(a.high()).isCloseTo(0.3662, within(1e-4));
        Interval b = Statistics.wilson(15, 148, 0.95);
        assertThat(b.low()).isCloseTo(0.0624, within(1e-4));
        assertThat(b.high()).isCloseTo(0.1605, within(1e-4));
    }

    @Test
    void wilsonBehavesAtZeroAndAtAll() {
        Interval none = Statistics.wilson(0, 100, 0.95);
        assertThat(none.low()).isZero();
        assertThat(none.high()).isCloseTo(0.0370, within(1e-4));
        Interval all = Statistics.wilson(100, 100, 0.95);
        assertThat(all.high()).isEqualTo(1.0);
        assertThat(all.low()).isCloseTo(0.9630, within(1e-4));
    }

    @Test
    void aFewSamplesGiveAWideIntervalAndManyANarrowOne() {
        Interval few = Statistics.wilson(2, 150, 0.95);
        Interval many = Statistics.wilson(1_333, 100_000, 0.95);
        assertThat(few.low()).isLessThan(0.01);
        assertThat(few.high()).isGreaterThan(0.01);
        assertThat(many.low()).isGreaterThan(0.01);
    }

    @Test
    void meanIntervalsNarrowWithTheCount() {
        Interval two = Statistics.mean(2, 9, 41, 0.95);
        assertThat(two.estimate()).isEqualTo(4.5);
        assertThat(two.low()).isLessThan(4.0);
        Interval many = Statistics.mean(100, 450, 100 * 20.25 + 99 * 0.25, 0.95);
        assertThat(many.low()).isGreaterThan(4.0);
    }

    @Test
    void refusesImpossibleInput() {
        assertThatThrownBy(() -> Statistics.wilson(1, 0, 0.95)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Statistics.wilson(5, 4, 0.95)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Statistics.z(1.0)).isInstanceOf(IllegalArgumentException.class);
    }
}
