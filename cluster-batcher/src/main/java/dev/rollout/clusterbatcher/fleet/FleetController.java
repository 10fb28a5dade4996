package dev.rollout.clusterbatcher.fleet;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/fleet")
@Tag(name = "Fleet", description = "The registry of clusters and agents, across the 24 hourly time zones")
class FleetController {

    private final FleetTotals totals;

    FleetController(FleetTotals totals) {
        this.totals = totals;
    }

    @GetMapping
    @PreAuthorize("hasAnyRole('RELEASE_MANAGER','CI_PIPELINE','ON_CALL','VIEWER','SERVICE')")
    @Operation(summary = "Fleet totals by cluster and time zone",
            description = "Roles: RELEASE_MANAGER, CI_PIPELINE, ON_CALL, VIEWER, SERVICE")
    FleetTotals.Totals fleet() {
        return totals.compute();
    }
}
