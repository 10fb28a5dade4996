package dev.rollout.metricsgate.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import dev.rollout.metricsgate.policy.KpiPolicy;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * The analysis limits, without I/O: Argo's failureLimit, consecutiveErrorLimit and inconclusiveLimit over a KPI's
 * history in the same phase and batch.
 */
class AnalysisLimitsTest {

    static Measurement measured(Kpi kpi, Verdict verdict, Map<String, Object> figures) {
        return new Measurement(kpi, kpi.trigger(), "test", "q", verdict == Verdict.INCONCLUSIVE ? null : 0.5, 40L, "t",
                null, null, verdict, verdict == Verdict.INCONCLUSIVE ? "40 of 100 samples" : "measured", List.of(), figures);
    }

    static KpiPolicy policy(String key, double value) {
        return KpiPolicy.withOverrides(Map.of(key, value));
    }

    @Test
    void byDefaultTheFirstInconclusiveMeasurementConcludesAHold() {
        List<Measurement> limited = AnalysisLimits.apply(List.of(measured(Kpi.AVAILABILITY, Verdict.INCONCLUSIVE, Map.of()),
                measured(Kpi.RESPONSE_TIME, Verdict.PASS, Map.of())), Map.of(), Map.of(), KpiPolicy.defaults());

        assertThat(limited.get(0).figures()).doesNotContainKey(AnalysisLimits.TOLERATED);
        RollUp.Decision decision = RollUp.decide(limited);
        assertThat(decision.verdict()).isEqualTo(GateVerdict.HOLD);
        assertThat(decision.conclusive()).isTrue();
    }

    @Test
    void withinTheInconclusiveLimitTheAnalysisGoesOnAndBeyondItTheHoldConcludes() {
        KpiPolicy policy = policy("inconclusiveLimit", 2);
        List<Measurement> now = List.of(measured(Kpi.AVAILABILITY, Verdict.INCONCLUSIVE, Map.of()),
                measured(Kpi.RESPONSE_TIME, Verdict.PASS, Map.of()));

        List<Measurement> second = AnalysisLimits.apply(now, Map.of(Kpi.AVAILABILITY, List.of(Verdict.INCONCLUSIVE)),
                Map.of(), policy);
        assertThat(second.get(0).verdict()).as("never a PASS for missing data").isEqualTo(Verdict.INCONCLUSIVE);
        assertThat(second.get(0).reason()).endsWith("(inconclusive 2 of 2 tolerated: measured again)");
        assertThat(RollUp.decide(second).verdict()).isEqualTo(GateVerdict.HOLD);
        assertThat(RollUp.decide(second).conclusive()).isFalse();

        List<Measurement> third = AnalysisLimits.apply(now, Map.of(Kpi.AVAILABILITY,
                List.of(Verdict.INCONCLUSIVE, Verdict.PASS, Verdict.INCONCLUSIVE)), Map.of(), policy);
        assertThat(third.get(0).figures()).doesNotContainKey(AnalysisLimits.TOLERATED);
        assertThat(RollUp.decide(third).conclusive()).as("3 inconclusive measurements, 2 tolerated").isTrue();
    }

    @Test
    void aHoldForAnythingElseThanAToleratedInconclusiveMeasurementConcludes() {
        KpiPolicy policy = policy("inconclusiveLimit", 5);
        List<Measurement> limited = AnalysisLimits.apply(List.of(measured(Kpi.AVAILABILITY, Verdict.INCONCLUSIVE, Map.of()),
                measured(Kpi.RESPONSE_TIME, Verdict.FAIL, Map.of())), Map.of(), Map.of(), policy);

        RollUp.Decision decision = RollUp.decide(limited);
        assertThat(decision.verdict()).isEqualTo(GateVerdict.HOLD);
        assertThat(decision.conclusive()).as("a failed KPI does not go away by measuring again").isTrue();
    }

    @Test
    void aFailureWithinTheFailureLimitIsToleratedAndProviderErrorsBeyondTheirLimitAreCalledOut() {
        List<Measurement> tolerated = AnalysisLimits.apply(List.of(measured(Kpi.RESPONSE_TIME, Verdict.FAIL, Map.of())),
                Map.of(Kpi.RESPONSE_TIME, List.of(Verdict.PASS)), Map.of(), policy("failureLimit", 1));
        assertThat(tolerated.get(0).verdict()).isEqualTo(Verdict.INCONCLUSIVE);
        assertThat(tolerated.get(0).reason()).endsWith("(failure 1 of 1 tolerated)");

        List<Measurement> errors = AnalysisLimits.apply(List.of(measured(Kpi.AVAILABILITY, Verdict.INCONCLUSIVE,
                Map.of("providerError", true))), Map.of(), Map.of(Kpi.AVAILABILITY, 4), KpiPolicy.defaults());
        assertThat(errors.get(0).reason()).endsWith("(5 provider errors in a row, above the limit of 4)");
    }

    @Provide
    Arbitrary<List<Verdict>> histories() {
        return Arbitraries.of(Verdict.values()).list().ofMaxSize(12);
    }

    /** Whatever the history and the limit, the limits never make a PASS or a ROLLBACK of what was not one. */
    @Property(tries = 2000)
    void theLimitsNeverTurnMissingDataIntoAPassAndToleranceEndsAtTheLimit(@ForAll("histories") List<Verdict> history,
            @ForAll @IntRange(min = 0, max = 6) int limit, @ForAll boolean passElsewhere) {
        List<Measurement> now = new ArrayList<>(List.of(measured(Kpi.AGENT_RESPONSE_RATE, Verdict.INCONCLUSIVE, Map.of())));
        if (passElsewhere) {
            now.add(measured(Kpi.TIME_ZONES, Verdict.PASS, Map.of()));
        }
        List<Measurement> limited = AnalysisLimits.apply(now, Map.of(Kpi.AGENT_RESPONSE_RATE, history), Map.of(),
                policy("inconclusiveLimit", limit));
        RollUp.Decision decision = RollUp.decide(limited);

        assertThat(decision.verdict()).isEqualTo(GateVerdict.HOLD);
        long inconclusive = Collections.frequency(history, Verdict.INCONCLUSIVE) + 1;
        assertThat(decision.conclusive()).isEqualTo(inconclusive > limit);
    }
}
