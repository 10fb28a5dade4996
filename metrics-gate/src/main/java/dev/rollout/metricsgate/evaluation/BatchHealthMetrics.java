package dev.rollout.metricsgate.evaluation;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import dev.rollout.metricsgate.client.ClusterBatcherClient.Batch;
import dev.rollout.metricsgate.client.ClusterBatcherClient.Plan;
import dev.rollout.metricsgate.client.ClusterBatcherClient;
import dev.rollout.metricsgate.policy.KpiPolicy;
import dev.rollout.starter.client.Read;
import dev.rollout.starter.client.ServiceClients;
import org.springframework.stereotype.Component;

/**
 * A batch's health as cluster-batcher has it from the agents (response rate, their error rate, latency, time zones,
 * integrity), and the error budget over every active batch.
 */
@Component
class BatchHealthMetrics implements MetricProvider {

    private final ClusterBatcherClient clusterBatcher;

    BatchHealthMetrics(ServiceClients clients) {
        this.clusterBatcher = clients.contract(ClusterBatcherClient.SERVICE, ClusterBatcherClient.class);
    }

    @Override
    public List<Measurement> measure(Scope scope, KpiPolicy policy) {
        UUID rolloutId = scope.rolloutId();
        int number = scope.batch();
        Read<Batch> current = Read.of(() -> clusterBatcher.batch(rolloutId, number));
        List<Measurement> out = new ArrayList<>(FleetCriteria.batch(current, number, policy));
        out.add(FleetCriteria.errorBudget(activeBatches(rolloutId, number, current), policy));
        return out;
    }

    /** Every active batch's health; the batch being evaluated is not read a second time. */
    private List<Read<Batch>> activeBatches(UUID rolloutId, int number, Read<Batch> current) {
        Read<Plan> plan = Read.of(() -> clusterBatcher.plan(rolloutId));
        if (!plan.ok()) {
            return List.of(new Read<>(null, plan.problem()));
        }
        List<Read<Batch>> active = new ArrayList<>();
        for (Batch batch : plan.body().batches() == null ? List.<Batch>of() : plan.body().batches()) {
            if (batch.active()) {
                int n = batch.number();
                active.add(n == number ? current : Read.of(() -> clusterBatcher.batch(rolloutId, n)));
            }
        }
        return active;
    }
}
