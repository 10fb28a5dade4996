package dev.rollout.phaseengine.report;

import java.util.List;
import java.util.UUID;

import dev.rollout.phaseengine.client.MetricsGateClient.Evaluation;
import dev.rollout.phaseengine.client.MetricsGateClient.FullEvaluation;
import dev.rollout.phaseengine.client.MetricsGateClient.Incident;
import dev.rollout.phaseengine.client.MetricsGateClient;
import dev.rollout.phaseengine.client.RollbackServiceClient.RollbackView;
import dev.rollout.phaseengine.client.RollbackServiceClient.RootCause;
import dev.rollout.phaseengine.client.RollbackServiceClient;
import dev.rollout.starter.client.Read;
import dev.rollout.starter.client.ServiceClients;
import org.springframework.stereotype.Component;

/**
 * What the reports read from the other services, through their contracts; a service that does not answer leaves its
 * section marked so.
 */
@Component
class ReportSources {

    private final MetricsGateClient metricsGate;
    private final RollbackServiceClient rollbacks;

    ReportSources(ServiceClients clients) {
        this.metricsGate = clients.contract(MetricsGateClient.SERVICE, MetricsGateClient.class);
        this.rollbacks = clients.contract(RollbackServiceClient.SERVICE, RollbackServiceClient.class);
    }

    /** The rollout's evaluations, newest first. */
    Read<List<Evaluation>> evaluations(UUID rolloutId) {
        return Read.of(() -> metricsGate.evaluations(rolloutId));
    }

    Read<FullEvaluation> evaluation(UUID evaluationId) {
        return Read.of(() -> metricsGate.evaluation(evaluationId));
    }

    Read<List<Incident>> incidents(UUID rolloutId) {
        return Read.of(() -> metricsGate.incidents(rolloutId));
    }

    Read<List<RollbackView>> rollbacks(UUID rolloutId) {
        return Read.of(() -> rollbacks.rollbacks(rolloutId));
    }

    Read<List<RootCause>> rootCauses(UUID rolloutId) {
        return Read.of(() -> rollbacks.rootCauses(rolloutId));
    }
}
