package dev.rollout.api.console;

import java.util.List;
import java.util.UUID;

import org.springframework.http.HttpHeaders;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.service.annotation.GetExchange;
import org.springframework.web.service.annotation.HttpExchange;
import org.springframework.web.service.annotation.PostExchange;

/** phase-engine, as the console reads and acts on rollouts: every call with the signed-in person's token. */
@HttpExchange("/api/rollouts")
interface PhaseEngineClient {

    String SERVICE = "phase-engine";

    record Reason(String reason) {
    }

    @GetExchange
    Reads.RolloutPage rollouts(@RequestHeader(HttpHeaders.AUTHORIZATION) String bearer, @RequestParam("size") int size,
            @RequestParam(value = "status", required = false) String status);

    @GetExchange("/{id}")
    Reads.Rollout rollout(@RequestHeader(HttpHeaders.AUTHORIZATION) String bearer, @PathVariable UUID id);

    @GetExchange("/{id}/timeline")
    List<Reads.TimelineEntry> timeline(@RequestHeader(HttpHeaders.AUTHORIZATION) String bearer, @PathVariable UUID id);

    @PostExchange("/{id}/start")
    void start(@RequestHeader(HttpHeaders.AUTHORIZATION) String bearer, @PathVariable UUID id, @RequestBody Reason reason);

    @PostExchange("/{id}/approve")
    void approve(@RequestHeader(HttpHeaders.AUTHORIZATION) String bearer, @PathVariable UUID id,
            @RequestBody Reason reason);

    @PostExchange("/{id}/promote")
    void promote(@RequestHeader(HttpHeaders.AUTHORIZATION) String bearer, @PathVariable UUID id,
            @RequestBody Reason reason);

    @PostExchange("/{id}/pause")
    void pause(@RequestHeader(HttpHeaders.AUTHORIZATION) String bearer, @PathVariable UUID id, @RequestBody Reason reason);

    @PostExchange("/{id}/resume")
    void resume(@RequestHeader(HttpHeaders.AUTHORIZATION) String bearer, @PathVariable UUID id,
            @RequestBody Reason reason);

    @PostExchange("/{id}/abort")
    void abort(@RequestHeader(HttpHeaders.AUTHORIZATION) String bearer, @PathVariable UUID id, @RequestBody Reason reason);
}
