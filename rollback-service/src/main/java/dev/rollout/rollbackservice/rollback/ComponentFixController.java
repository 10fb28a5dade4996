package dev.rollout.rollbackservice.rollback;

import java.util.UUID;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import dev.rollout.starter.web.ProblemException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Rollbacks", description = "Partial and full rollbacks of a rollout, one call, executed once")
class ComponentFixController {

    record Fix(@NotBlank @Pattern(regexp = "[0-9A-Za-z][0-9A-Za-z.+_-]{0,63}", message = "must be a version such as 2.4.1")
            String version, @Size(max = 500) String reason) {
    }

    private final ComponentFixes fixes;

    ComponentFixController(ComponentFixes fixes) {
        this.fixes = fixes;
    }

    @PostMapping("/api/rollouts/{rolloutId}/components/{component}/fix")
    @PreAuthorize("hasAnyRole('RELEASE_MANAGER','ON_CALL')")
    @Operation(summary = "Re-deploy a component's fixed version after its partial rollback; the rollout continues once "
            + "every rolled-back component has its fix", description = "Roles: RELEASE_MANAGER, ON_CALL. 409 unless the "
                    + "rollout's last rollback is a completed partial rollback of this component.")
    ComponentFixes.Fixed fix(@PathVariable UUID rolloutId, @PathVariable String component, @Valid @RequestBody Fix fix,
            Authentication caller) {
        if (!component.matches("[a-z0-9][a-z0-9-]{0,99}")) {
            throw ProblemException.badRequest("component '" + component + "' is not a component name");
        }
        return fixes.fix(rolloutId, component, fix.version(), fix.reason(), caller.getName());
    }
}
