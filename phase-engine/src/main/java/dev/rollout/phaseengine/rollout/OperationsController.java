package dev.rollout.phaseengine.rollout;

import java.util.List;
import java.util.UUID;

import jakarta.validation.Valid;

import dev.rollout.phaseengine.rollout.RolloutRequests.Reason;
import dev.rollout.phaseengine.rollout.RolloutRequests.RolloutView;
import dev.rollout.phaseengine.rollout.RolloutRequests.TimelineEntry;
import dev.rollout.starter.web.ProblemException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/rollouts/{id}")
@Tag(name = "Rollouts", description = "Create a rollout of a new version and follow it through the four phases")
class OperationsController {

    private final Operations operations;
    private final RolloutService rollouts;

    OperationsController(Operations operations, RolloutService rollouts) {
        this.operations = operations;
        this.rollouts = rollouts;
    }

    @PostMapping("/start")
    @PreAuthorize("hasAnyRole('RELEASE_MANAGER','CI_PIPELINE')")
    @Operation(summary = "Start a DRAFT rollout: Phase 1 begins", description = "Roles: RELEASE_MANAGER; CI_PIPELINE for "
            + "the rollouts it created. 409 from any other state.")
    RolloutView start(@PathVariable UUID id, @Valid @RequestBody(required = false) Reason reason, Authentication caller) {
        boolean ci = caller.getAuthorities().stream().anyMatch(a -> a.getAuthority().equals("ROLE_CI_PIPELINE"));
        if (ci && !rollouts.find(id).createdBy().equals(caller.getName())) {
            throw new ProblemException(HttpStatus.FORBIDDEN, "A CI pipeline may start only the rollouts it created");
        }
        return change(id, caller, (rollout, now) -> rollout.start(text(reason, "started"), now));
    }

    @PostMapping("/approve")
    @PreAuthorize("hasRole('RELEASE_MANAGER')")
    @Operation(summary = "Approve leaving the current phase once its gate passes and its soak has elapsed",
            description = "Role: RELEASE_MANAGER. Needed where the plan asks for an approval (by default Phase 2 and 4); "
                    + "holds for the current phase only, and is kept in the timeline.")
    RolloutView approve(@PathVariable UUID id, @Valid @RequestBody(required = false) Reason reason, Authentication caller) {
        return change(id, caller, (rollout, now) -> rollout.approve(text(reason, "approved"), now));
    }

    @PostMapping("/promote")
    @PreAuthorize("hasRole('RELEASE_MANAGER')")
    @Operation(summary = "Skip the remaining soak (and observation window) of the current phase",
            description = "Role: RELEASE_MANAGER. The gate must still PASS; promotion implies the approval and is "
                    + "audited in the timeline with its reason.")
    RolloutView promote(@PathVariable UUID id, @Valid @RequestBody(required = false) Reason reason, Authentication caller) {
        return change(id, caller, (rollout, now) -> rollout.promote(text(reason, "promoted"), now));
    }

    @PostMapping("/pause")
    @PreAuthorize("hasRole('RELEASE_MANAGER')")
    @Operation(summary = "Pause the rollout in its phase, with a reason", description = "Role: RELEASE_MANAGER")
    RolloutView pause(@PathVariable UUID id, @Valid @RequestBody(required = false) Reason reason, Authentication caller) {
        return change(id, caller, (rollout, now) -> rollout.pause(PauseReason.MANUAL, text(reason, "paused by hand"), now));
    }

    @PostMapping("/resume")
    @PreAuthorize("hasRole('RELEASE_MANAGER')")
    @Operation(summary = "Resume a paused rollout in the phase it paused", description = "Role: RELEASE_MANAGER")
    RolloutView resume(@PathVariable UUID id, @Valid @RequestBody(required = false) Reason reason, Authentication caller) {
        return change(id, caller, (rollout, now) -> rollout.resume(text(reason, "resumed"), now));
    }

    @PostMapping("/abort")
    @PreAuthorize("hasRole('RELEASE_MANAGER')")
    @Operation(summary = "Abort the rollout, with a message", description = "Role: RELEASE_MANAGER")
    RolloutView abort(@PathVariable UUID id, @Valid @RequestBody(required = false) Reason reason, Authentication caller) {
        return change(id, caller, (rollout, now) -> rollout.abort(text(reason, "aborted"), now));
    }

    @PostMapping("/retry")
    @PreAuthorize("hasRole('RELEASE_MANAGER')")
    @Operation(summary = "Restart an aborted or paused rollout from its last good phase", description = "Role: RELEASE_MANAGER")
    RolloutView retry(@PathVariable UUID id, @Valid @RequestBody(required = false) Reason reason, Authentication caller) {
        return change(id, caller, (rollout, now) -> rollout.retry(text(reason, "retried"), now));
    }

    @GetMapping("/timeline")
    @PreAuthorize("hasAnyRole('RELEASE_MANAGER','CI_PIPELINE','ON_CALL','VIEWER','SERVICE')")
    @Operation(summary = "Every transition of the rollout with actor, reason and time",
            description = "Roles: RELEASE_MANAGER, CI_PIPELINE, ON_CALL, VIEWER, SERVICE")
    List<TimelineEntry> timeline(@PathVariable UUID id) {
        return operations.timeline(id);
    }

    private static String text(Reason reason, String fallback) {
        return reason == null || reason.reason() == null || reason.reason().isBlank() ? fallback : reason.reason();
    }

    /** The caller's intent on the rollout, through the one path that maps an illegal transition to a 409. */
    private RolloutView change(UUID id, Authentication caller, Operations.Intent intent) {
        return RolloutView.of(operations.change(id, caller.getName(), intent));
    }

}
