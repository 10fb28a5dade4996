package dev.rollout.metricsgate.evaluation;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import dev.rollout.starter.web.ProblemException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Gate evaluations", description = "Explained verdicts: every KPI with its source, figures, threshold and confidence")
class EvaluationController {

    record EvaluateRequest(@NotNull Phase phase, @Min(1) Integer batch, Instant since) {
    }

    record WhatIfRequest(@NotNull Phase phase, @Min(1) Integer batch, Instant since,
            @NotNull @Size(max = 50) Map<String, Double> thresholds) {
    }

    private final Evaluations evaluations;

    EvaluationController(Evaluations evaluations) {
        this.evaluations = evaluations;
    }

    @PostMapping("/api/rollouts/{rolloutId}/evaluations")
    @PreAuthorize("hasAnyRole('SERVICE','RELEASE_MANAGER','CI_PIPELINE')")
    @Operation(summary = "Evaluate a phase (or a batch of the expansion) now: PASS, HOLD with the reasons, or ROLLBACK with a scope",
            description = "Roles: SERVICE (phase-engine), RELEASE_MANAGER, CI_PIPELINE. Missing or thin data is INCONCLUSIVE "
                    + "(a HOLD), never a PASS.")
    ResponseEntity<Evaluations.Evaluation> evaluate(@PathVariable UUID rolloutId, @Valid @RequestBody EvaluateRequest request,
            Authentication caller) {
        Evaluations.Evaluation evaluation = evaluations.evaluate(rolloutId,
                new Evaluator.Request(request.phase(), request.batch(), request.since()), caller.getName());
        return ResponseEntity.created(URI.create("/api/evaluations/" + evaluation.id())).body(evaluation);
    }

    @GetMapping("/api/evaluations/{id}")
    @PreAuthorize("hasAnyRole('SERVICE','RELEASE_MANAGER','CI_PIPELINE','ON_CALL','VIEWER')")
    @Operation(summary = "One evaluation with every measurement: why did it stop?",
            description = "Roles: SERVICE, RELEASE_MANAGER, CI_PIPELINE, ON_CALL, VIEWER")
    Evaluations.Evaluation find(@PathVariable UUID id) {
        return evaluations.find(id);
    }

    @GetMapping("/api/rollouts/{rolloutId}/evaluations")
    @PreAuthorize("hasAnyRole('SERVICE','RELEASE_MANAGER','CI_PIPELINE','ON_CALL','VIEWER')")
    @Operation(summary = "A rollout's evaluations, newest first", description = "Roles: SERVICE, RELEASE_MANAGER, CI_PIPELINE, ON_CALL, VIEWER")
    List<Evaluations.Summary> history(@PathVariable UUID rolloutId, @RequestParam(required = false) Phase phase) {
        return evaluations.history(rolloutId, Optional.ofNullable(phase));
    }

    @GetMapping("/api/rollouts/{rolloutId}/kpi-series")
    @PreAuthorize("hasAnyRole('SERVICE','RELEASE_MANAGER','CI_PIPELINE','ON_CALL','VIEWER')")
    @Operation(summary = "A rollout's KPIs over time: each measured value with its interval, verdict and limit",
            description = "Roles: SERVICE, RELEASE_MANAGER, CI_PIPELINE, ON_CALL, VIEWER. One series per KPI, component"
                    + " set and source, oldest point first, from the latest `evaluations` evaluations (1 to 2000, by default 500);"
                    + " `limit` is the threshold's number in the values' unit (a rate's 1% is 0.01).")
    List<KpiSeries.Series> series(@PathVariable UUID rolloutId, @RequestParam(defaultValue = "500") int evaluations) {
        if (evaluations < 1 || evaluations > 2000) {
            throw ProblemException.badRequest("evaluations: must be between 1 and 2000, was " + evaluations);
        }
        return this.evaluations.series(rolloutId, evaluations);
    }

    @PostMapping("/api/rollouts/{rolloutId}/what-if")
    @PreAuthorize("hasAnyRole('RELEASE_MANAGER','CI_PIPELINE','VIEWER')")
    @Operation(summary = "Re-evaluate with other thresholds, with no side effect",
            description = "Roles: RELEASE_MANAGER, CI_PIPELINE, VIEWER")
    Evaluations.Evaluation whatIf(@PathVariable UUID rolloutId, @Valid @RequestBody WhatIfRequest request,
            Authentication caller) {
        return evaluations.whatIf(rolloutId, new Evaluator.Request(request.phase(), request.batch(), request.since()),
                request.thresholds(), caller.getName());
    }
}
