package dev.rollout.rollbackservice.rollback;

import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Supplier;

import dev.rollout.rollbackservice.client.ClusterBatcherClient;
import dev.rollout.rollbackservice.client.ClusterBatcherClient.Deactivation;
import dev.rollout.rollbackservice.client.ClusterBatcherClient.DeactivationScope;
import dev.rollout.rollbackservice.client.PhaseEngineClient;
import dev.rollout.rollbackservice.client.PhaseEngineClient.RollbackFinished;
import dev.rollout.rollbackservice.client.PhaseEngineClient.RollbackStarted;
import dev.rollout.rollbackservice.client.PilotServiceClient;
import dev.rollout.starter.client.ServiceCallFailed;
import dev.rollout.starter.client.ServiceClients;
import org.springframework.stereotype.Component;

/** The saga's calls to the other services, through their contracts, each with the Idempotency-Key of its step. */
@Component
class Downstream {

    /** A call that did not succeed, with what the other service said. */
    static final class Failed extends RuntimeException {
        Failed(String message) {
            super(message);
        }
    }

    private final PhaseEngineClient phaseEngine;
    private final ClusterBatcherClient clusterBatcher;
    private final PilotServiceClient pilots;

    Downstream(ServiceClients clients) {
        this.phaseEngine = clients.contract(PhaseEngineClient.SERVICE, PhaseEngineClient.class);
        this.clusterBatcher = clients.contract(ClusterBatcherClient.SERVICE, ClusterBatcherClient.class);
        this.pilots = clients.contract(PilotServiceClient.SERVICE, PilotServiceClient.class);
    }

    String run(Rollback rollback, SagaStep step, String key) {
        UUID rollout = rollback.rolloutId();
        String reason = abbreviate(rollback.reason());
        return switch (step) {
            case HALT_ROLLOUT -> "rollout " + call(() -> phaseEngine.rollbackStarted(rollout,
                    new RollbackStarted(rollback.id(), scope(rollback), reason), key)).status();
            case REVERT_AGENTS -> {
                boolean full = rollback.scope() == RollbackScope.FULL;
                Deactivation deactivation = full ? new Deactivation(DeactivationScope.ALL, null, reason)
                        : new Deactivation(DeactivationScope.COMPONENTS, rollback.components(), reason);
                ClusterBatcherClient.Change answer = callUnlessNoPlan(() -> clusterBatcher.deactivate(rollout,
                        deactivation, key));
                if (answer == null) {
                    yield "no batch plan: no agent of the fleet had the new version"; // rolled back in Phase 1 or 2
                }
                yield orZero(answer.agents()) + " activated agents back on the previous version"
                        + (full ? "" : " for " + String.join(", ", rollback.components()))
                        + " (cluster-batcher took " + orZero(answer.tookMicros()) + " µs)";
            }
            case REVOKE_PILOT_GRANTS -> {
                Integer revoked = call(() -> pilots.revoke(rollout, new PilotServiceClient.Reason("Full rollback: "
                        + reason), key)).changed();
                yield (revoked == null ? 0 : revoked) + " pilot grants revoked";
            }
            case FINISH_ROLLOUT -> "rollout " + call(() -> phaseEngine.rollbackFinished(rollout,
                    new RollbackFinished(rollback.id(), scope(rollback)), key)).status();
        };
    }

    /**
     * Pins the component to its fixed version on every activated agent; the agents it now applies to. Without a
     * batch plan (a partial rollback in Phase 1 or 2) no agent of the fleet runs the component: 0.
     */
    long pinFix(UUID rolloutId, String component, String version, String reason, String key) {
        ClusterBatcherClient.Change answer = callUnlessNoPlan(() -> clusterBatcher.pin(rolloutId, component,
                new ClusterBatcherClient.Pin(version, abbreviate(reason)), key));
        return answer == null ? 0 : orZero(answer.agents());
    }

    /** The rollout continues in its phase with the fixed versions; its status after. */
    String continueRollout(UUID rolloutId, Map<String, String> fixes, String key) {
        TreeMap<String, String> sorted = new TreeMap<>(fixes);
        return call(() -> phaseEngine.continueRollout(rolloutId, new PhaseEngineClient.Continue(sorted,
                "fix re-deployed: " + sorted), key)).status().name();
    }

    /**
     * Whether the rollout may exist: false only when phase-engine answers that it does not (404). A rollback is never
     * refused because phase-engine is slow or down: then it is taken, and its first step waits for phase-engine.
     */
    boolean rolloutMayExist(UUID rolloutId) {
        try {
            phaseEngine.rollout(rolloutId);
            return true;
        }
        catch (ServiceCallFailed e) {
            return !e.notFound();
        }
    }

    private static long orZero(Long value) {
        return value == null ? 0 : value;
    }

    private static PhaseEngineClient.Scope scope(Rollback rollback) {
        return rollback.scope() == RollbackScope.FULL ? PhaseEngineClient.Scope.FULL : PhaseEngineClient.Scope.PARTIAL;
    }

    private static <T> T call(Supplier<T> call) {
        try {
            return call.get();
        }
        catch (ServiceCallFailed e) {
            throw new Failed(e.getMessage());
        }
    }

    /** The answer; null when cluster-batcher has no batch plan for the rollout (404). */
    private static <T> T callUnlessNoPlan(Supplier<T> call) {
        try {
            return call.get();
        }
        catch (ServiceCallFailed e) {
            if (e.notFound()) {
                return null;
            }
            throw new Failed(e.getMessage());
        }
    }

    private static String abbreviate(String text) {
        return text == null || text.length() <= 450 ? text : text.substring(0, 447) + "...";
    }
}
