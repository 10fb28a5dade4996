package dev.rollout.clusterbatcher.activation;

import java.util.List;
import java.util.UUID;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import dev.rollout.starter.web.ProblemException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Activations", description = "Activate and deactivate batches, the fleet, or components: one row each")
class ActivationController {

    enum Scope { BATCH, ALL, COMPONENTS }

    record Deactivation(@NotNull Scope scope, Integer batch, @Size(max = 100) List<@NotBlank String> components,
            @NotBlank @Size(max = 500) String reason) {
    }

    record Pin(@NotBlank @Pattern(regexp = "[0-9A-Za-z][0-9A-Za-z.+_-]{0,63}") String version,
            @NotBlank @Size(max = 500) String reason) {
    }

    private final Activations activations;

    ActivationController(Activations activations) {
        this.activations = activations;
    }

    @PostMapping("/api/rollouts/{rolloutId}/batches/{number}/activation")
    @PreAuthorize("hasAnyRole('SERVICE','RELEASE_MANAGER')")
    @Operation(summary = "Activate batch n (1-based) for the plan's target version (idempotent)",
            description = "Roles: SERVICE, RELEASE_MANAGER. One row, whatever the batch size.")
    Activations.Change activate(@PathVariable UUID rolloutId, @PathVariable int number, Authentication caller) {
        return activations.activate(rolloutId, number, caller.getName());
    }

    @PostMapping("/api/rollouts/{rolloutId}/activations/fleet")
    @PreAuthorize("hasAnyRole('SERVICE','RELEASE_MANAGER')")
    @Operation(summary = "Activate the whole fleet, inside and outside the plan (Phase 4; idempotent)",
            description = "Roles: SERVICE, RELEASE_MANAGER")
    Activations.Change activateFleet(@PathVariable UUID rolloutId, Authentication caller) {
        return activations.activateFleet(rolloutId, caller.getName());
    }

    @PostMapping("/api/rollouts/{rolloutId}/deactivations")
    @PreAuthorize("hasAnyRole('SERVICE','RELEASE_MANAGER','ON_CALL')")
    @Operation(summary = "Send one batch, every activated agent, or only named components back to the previous version",
            description = "Roles: SERVICE (rollback-service), RELEASE_MANAGER, ON_CALL. Scope BATCH needs batch; "
                    + "COMPONENTS needs components (the others keep the new version).")
    Activations.Change deactivate(@PathVariable UUID rolloutId, @Valid @RequestBody Deactivation request,
            Authentication caller) {
        return switch (request.scope()) {
            case BATCH -> {
                if (request.batch() == null) {
                    throw ProblemException.badRequest("batch is required when scope is BATCH");
                }
                yield activations.deactivate(rolloutId, request.batch(), request.reason(), caller.getName());
            }
            case ALL -> activations.deactivateAll(rolloutId, request.reason(), caller.getName());
            case COMPONENTS -> {
                if (request.components() == null || request.components().isEmpty()) {
                    throw ProblemException.badRequest("components is required when scope is COMPONENTS");
                }
                yield activations.pin(rolloutId, request.components(), null, request.reason(), caller.getName());
            }
        };
    }

    @PutMapping("/api/rollouts/{rolloutId}/component-pins/{component}")
    @PreAuthorize("hasAnyRole('SERVICE','RELEASE_MANAGER')")
    @Operation(summary = "Pin a component to a version on every activated agent (a fix to re-deploy)",
            description = "Roles: SERVICE, RELEASE_MANAGER")
    Activations.Change pin(@PathVariable UUID rolloutId, @PathVariable String component, @Valid @RequestBody Pin pin,
            Authentication caller) {
        return activations.pin(rolloutId, List.of(component), pin.version(), pin.reason(), caller.getName());
    }

    @DeleteMapping("/api/rollouts/{rolloutId}/component-pins/{component}")
    @PreAuthorize("hasAnyRole('SERVICE','RELEASE_MANAGER')")
    @Operation(summary = "Lift a component's pin: activated agents get the plan's version again",
            description = "Roles: SERVICE, RELEASE_MANAGER")
    Activations.Change unpin(@PathVariable UUID rolloutId, @PathVariable String component, Authentication caller) {
        return activations.unpin(rolloutId, component, caller.getName());
    }
}
