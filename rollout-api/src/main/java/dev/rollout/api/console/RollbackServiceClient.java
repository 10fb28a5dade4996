package dev.rollout.api.console;

import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.rollout.starter.idempotency.IdempotencyFilter;
import org.springframework.http.HttpHeaders;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.service.annotation.GetExchange;
import org.springframework.web.service.annotation.HttpExchange;
import org.springframework.web.service.annotation.PostExchange;

/** rollback-service, as the console reads and asks for rollbacks and fixes: with the signed-in person's token. */
@HttpExchange
interface RollbackServiceClient {

    String SERVICE = "rollback-service";

    enum Scope { FULL, PARTIAL }

    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    record StartRollback(UUID rolloutId, Scope scope, List<String> components, String reason) {
    }

    record Fix(String version, String reason) {
    }

    @GetExchange("/api/rollbacks")
    List<Reads.Rollback> rollbacks(@RequestHeader(HttpHeaders.AUTHORIZATION) String bearer,
            @RequestParam("rolloutId") UUID rolloutId);

    @PostExchange("/api/rollbacks")
    Reads.Started start(@RequestHeader(HttpHeaders.AUTHORIZATION) String bearer, @RequestBody StartRollback request,
            @RequestHeader(IdempotencyFilter.HEADER) String key);

    @PostExchange("/api/rollouts/{rolloutId}/components/{component}/fix")
    void fix(@RequestHeader(HttpHeaders.AUTHORIZATION) String bearer, @PathVariable UUID rolloutId,
            @PathVariable String component, @RequestBody Fix fix);
}
