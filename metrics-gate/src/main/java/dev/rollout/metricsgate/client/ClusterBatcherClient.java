package dev.rollout.metricsgate.client;

import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.service.annotation.GetExchange;
import org.springframework.web.service.annotation.HttpExchange;

/** cluster-batcher: the batch plan and a batch's health, as the agents report it. */
@HttpExchange("/api/rollouts/{rolloutId}")
public interface ClusterBatcherClient {

    String SERVICE = "cluster-batcher";

    enum ActivationState { PENDING, ACTIVE, DEACTIVATED }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Plan(List<Batch> batches) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Batch(int number, Activation activation, Health health) {

        public boolean active() {
            return activation != null && activation.state() == ActivationState.ACTIVE;
        }
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Activation(ActivationState state) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Health(long activated, long acknowledged, long requests, long errors, Double latencyP95Ms,
            int timeZonesHeardFrom, int timeZonesInBatch, List<String> silentTimeZones, Integrity integrity) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Integrity(long outsideActivatedSet, long otherVersion) {
    }

    @GetExchange("/batches")
    Plan plan(@PathVariable UUID rolloutId);

    @GetExchange("/batches/{number}")
    Batch batch(@PathVariable UUID rolloutId, @PathVariable int number);
}
