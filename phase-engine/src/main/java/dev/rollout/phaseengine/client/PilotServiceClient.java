package dev.rollout.phaseengine.client;

import java.util.UUID;

import dev.rollout.starter.idempotency.IdempotencyFilter;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.service.annotation.HttpExchange;
import org.springframework.web.service.annotation.PostExchange;

/** pilot-service: the 44 pilots' grants of the new version. */
@HttpExchange("/api/rollouts/{rolloutId}")
public interface PilotServiceClient {

    String SERVICE = "pilot-service";

    record Reason(String reason) {
    }

    @PostExchange("/pilots/activation")
    void activatePilots(@PathVariable UUID rolloutId, @RequestBody Reason reason,
            @RequestHeader(IdempotencyFilter.HEADER) String key);
}
