package dev.rollout.metricsgate.policy;

import java.util.UUID;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "KPI policies", description = "The plan's KPIs and rollback triggers, per rollout")
class KpiPolicyController {

    record PolicyView(String source, KpiDefaults policy) {
    }

    private final KpiDefaults defaults;
    private final JdbcTemplate jdbc;

    KpiPolicyController(KpiDefaults defaults, JdbcTemplate jdbc) {
        this.defaults = defaults;
        this.jdbc = jdbc;
    }

    @GetMapping("/api/kpi-policies/default")
    @PreAuthorize("hasAnyRole('RELEASE_MANAGER','CI_PIPELINE','ON_CALL','VIEWER','SERVICE')")
    @Operation(summary = "The plan's default KPIs and rollback triggers",
            description = "Roles: RELEASE_MANAGER, CI_PIPELINE, ON_CALL, VIEWER, SERVICE")
    PolicyView defaults() {
        return new PolicyView("default", defaults);
    }

    @GetMapping("/api/rollouts/{rolloutId}/kpi-policy")
    @PreAuthorize("hasAnyRole('RELEASE_MANAGER','CI_PIPELINE','ON_CALL','VIEWER','SERVICE')")
    @Operation(summary = "The KPI policy in force for a rollout",
            description = "Roles: RELEASE_MANAGER, CI_PIPELINE, ON_CALL, VIEWER, SERVICE")
    PolicyView forRollout(@PathVariable UUID rolloutId) {
        Integer overrides = jdbc.queryForObject("SELECT count(*) FROM kpi_policy_override WHERE rollout_id = ?",
                Integer.class, rolloutId);
        return new PolicyView(overrides != null && overrides > 0 ? "override" : "default", defaults);
    }
}
