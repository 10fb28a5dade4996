package dev.rollout.metricsgate.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/** No input, however arranged, turns missing or thin data into PASS. */
class RollUpProperties {

    @Provide
    Arbitrary<Measurement> measurements() {
        return Combinators.combine(Arbitraries.of(Kpi.values()), Arbitraries.of(Verdict.values()),
                Arbitraries.of(List.<String>of(), List.of("planner"), List.of("memory", "planner")))
                .as((kpi, verdict, components) -> new Measurement(kpi, kpi.trigger(), "test", "q", 0.0, 1L, "t", null, null,
                        verdict, "r", components, Map.of()));
    }

    @Provide
    Arbitrary<List<Measurement>> measurementLists() {
        return measurements().list().ofMaxSize(12);
    }

    @Property(tries = 2000)
    void anyInconclusiveMeasurementKeepsTheGateFromPassing(@ForAll("measurementLists") List<Measurement> measured,
            @ForAll("measurements") Measurement missing) {
        List<Measurement> all = new ArrayList<>(measured);
        all.add(new Measurement(missing.kpi(), missing.trigger(), "test", "q", null, null, "t", null, null,
                Verdict.INCONCLUSIVE, "no data", List.of(), Map.of()));
        assertThat(RollUp.decide(all).verdict()).isNotEqualTo(GateVerdict.PASS);
    }

    @Property(tries = 500)
    void nothingMeasuredIsAHoldNeverAPass() {
        assertThat(RollUp.decide(List.of()).verdict()).isEqualTo(GateVerdict.HOLD);
    }

    @Property(tries = 2000)
    void aFailedTriggerAlwaysRollsBackAndIsPartialOnlyWhenConfinedToComponents(
            @ForAll("measurementLists") List<Measurement> measured) {
        RollUp.Decision decision = RollUp.decide(measured);
        List<Measurement> failedTriggers = measured.stream().filter(m -> m.trigger() && m.verdict() == Verdict.FAIL).toList();
        if (failedTriggers.isEmpty()) {
            assertThat(decision.verdict()).isNotEqualTo(GateVerdict.ROLLBACK);
        }
        else {
            assertThat(decision.verdict()).isEqualTo(GateVerdict.ROLLBACK);
            boolean confined = failedTriggers.stream().allMatch(m -> !m.components().isEmpty());
            assertThat(decision.scope()).isEqualTo(confined ? RollUp.Scope.PARTIAL : RollUp.Scope.FULL);
        }
    }

    @Property(tries = 2000)
    void aRateWithTooFewOrNoSamplesIsNeverAPass(@ForAll @LongRange(min = 0, max = 99) long trials,
            @ForAll @IntRange(min = 0, max = 100) int percentErrors, @ForAll @DoubleRange(min = 0.01, max = 0.5) double max) {
        long events = trials * percentErrors / 100;
        Measurement few = Criteria.rateAtMost(Kpi.ERROR_RATE_TRIGGER, "s", "q", events, trials, max, 0.95, 100, List.of());
        assertThat(few.verdict()).isEqualTo(Verdict.INCONCLUSIVE);
        Measurement none = Criteria.rateAtMost(Kpi.ERROR_RATE_TRIGGER, "s", "q", null, null, max, 0.95, 1, List.of());
        assertThat(none.verdict()).isEqualTo(Verdict.INCONCLUSIVE);
        Measurement atLeast = Criteria.rateAtLeast(Kpi.AGENT_RESPONSE_RATE, "s", "q", events, trials, max, 0.95, 100, List.of());
        assertThat(atLeast.verdict()).isEqualTo(Verdict.INCONCLUSIVE);
    }

    @Property(tries = 1000)
    void nanOrMissingValuesAreNeverAPass(@ForAll @DoubleRange(min = 1, max = 1000) double max) {
        assertThat(Criteria.valueBelow(Kpi.RESPONSE_TIME, "s", "q", Double.NaN, 1000L, max, 1, " ms").verdict())
                .isEqualTo(Verdict.INCONCLUSIVE);
        assertThat(Criteria.valueBelow(Kpi.RESPONSE_TIME, "s", "q", null, null, max, 1, " ms").verdict())
                .isEqualTo(Verdict.INCONCLUSIVE);
        assertThat(Criteria.degradation("s", "q", Double.NaN, 100.0, 0.2, List.of()).verdict()).isEqualTo(Verdict.INCONCLUSIVE);
        assertThat(Criteria.degradation("s", "q", 100.0, null, 0.2, List.of()).verdict()).isEqualTo(Verdict.INCONCLUSIVE);
        assertThat(Criteria.meanAbove(Kpi.SATISFACTION, "s", "q", 0, 0, 0, 4.0, 0.95, 5).verdict())
                .isEqualTo(Verdict.INCONCLUSIVE);
    }
}
