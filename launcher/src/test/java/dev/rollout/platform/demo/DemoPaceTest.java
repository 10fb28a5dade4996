package dev.rollout.platform.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class DemoPaceTest {

    @Test
    void aWindowOutlastsTheSlowestOfTheLastThreeBatchesWithItsMargin() {
        DemoPace pace = new DemoPace();
        double speed = pace.afterBatch(10.0);
        assertThat(DemoPace.windowSeconds(speed)).isCloseTo(DemoPace.MARGIN * 10 + DemoPace.SLACK_SECONDS,
                within(1e-9));
        pace.afterBatch(14.0);
        pace.afterBatch(9.0);
        // the slow batch still counts...
        assertThat(DemoPace.windowSeconds(pace.afterBatch(9.5))).isCloseTo(
                DemoPace.MARGIN * 14 + DemoPace.SLACK_SECONDS,
                within(1e-9));
        // ...until three faster ones have answered since
        assertThat(DemoPace.windowSeconds(pace.afterBatch(9.0))).isCloseTo(
                DemoPace.MARGIN * 9.5 + DemoPace.SLACK_SECONDS,
                within(1e-9));
    }

    @Test
    void theFirstBatchIsPacedFromTheRegistrationWithRoomForItsListing() {
        // 20,000,000 agents registered in 160 s: 8 s per 1,000,000; the first batch is listed and answers within ~40 s
        double speed = new DemoPace().afterRegistration(160.0 / 20_000_000, 1_000_000);
        assertThat(DemoPace.windowSeconds(speed)).isCloseTo(DemoPace.MARGIN * 40 + DemoPace.SLACK_SECONDS,
                within(1e-6));
    }

    @Test
    void theSpeedStaysWithinItsBounds() {
        assertThat(DemoPace.speedFor(0.5)).isEqualTo(DemoPace.MAX_SPEED);
        // however fast a batch answers, its window keeps the slack for the gate and the reconciler
        assertThat(DemoPace.windowSeconds(new DemoPace().afterBatch(0.001)))
                .isGreaterThanOrEqualTo(DemoPace.SLACK_SECONDS);
        assertThat(new DemoPace().afterBatch(10_000)).isEqualTo(DemoPace.MIN_SPEED);
        assertThat(DemoPace.guess(1_000_000)).isCloseTo(21_600 / 16.0, within(1e-9));
    }
}
