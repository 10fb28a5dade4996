package dev.rollout.phaseengine.rollout;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import dev.rollout.phaseengine.client.MetricsGateClient.Scope;
import dev.rollout.phaseengine.client.MetricsGateClient.Verdict;

/**
 * The gate's last verdict on this rollout, with the link to every measurement behind it. {@code conclusive} is
 * {@code false} for a HOLD within the KPIs' inconclusive limit: the gate measures again and a rollout waiting on it
 * does not pause yet ({@code null}, as stored before there was a limit, reads as conclusive).
 */
public record EvaluationSummary(UUID id, String phase, Integer batch, Verdict verdict, Scope scope,
        List<String> components, List<String> reasons, Instant evaluatedAt, String link, Boolean conclusive) {

    /** A HOLD that does not conclude the analysis: measured again after the evaluation interval. */
    public boolean measuredAgain() {
        return verdict == Verdict.HOLD && Boolean.FALSE.equals(conclusive);
    }
}
