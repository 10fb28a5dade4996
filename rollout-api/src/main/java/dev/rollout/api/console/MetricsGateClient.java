package dev.rollout.api.console;

import java.util.List;
import java.util.UUID;

import org.springframework.http.HttpHeaders;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.service.annotation.GetExchange;
import org.springframework.web.service.annotation.HttpExchange;

/** metrics-gate, as the console reads verdicts and KPIs over time: with the signed-in person's token. */
@HttpExchange
interface MetricsGateClient {

    String SERVICE = "metrics-gate";

    @GetExchange("/api/evaluations/{id}")
    Reads.Evaluation evaluation(@RequestHeader(HttpHeaders.AUTHORIZATION) String bearer, @PathVariable UUID id);

    /** The rollout's evaluations, newest first. */
    @GetExchange("/api/rollouts/{rolloutId}/evaluations")
    List<Reads.EvaluationSummary> evaluations(@RequestHeader(HttpHeaders.AUTHORIZATION) String bearer,
            @PathVariable UUID rolloutId);

    @GetExchange("/api/rollouts/{rolloutId}/kpi-series")
    List<Reads.Series> series(@RequestHeader(HttpHeaders.AUTHORIZATION) String bearer, @PathVariable UUID rolloutId);
}
