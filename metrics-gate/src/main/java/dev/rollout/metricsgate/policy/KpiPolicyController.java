package dev.rollout.metricsgate.policy;

import java.util.Map;
import java.util.UUID;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "KPI policies", description = "The plan's KPIs and rollback triggers, per rollout")
class KpiPolicyController {

    record PolicyView(String source, Map<String, Double> thresholds, Map<String, Double> overrides) {
        static PolicyView of(KpiPolicy policy) {
            return new PolicyView(policy.overrides().isEmpty() ? "default" : "override", policy.asMap(), policy.overrides());
        }
    }

    private final KpiPolicies policies;

    KpiPolicyController(KpiPolicies policies) {
        this.policies = policies;
    }

    @GetMapping("/api/kpi-policies/default")
    @PreAuthorize("hasAnyRole('RELEASE_MANAGER','CI_PIPELINE','ON_CALL','VIEWER','SERVICE')")
    @Operation(summary = "The plan's default KPIs, rollback triggers and limits",
            description = "Roles: RELEASE_MANAGER, CI_PIPELINE, ON_CALL, VIEWER, SERVICE")
    PolicyView defaults() {
        return PolicyView.of(KpiPolicy.defaults());
    }

    @GetMapping("/api/rollouts/{rolloutId}/kpi-policy")
    @PreAuthorize("hasAnyRole('RELEASE_MANAGER','CI_PIPELINE','ON_CALL','VIEWER','SERVICE')")
    @Operation(summary = "The KPI policy in force for a rollout",
            description = "Roles: RELEASE_MANAGER, CI_PIPELINE, ON_CALL, VIEWER, SERVICE")
    PolicyView forRollout(@PathVariable UUID rolloutId) {
        return PolicyView.of(policies.of(rolloutId));
    }

    @PutMapping("/api/rollouts/{rolloutId}/kpi-policy")
    @PreAuthorize("hasAnyRole('RELEASE_MANAGER','SERVICE')")
    @Operation(summary = "Override thresholds for a rollout (all or nothing; a value outside its range is a 422 naming it)",
            description = "Roles: RELEASE_MANAGER, SERVICE (phase-engine, from the rollout plan)")
    PolicyView override(@PathVariable UUID rolloutId, @RequestBody @NotNull @Size(max = 50) Map<String, Double> overrides,
            Authentication caller) {
        return PolicyView.of(policies.override(rolloutId, overrides, caller.getName()));
    }
}
