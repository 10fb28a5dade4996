package dev.rollout.phaseengine.rollout;

import java.util.Map;
import java.util.UUID;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import dev.rollout.phaseengine.rollout.RolloutRequests.RolloutView;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** The steps of rollback-service's saga that change the rollout: halt it, then record how the rollback ended. */
@RestController
@RequestMapping("/api/rollouts/{id}")
@Tag(name = "Rollouts", description = "Create a rollout of a new version and follow it through the four phases")
class RollbackHooksController {

    record RollbackStarted(@NotNull UUID rollbackId, @NotNull @Pattern(regexp = "FULL|PARTIAL") String scope,
            @Size(max = 500) String reason) {
    }

    record RollbackFinished(@NotNull UUID rollbackId, @NotNull @Pattern(regexp = "FULL|PARTIAL") String scope) {
    }

    record Continue(@NotEmpty @Size(max = 100) Map<
            @Pattern(regexp = RolloutRequests.NAME) String, @Pattern(regexp = RolloutRequests.VERSION) String> fixes,
            @Size(max = 500) String reason) {
    }

    private final Operations operations;

    RollbackHooksController(Operations operations) {
        this.operations = operations;
    }

    @PostMapping("/rollback-started")
    @PreAuthorize("hasRole('SERVICE')")
    @Operation(summary = "A rollback started: the rollout halts (ROLLING_BACK); repeating it changes nothing",
            description = "Role: SERVICE (rollback-service)")
    RolloutView started(@PathVariable UUID id, @Valid @RequestBody RollbackStarted request, Authentication caller) {
        String reason = request.scope() + " rollback " + request.rollbackId()
                + (request.reason() == null ? "" : ": " + request.reason());
        return RolloutView.of(operations.change(id, caller.getName(), (rollout, now) ->
                rollout.status() == RolloutStatus.ROLLING_BACK ? null : rollout.haltForRollback(reason, now)));
    }

    @PostMapping("/continue")
    @PreAuthorize("hasRole('SERVICE')")
    @Operation(summary = "After a partial rollback, continue in the phase with the fixed component versions",
            description = "Role: SERVICE (rollback-service, when a fix is re-deployed). The batch's observation window "
                    + "(or the phase's soak) starts again with the fix. Repeating it changes nothing.")
    RolloutView continueWithFix(@PathVariable UUID id, @Valid @RequestBody Continue request, Authentication caller) {
        return RolloutView.of(operations.continueWithFix(id, request.fixes(), request.reason() == null
                ? "fix re-deployed: " + request.fixes() : request.reason(), caller.getName()));
    }

    @PostMapping("/rollback-finished")
    @PreAuthorize("hasRole('SERVICE')")
    @Operation(summary = "A rollback finished: ROLLED_BACK (FULL) or PARTIALLY_ROLLED_BACK (PARTIAL, may continue after a fix)",
            description = "Role: SERVICE (rollback-service); repeating it changes nothing")
    RolloutView finished(@PathVariable UUID id, @Valid @RequestBody RollbackFinished request, Authentication caller) {
        boolean full = request.scope().equals("FULL");
        RolloutStatus finished = full ? RolloutStatus.ROLLED_BACK : RolloutStatus.PARTIALLY_ROLLED_BACK;
        String reason = request.scope() + " rollback " + request.rollbackId() + " finished";
        return RolloutView.of(operations.change(id, caller.getName(), (rollout, now) ->
                rollout.status() == finished ? null : rollout.finishRollback(full, reason, now)));
    }
}
