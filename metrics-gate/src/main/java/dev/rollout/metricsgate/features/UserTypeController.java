package dev.rollout.metricsgate.features;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "User types", description = "Phase 4: the features each user type must reach, and the checks that they do")
class UserTypeController {

    static final String NAME = "[a-z0-9][a-z0-9-]{0,99}";

    record CheckIn(@NotNull @Pattern(regexp = NAME) String userType, @NotNull @Pattern(regexp = NAME) String feature,
            @NotNull Boolean reached, @Size(max = 1000) String detail) {
    }

    record ChecksIn(@NotEmpty @Size(max = 10_000) List<@Valid @NotNull CheckIn> checks) {
    }

    record Recorded(int recorded) {
    }

    private final UserTypes userTypes;

    UserTypeController(UserTypes userTypes) {
        this.userTypes = userTypes;
    }

    @PutMapping("/api/rollouts/{rolloutId}/user-types")
    @PreAuthorize("hasAnyRole('RELEASE_MANAGER','SERVICE')")
    @Operation(summary = "Declare the user types and the features each must reach (replaces the previous declaration)",
            description = "Roles: RELEASE_MANAGER, SERVICE (phase-engine, from the rollout plan)")
    Map<String, List<String>> declare(@PathVariable UUID rolloutId,
            @RequestBody @NotEmpty @Size(max = 50) Map<@Pattern(regexp = NAME) String,
                    @NotEmpty @Size(max = 100) List<@NotNull @Pattern(regexp = NAME) String>> features) {
        return userTypes.declare(rolloutId, features);
    }

    @GetMapping("/api/rollouts/{rolloutId}/user-types")
    @PreAuthorize("hasAnyRole('RELEASE_MANAGER','CI_PIPELINE','ON_CALL','VIEWER','SERVICE')")
    @Operation(summary = "Each user type's features with their latest check", description = "Roles: RELEASE_MANAGER, "
            + "CI_PIPELINE, ON_CALL, VIEWER, SERVICE")
    Map<String, List<UserTypes.Latest>> latest(@PathVariable UUID rolloutId) {
        return userTypes.latest(rolloutId);
    }

    @PostMapping("/api/rollouts/{rolloutId}/feature-checks")
    @PreAuthorize("hasAnyRole('CI_PIPELINE','SERVICE','RELEASE_MANAGER')")
    @Operation(summary = "Record whether users of a type reached a feature (a synthetic check, monitoring, support)",
            description = "Roles: CI_PIPELINE, SERVICE, RELEASE_MANAGER. All or none: a check of an undeclared user type "
                    + "or feature is a 422 naming its index.")
    Recorded record(@PathVariable UUID rolloutId, @Valid @RequestBody ChecksIn checks, Authentication caller) {
        return new Recorded(userTypes.record(rolloutId, checks.checks().stream()
                .map(c -> new UserTypes.Check(c.userType(), c.feature(), c.reached(), c.detail())).toList(), caller.getName()));
    }
}
