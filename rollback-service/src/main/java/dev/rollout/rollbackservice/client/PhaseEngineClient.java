package dev.rollout.rollbackservice.client;

import java.util.SortedMap;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.rollout.starter.idempotency.IdempotencyFilter;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.service.annotation.GetExchange;
import org.springframework.web.service.annotation.HttpExchange;
import org.springframework.web.service.annotation.PostExchange;

/** phase-engine: the rollout a rollback halts and finishes, and continues once its fix is re-deployed. */
@HttpExchange("/api/rollouts/{rolloutId}")
public interface PhaseEngineClient {

    String SERVICE = "phase-engine";

    enum RolloutStatus {
        DRAFT, DEVELOPMENT, PILOT, EXPANSION, PRODUCTION, COMPLETED, PAUSED, ROLLING_BACK, ROLLED_BACK,
        PARTIALLY_ROLLED_BACK, ABORTED
    }

    enum Scope { FULL, PARTIAL }

    record RollbackStarted(UUID rollbackId, Scope scope, String reason) {
    }

    record RollbackFinished(UUID rollbackId, Scope scope) {
    }

    /** The fixed version of each component rolled back (sorted: a repeated call sends the same bytes). */
    record Continue(SortedMap<String, String> fixes, String reason) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Rollout(UUID id, RolloutStatus status) {
    }

    @GetExchange
    Rollout rollout(@PathVariable UUID rolloutId);

    @PostExchange("/rollback-started")
    Rollout rollbackStarted(@PathVariable UUID rolloutId, @RequestBody RollbackStarted request,
            @RequestHeader(IdempotencyFilter.HEADER) String key);

    @PostExchange("/rollback-finished")
    Rollout rollbackFinished(@PathVariable UUID rolloutId, @RequestBody RollbackFinished request,
            @RequestHeader(IdempotencyFilter.HEADER) String key);

    @PostExchange("/continue")
    Rollout continueRollout(@PathVariable UUID rolloutId, @RequestBody Continue request,
            @RequestHeader(IdempotencyFilter.HEADER) String key);
}
