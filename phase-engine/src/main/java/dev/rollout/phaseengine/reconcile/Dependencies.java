package dev.rollout.phaseengine.reconcile;

import java.time.Instant;
import java.util.List;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Supplier;

import dev.rollout.phaseengine.client.ClusterBatcherClient;
import dev.rollout.phaseengine.client.MetricsGateClient;
import dev.rollout.phaseengine.client.MetricsGateClient.Decision;
import dev.rollout.phaseengine.client.MetricsGateClient.EvaluateRequest;
import dev.rollout.phaseengine.client.MetricsGateClient.Scope;
import dev.rollout.phaseengine.client.PilotServiceClient;
import dev.rollout.phaseengine.client.RollbackServiceClient;
import dev.rollout.phaseengine.client.RollbackServiceClient.StartRollback;
import dev.rollout.phaseengine.rollout.EvaluationSummary;
import dev.rollout.phaseengine.rollout.Rollout;
import dev.rollout.starter.client.ServiceCallFailed;
import dev.rollout.starter.client.ServiceClients;
import org.springframework.stereotype.Component;

/**
 * The phase engine's calls to the other services, through their contracts, each with the Idempotency-Key of its step
 * so that a call repeated after a crash is answered from the first, never done twice. A call that fails says which
 * service and why; the reconcile loop waits and shows it, and never goes on without the answer.
 */
@Component
class Dependencies {

    /** Another service did not answer, answered 5xx, or refused the call (4xx): the step waits. */
    static final class Unavailable extends RuntimeException {

        final String service;

        Unavailable(ServiceCallFailed failed) {
            super(failed.getMessage(), failed);
            this.service = failed.service();
        }
    }

    private final MetricsGateClient metricsGate;
    private final ClusterBatcherClient clusterBatcher;
    private final PilotServiceClient pilots;
    private final RollbackServiceClient rollbacks;

    Dependencies(ServiceClients clients) {
        this.metricsGate = clients.contract(MetricsGateClient.SERVICE, MetricsGateClient.class);
        this.clusterBatcher = clients.contract(ClusterBatcherClient.SERVICE, ClusterBatcherClient.class);
        this.pilots = clients.contract(PilotServiceClient.SERVICE, PilotServiceClient.class);
        this.rollbacks = clients.contract(RollbackServiceClient.SERVICE, RollbackServiceClient.class);
    }

    /** The gate's verdict on the current phase (or batch of the expansion) from the evidence since {@code since}. */
    EvaluationSummary evaluate(Rollout rollout, Integer batch, Instant since, String key) {
        Decision answer = call(() -> metricsGate.evaluate(rollout.id(), new EvaluateRequest(
                MetricsGateClient.Phase.valueOf(rollout.phase().name()), batch, since), key));
        return new EvaluationSummary(answer.id(), answer.phase().name(), batch, answer.verdict(), answer.scope(),
                answer.components() == null ? List.of() : answer.components(),
                answer.reasons() == null ? List.of() : answer.reasons(), answer.evaluatedAt(),
                "/api/evaluations/" + answer.id(), answer.conclusive());
    }

    void applyKpiPolicy(Rollout rollout, String key) {
        call(() -> metricsGate.applyKpiPolicy(rollout.id(), new TreeMap<>(rollout.plan().kpiOverrides()), key));
    }

    void declareUserTypes(Rollout rollout, String key) {
        call(() -> metricsGate.declareUserTypes(rollout.id(), new TreeMap<>(rollout.plan().userTypes()), key));
    }

    void activatePilots(Rollout rollout, String key) {
        call(() -> pilots.activatePilots(rollout.id(), new PilotServiceClient.Reason("Phase 2: pilot deployment of "
                + rollout.targetVersion()), key));
    }

    /** Freezes the batch plan over the fleet as it is now; the number of batches it holds. */
    int freezeBatchPlan(Rollout rollout, String key) {
        List<ClusterBatcherClient.Component> components = rollout.components().stream()
                .map(c -> new ClusterBatcherClient.Component(c.name(), c.version(), rollout.previousStableVersion()))
                .toList();
        return call(() -> clusterBatcher.freezeBatchPlan(rollout.id(), new ClusterBatcherClient.FreezeRequest(
                rollout.plan().batchSize(), rollout.plan().fleetCap(), rollout.targetVersion(),
                rollout.previousStableVersion(), components), key)).batchCount();
    }

    void activateBatch(Rollout rollout, int number, String key) {
        call(() -> clusterBatcher.activateBatch(rollout.id(), number, key));
    }

    void activateFleet(Rollout rollout, String key) {
        call(() -> clusterBatcher.activateFleet(rollout.id(), key));
    }

    /** Asks rollback-service to roll back with the verdict's scope; the rollback's id. */
    UUID requestRollback(Rollout rollout, EvaluationSummary verdict, String key) {
        boolean partial = verdict.scope() == Scope.PARTIAL && !verdict.components().isEmpty();
        String reason = "Gate " + verdict.verdict() + " in " + rollout.status()
                + (verdict.batch() == null ? "" : " batch " + verdict.batch()) + ": " + String.join("; ", verdict.reasons());
        return call(() -> rollbacks.start(new StartRollback(rollout.id(), partial ? Scope.PARTIAL : Scope.FULL,
                partial ? verdict.components() : List.of(), reason, verdict.id()), key)).rollback().id();
    }

    private static <T> T call(Supplier<T> call) {
        try {
            return call.get();
        }
        catch (ServiceCallFailed e) {
            throw new Unavailable(e);
        }
    }

    private static void call(Runnable call) {
        call(() -> {
            call.run();
            return null;
        });
    }
}
