package dev.rollout.phaseengine.client;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import dev.rollout.starter.idempotency.IdempotencyFilter;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.service.annotation.GetExchange;
import org.springframework.web.service.annotation.HttpExchange;
import org.springframework.web.service.annotation.PostExchange;

/** rollback-service: a rollback the gate asks for, and the root-cause records a next attempt learns from. */
@HttpExchange
public interface RollbackServiceClient {

    String SERVICE = "rollback-service";

    /** A rollback of the whole rollout, or of some components (the verdict's). */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    record StartRollback(UUID rolloutId, MetricsGateClient.Scope scope, List<String> components, String reason,
            UUID evaluationId) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Started(boolean started, Rollback rollback) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Rollback(UUID id) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record RootCause(UUID id, String summary, String cause, Safeguards safeguards) {
    }

    /** A rollback as a report tells it. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record RollbackView(UUID id, String scope, List<String> components, String status, String reason,
            Long flippedAfterMs, Instant requestedAt, String requestedBy) {
    }

    /** What a next attempt takes into its plan: a smaller batch, a longer window, stricter thresholds. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Safeguards(Long batchSize, Duration observationWindow, Map<String, Double> kpiOverrides) {
    }

    @PostExchange("/api/rollbacks")
    Started start(@RequestBody StartRollback request, @RequestHeader(IdempotencyFilter.HEADER) String key);

    @GetExchange("/api/rollbacks")
    List<RollbackView> rollbacks(@RequestParam("rolloutId") UUID rolloutId);

    @GetExchange("/api/rollouts/{rolloutId}/root-causes")
    List<RootCause> rootCauses(@PathVariable UUID rolloutId);
}
