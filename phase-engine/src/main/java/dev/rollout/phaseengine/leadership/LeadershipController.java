package dev.rollout.phaseengine.leadership;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Reconciler", description = "Which replica reconciles the rollouts")
class LeadershipController {

    private final Leadership leadership;

    LeadershipController(Leadership leadership) {
        this.leadership = leadership;
    }

    @GetMapping("/api/reconciler")
    @PreAuthorize("hasAnyRole('RELEASE_MANAGER','ON_CALL','VIEWER','SERVICE')")
    @Operation(summary = "This replica: does it lead the reconcile loop, with which fencing token, and how many of its "
            + "writes were refused after it lost the lease", description = "Roles: RELEASE_MANAGER, ON_CALL, VIEWER, SERVICE")
    Leadership.Status status() {
        return leadership.status();
    }
}
