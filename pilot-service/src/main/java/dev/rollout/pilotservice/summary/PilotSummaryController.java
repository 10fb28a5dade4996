package dev.rollout.pilotservice.summary;

import java.util.UUID;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Pilot feedback", description = "Pilots rate the version they pilot; the gate reads the summary")
class PilotSummaryController {

    private final PilotSummary summary;

    PilotSummaryController(PilotSummary summary) {
        this.summary = summary;
    }

    @GetMapping("/api/rollouts/{rolloutId}/feedback/summary")
    @PreAuthorize("hasAnyRole('SERVICE','RELEASE_MANAGER','VIEWER','ON_CALL')")
    @Operation(summary = "Satisfaction (mean, count, distribution), instability reports, per-component feedback, "
            + "onboarding, health checks and support volume of the pilot phase",
            description = "Roles: SERVICE (metrics-gate), RELEASE_MANAGER, VIEWER, ON_CALL")
    PilotSummary.Summary summary(@PathVariable UUID rolloutId) {
        return summary.of(rolloutId);
    }
}
