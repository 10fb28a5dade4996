package dev.rollout.metricsgate.provider;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;

import dev.rollout.starter.outbound.OutboundHttp;
import dev.rollout.starter.web.ProblemException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Metric sources", description = "Pushed samples, incidents and Prometheus, as the gate's sources")
class SourceController {

    record SampleIn(@NotNull Samples.Metric metric, Samples.Variant variant, @Min(1) Integer batch,
            @Size(max = 100) String component,
            @NotNull @PositiveOrZero @DecimalMax(value = "1.0E12", message = "must be at most 10^12") Double value,
            @PositiveOrZero @Max(1_000_000_000_000L) Long count,
            Instant observedAt) {
    }

    record SamplesIn(@NotEmpty @Size(max = 10_000) List<@Valid @NotNull SampleIn> samples) {
    }

    record IncidentIn(@NotNull Incidents.Type type, @NotNull Incidents.Severity severity, @Size(max = 100) String component,
            @NotBlank @Size(max = 2000) String description) {
    }

    record PrometheusIn(@NotBlank @Size(max = 500) String baseUrl, @Size(max = 2000) String authHeader,
            @Min(100) @Max(60_000) Integer timeoutMs, @NotEmpty Map<String, @NotBlank @Size(max = 2000) String> queries) {
    }

    private final Samples samples;
    private final Incidents incidents;
    private final PrometheusSources prometheus;
    private final OutboundHttp outbound;

    SourceController(Samples samples, Incidents incidents, PrometheusSources prometheus, OutboundHttp outbound) {
        this.samples = samples;
        this.incidents = incidents;
        this.prometheus = prometheus;
        this.outbound = outbound;
    }

    @PostMapping("/api/rollouts/{rolloutId}/samples")
    @PreAuthorize("hasAnyRole('SERVICE','CI_PIPELINE','RELEASE_MANAGER')")
    @Operation(summary = "Push metric samples (up to 10,000): request and error counts, critical operations, latency",
            description = "Roles: SERVICE, CI_PIPELINE, RELEASE_MANAGER. variant CANARY (default, the new version) or "
                    + "BASELINE (the previous stable version); LATENCY_MS carries the latency at the policy's percentile "
                    + "with the number of requests behind it in count.")
    Map<String, Integer> push(@PathVariable UUID rolloutId, @Valid @RequestBody SamplesIn in) {
        return Map.of("accepted", samples.push(rolloutId, in.samples().stream().map(s -> new Samples.Sample(s.metric(),
                s.variant() == null ? Samples.Variant.CANARY : s.variant(), s.batch(), s.component(), s.value(),
                s.count() == null ? s.value().longValue() : s.count(), s.observedAt())).toList()));
    }

    @PostMapping("/api/rollouts/{rolloutId}/incidents")
    @ResponseStatus(HttpStatus.CREATED)
    @PreAuthorize("hasAnyRole('ON_CALL','RELEASE_MANAGER')")
    @Operation(summary = "Report an incident: a critical functionality failure or a security vulnerability",
            description = "Roles: ON_CALL, RELEASE_MANAGER. An open incident fails its trigger at the next evaluation.")
    Incidents.Incident report(@PathVariable UUID rolloutId, @Valid @RequestBody IncidentIn in, Authentication caller) {
        return incidents.report(rolloutId, in.type(), in.severity(), in.component(), in.description(), caller.getName());
    }

    @PostMapping("/api/rollouts/{rolloutId}/incidents/{incidentId}/resolution")
    @PreAuthorize("hasAnyRole('ON_CALL','RELEASE_MANAGER')")
    @Operation(summary = "Resolve an incident", description = "Roles: ON_CALL, RELEASE_MANAGER")
    Incidents.Incident resolve(@PathVariable UUID rolloutId, @PathVariable UUID incidentId) {
        return incidents.resolve(rolloutId, incidentId);
    }

    @GetMapping("/api/rollouts/{rolloutId}/incidents")
    @PreAuthorize("hasAnyRole('ON_CALL','RELEASE_MANAGER','VIEWER','SERVICE')")
    @Operation(summary = "A rollout's incidents", description = "Roles: ON_CALL, RELEASE_MANAGER, VIEWER, SERVICE")
    List<Incidents.Incident> incidents(@PathVariable UUID rolloutId) {
        return incidents.list(rolloutId);
    }

    @PutMapping("/api/rollouts/{rolloutId}/metric-sources/prometheus")
    @PreAuthorize("hasAnyRole('RELEASE_MANAGER','SERVICE')")
    @Operation(summary = "Use Prometheus for this rollout's figures (PromQL per figure)",
            description = "Roles: RELEASE_MANAGER, SERVICE. Queries: errorRate, requests, availability, latencyMs, "
                    + "baselineLatencyMs, criticalErrorRate, criticalRequests; {rollout} is replaced by the rollout id.")
    Map<String, Object> prometheus(@PathVariable UUID rolloutId, @Valid @RequestBody PrometheusIn in) {
        for (String key : in.queries().keySet()) {
            if (!PrometheusSources.QUERIES.contains(key)) {
                throw ProblemException.unprocessable("'" + key + "' is not a figure the gate reads; it reads "
                        + PrometheusSources.QUERIES);
            }
        }
        outbound.refusal(in.baseUrl()).ifPresent(reason -> {
            throw ProblemException.unprocessable("baseUrl " + reason);
        });
        prometheus.save(rolloutId, new PrometheusSources.Source(in.baseUrl(), in.authHeader(),
                Duration.ofMillis(in.timeoutMs() == null ? 5000 : in.timeoutMs()), in.queries()));
        return Map.of("rolloutId", rolloutId, "baseUrl", in.baseUrl(), "queries", in.queries().keySet());
    }
}
