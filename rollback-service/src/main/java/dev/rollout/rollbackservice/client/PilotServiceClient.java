package dev.rollout.rollbackservice.client;

import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.rollout.starter.idempotency.IdempotencyFilter;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.service.annotation.HttpExchange;
import org.springframework.web.service.annotation.PostExchange;

/** pilot-service: the pilots' grants of the new version, revoked by a full rollback. */
@HttpExchange("/api/rollouts/{rolloutId}")
public interface PilotServiceClient {

    String SERVICE = "pilot-service";

    record Reason(String reason) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Change(Integer changed, Integer pilots) {
    }

    @PostExchange("/pilots/revocation")
    Change revoke(@PathVariable UUID rolloutId, @RequestBody Reason reason,
            @RequestHeader(IdempotencyFilter.HEADER) String key);
}
