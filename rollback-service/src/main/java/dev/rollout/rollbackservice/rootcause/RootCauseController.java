package dev.rollout.rollbackservice.rootcause;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
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
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Root causes", description = "After a full rollback: the cause, the actions and the next attempt's safeguards")
class RootCauseController {

    record SafeguardsIn(@Min(1) @Max(20_000_000) Long batchSize, Duration observationWindow,
            @Size(max = 50) Map<@NotBlank String, @NotNull Double> kpiOverrides) {
    }

    record RecordRootCause(@NotBlank @Size(max = 500) String summary, @NotBlank @Size(max = 4000) String cause,
            @NotNull @Size(max = 50) List<@NotBlank @Size(max = 500) String> actions, @Valid SafeguardsIn safeguards) {
    }

    private final RootCauses rootCauses;

    RootCauseController(RootCauses rootCauses) {
        this.rootCauses = rootCauses;
    }

    @PostMapping("/api/rollouts/{rolloutId}/root-causes")
    @PreAuthorize("hasAnyRole('RELEASE_MANAGER','ON_CALL')")
    @Operation(summary = "Record the root cause of a full rollback, and the safeguards of the next attempt",
            description = "Roles: RELEASE_MANAGER, ON_CALL. 409 unless the rollout was fully rolled back. A rollout created "
                    + "with previousAttempt set to this one carries the safeguards in its plan.")
    ResponseEntity<RootCauses.RootCause> record(@PathVariable UUID rolloutId, @Valid @RequestBody RecordRootCause request,
            Authentication caller) {
        SafeguardsIn in = request.safeguards();
        if (in != null && in.observationWindow() != null && (in.observationWindow().isNegative() || in.observationWindow().isZero())) {
            throw ProblemException.badRequest("safeguards.observationWindow must be positive");
        }
        RootCauses.RootCause recorded = rootCauses.record(rolloutId, request.summary().strip(), request.cause().strip(),
                request.actions(), in == null ? null : new RootCauses.Safeguards(in.batchSize(), in.observationWindow(),
                        in.kpiOverrides() == null ? Map.of() : in.kpiOverrides()), caller.getName());
        return ResponseEntity.created(URI.create("/api/rollouts/" + rolloutId + "/root-causes")).body(recorded);
    }

    @GetMapping("/api/rollouts/{rolloutId}/root-causes")
    @PreAuthorize("hasAnyRole('RELEASE_MANAGER','ON_CALL','VIEWER','CI_PIPELINE','SERVICE')")
    @Operation(summary = "The root-cause records of a rollout", description = "Roles: RELEASE_MANAGER, ON_CALL, VIEWER, "
            + "CI_PIPELINE, SERVICE (phase-engine, for the next attempt's plan)")
    List<RootCauses.RootCause> list(@PathVariable UUID rolloutId) {
        return rootCauses.of(rolloutId);
    }
}
