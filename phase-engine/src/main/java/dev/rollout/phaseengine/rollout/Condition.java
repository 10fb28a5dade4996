package dev.rollout.phaseengine.rollout;

import java.time.Instant;

/**
 * One observed condition of a rollout, as Kubernetes and Argo Rollouts show them: what it is about, whether
 * it holds, a reason a machine can match on, a message a person can read, and since when it has held.
 */
public record Condition(String type, boolean status, String reason, String message, Instant since) {

    public static final String GATE = "GatePassed";
    public static final String DEPENDENCIES = "DependenciesAvailable";
    public static final String SOAKED = "MinimumSoakElapsed";
    public static final String APPROVED = "Approved";
    public static final String OBSERVED = "BatchObserved";

    /** The same condition, keeping the earlier {@code since} when its status has not changed. */
    public Condition since(Condition previous) {
        return previous != null && previous.status == status ? new Condition(type, status, reason, message, previous.since)
                : this;
    }
}
