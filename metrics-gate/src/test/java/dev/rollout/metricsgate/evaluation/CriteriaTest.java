package dev.rollout.metricsgate.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

/** The error-rate trigger on a batch, as the plan states it: above 1% rolls back. */
class CriteriaTest {

    static Measurement errorRate(long errors, long requests) {
        return Criteria.rateAtMost(Kpi.ERROR_RATE_TRIGGER, "batch", "errors / requests", errors, requests, 0.01, 0.95, 100,
                List.of());
    }

    @Test
    void rollsBackWhenTheLowerBoundIsAboveOnePercent() {
        Measurement m = errorRate(300, 10_000);
        assertThat(m.verdict()).isEqualTo(Verdict.FAIL);
        assertThat(m.confidenceLow()).isGreaterThan(0.01);
        assertThat(m.reason()).contains("entirely above 1%").contains("300 of 10000");
        assertThat(RollUp.decide(List.of(m)).verdict()).isEqualTo(GateVerdict.ROLLBACK);
    }

    @Test
    void holdsWhileTheIntervalStraddlesOnePercentAndPassesOnceEnoughSamplesAgree() {
        Measurement few = errorRate(2, 150);
        assertThat(few.verdict()).isEqualTo(Verdict.INCONCLUSIVE);
        assertThat(few.confidenceLow()).isLessThan(0.01);
        assertThat(few.confidenceHigh()).isGreaterThan(0.01);
        assertThat(few.reason()).contains("straddles 1%");
        assertThat(RollUp.decide(List.of(few)).verdict()).isEqualTo(GateVerdict.HOLD);

        Measurement many = errorRate(200, 50_000);
        assertThat(many.verdict()).isEqualTo(Verdict.PASS);
        assertThat(many.confidenceHigh()).isLessThan(0.01);
    }

    @Test
    void aComponentsTriggerRollsBackOnlyThatComponent() {
        Measurement planner = Criteria.rateAtMost(Kpi.ERROR_RATE_TRIGGER, "samples", "planner", 500L, 10_000L, 0.01, 0.95, 100,
                List.of("planner"));
        Measurement memory = Criteria.rateAtMost(Kpi.ERROR_RATE_TRIGGER, "samples", "memory", 10L, 10_000L, 0.01, 0.95, 100,
                List.of("memory"));
        RollUp.Decision decision = RollUp.decide(List.of(planner, memory));
        assertThat(decision.verdict()).isEqualTo(GateVerdict.ROLLBACK);
        assertThat(decision.scope()).isEqualTo(RollUp.Scope.PARTIAL);
        assertThat(decision.components()).containsExactly("planner");
    }

    @Test
    void degradationAboveTwentyPercentRollsBack() {
        assertThat(Criteria.degradation("s", "q", 130.0, 100.0, 0.2, List.of()).verdict()).isEqualTo(Verdict.FAIL);
        assertThat(Criteria.degradation("s", "q", 115.0, 100.0, 0.2, List.of()).verdict()).isEqualTo(Verdict.PASS);
    }
}
