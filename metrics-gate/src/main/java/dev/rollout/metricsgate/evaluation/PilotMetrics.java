package dev.rollout.metricsgate.evaluation;

import java.util.List;

import dev.rollout.metricsgate.client.PilotServiceClient;
import dev.rollout.metricsgate.policy.KpiPolicy;
import dev.rollout.starter.client.Read;
import dev.rollout.starter.client.ServiceClients;
import org.springframework.stereotype.Component;

/** The pilots' figures from pilot-service: satisfaction, instability reports, onboarding, health checks, support. */
@Component
class PilotMetrics implements MetricProvider {

    private final PilotServiceClient pilots;

    PilotMetrics(ServiceClients clients) {
        this.pilots = clients.contract(PilotServiceClient.SERVICE, PilotServiceClient.class);
    }

    @Override
    public List<Measurement> measure(Scope scope, KpiPolicy policy) {
        return FleetCriteria.pilots(Read.of(() -> pilots.summary(scope.rolloutId())), scope.phase(), policy);
    }
}
