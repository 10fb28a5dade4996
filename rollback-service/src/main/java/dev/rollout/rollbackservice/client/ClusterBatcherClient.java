package dev.rollout.rollbackservice.client;

import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import dev.rollout.starter.idempotency.IdempotencyFilter;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.service.annotation.HttpExchange;
import org.springframework.web.service.annotation.PostExchange;
import org.springframework.web.service.annotation.PutExchange;

/**
 * cluster-batcher: activated agents back on the previous version (all of it, or some components), and a component
 * pinned to its fixed version. Both answer 404 when the rollout has no batch plan (rolled back in Phase 1 or 2).
 */
@HttpExchange("/api/rollouts/{rolloutId}")
public interface ClusterBatcherClient {

    String SERVICE = "cluster-batcher";

    enum DeactivationScope { ALL, COMPONENTS }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Deactivation(DeactivationScope scope, List<String> components, String reason) {
    }

    record Pin(String version, String reason) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Change(Long agents, Long tookMicros) {
    }

    @PostExchange("/deactivations")
    Change deactivate(@PathVariable UUID rolloutId, @RequestBody Deactivation request,
            @RequestHeader(IdempotencyFilter.HEADER) String key);

    @PutExchange("/component-pins/{component}")
    Change pin(@PathVariable UUID rolloutId, @PathVariable String component, @RequestBody Pin request,
            @RequestHeader(IdempotencyFilter.HEADER) String key);
}
