package dev.rollout.phaseengine.client;

import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.rollout.starter.idempotency.IdempotencyFilter;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.service.annotation.HttpExchange;
import org.springframework.web.service.annotation.PostExchange;

/** cluster-batcher: the batch plan over the fleet, and the activation of a batch or of the whole fleet. */
@HttpExchange("/api/rollouts/{rolloutId}")
public interface ClusterBatcherClient {

    String SERVICE = "cluster-batcher";

    record Component(String name, String version, String previousVersion) {
    }

    record FreezeRequest(Long batchSize, Long fleetCap, String targetVersion, String previousStableVersion,
            List<Component> components) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Plan(int batchCount) {
    }

    /** Freezes the plan over the fleet as it is now. */
    @PostExchange("/batch-plan")
    Plan freezeBatchPlan(@PathVariable UUID rolloutId, @RequestBody FreezeRequest request,
            @RequestHeader(IdempotencyFilter.HEADER) String key);

    @PostExchange("/batches/{number}/activation")
    void activateBatch(@PathVariable UUID rolloutId, @PathVariable int number,
            @RequestHeader(IdempotencyFilter.HEADER) String key);

    @PostExchange("/activations/fleet")
    void activateFleet(@PathVariable UUID rolloutId, @RequestHeader(IdempotencyFilter.HEADER) String key);
}
