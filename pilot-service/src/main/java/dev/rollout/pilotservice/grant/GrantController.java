package dev.rollout.pilotservice.grant;

import java.util.List;
import java.util.UUID;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Size;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Pilot grants", description = "Owner-level permission of the 44 pilots on a rollout")
class GrantController {

    record Reason(@Size(max = 500) String reason) {
    }

    record Holdings(UUID rolloutId, long active, List<PilotGrants.Holding> pilots, List<PilotGrants.AuditEntry> audit) {
    }

    private final PilotGrants grants;

    GrantController(PilotGrants grants) {
        this.grants = grants;
    }

    @PostMapping("/api/rollouts/{rolloutId}/pilots/activation")
    @PreAuthorize("hasAnyRole('SERVICE','RELEASE_MANAGER')")
    @Operation(summary = "Grant owner-level permission on the rollout to every pilot (idempotent)",
            description = "Roles: SERVICE (phase-engine, Phase 2), RELEASE_MANAGER. 422 when the roster lacks its composition.")
    PilotGrants.Change activate(@PathVariable UUID rolloutId, @Valid @RequestBody(required = false) Reason reason,
            Authentication caller) {
        return grants.activate(rolloutId, caller.getName(), reason == null || reason.reason() == null
                ? "Phase 2: pilot deployment" : reason.reason());
    }

    @PostMapping("/api/rollouts/{rolloutId}/pilots/revocation")
    @PreAuthorize("hasAnyRole('SERVICE','RELEASE_MANAGER')")
    @Operation(summary = "Revoke every pilot's permission on the rollout (rollback or completion; idempotent)",
            description = "Roles: SERVICE, RELEASE_MANAGER")
    PilotGrants.Change revoke(@PathVariable UUID rolloutId, @Valid @RequestBody(required = false) Reason reason,
            Authentication caller) {
        return grants.revoke(rolloutId, caller.getName(), reason == null || reason.reason() == null
                ? "revoked" : reason.reason());
    }

    @GetMapping("/api/rollouts/{rolloutId}/pilots")
    @PreAuthorize("hasAnyRole('RELEASE_MANAGER','VIEWER','SERVICE','ON_CALL')")
    @Operation(summary = "Who holds what on the rollout since when, and the audit of every grant and revocation",
            description = "Roles: RELEASE_MANAGER, VIEWER, SERVICE, ON_CALL")
    Holdings holdings(@PathVariable UUID rolloutId) {
        List<PilotGrants.Holding> holdings = grants.holdings(rolloutId);
        return new Holdings(rolloutId, holdings.stream().filter(h -> h.revokedAt() == null).count(), holdings,
                grants.audit(rolloutId));
    }
}
