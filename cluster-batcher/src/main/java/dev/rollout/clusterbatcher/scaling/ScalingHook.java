package dev.rollout.clusterbatcher.scaling;

import java.util.UUID;

/**
 * Runs before a batch is activated, with the number of agents that will be active after it: where
 * configured it scales the Deployment that serves agent traffic; in the standalone mode it does nothing.
 */
public interface ScalingHook {

    /** Outcome of one call, for the activation's answer and the log. */
    record Scaled(String deployment, int fromReplicas, int toReplicas) {
    }

    /** Returns what was scaled, or null when nothing had to change. */
    Scaled beforeActivation(UUID rolloutId, long activeAgentsAfter);
}
