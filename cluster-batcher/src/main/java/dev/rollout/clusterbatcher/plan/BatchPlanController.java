package dev.rollout.clusterbatcher.plan;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Batch plans", description = "Freeze a rollout's stratified batches of the fleet")
class BatchPlanController {

    static final String VERSION = "[0-9A-Za-z][0-9A-Za-z.+_-]{0,63}";

    record ComponentSpec(@NotBlank @Size(max = 100) String name,
            @NotBlank @Pattern(regexp = VERSION) String version,
            @NotBlank @Pattern(regexp = VERSION) String previousVersion) {
    }

    record FreezeRequest(
            @Min(1) @Max(20_000_000) Long batchSize,
            @Min(1) @Max(1_000_000_000) Long fleetCap,
            @NotBlank @Pattern(regexp = VERSION) String targetVersion,
            @NotBlank @Pattern(regexp = VERSION) String previousStableVersion,
            @NotEmpty @Size(max = 100) List<@Valid @NotNull ComponentSpec> components) {
    }

    record PlanView(UUID rolloutId, long batchSize, long fleetCap, long planned, int batchCount, int strata,
            String targetVersion, String previousVersion, List<FrozenPlan.ComponentVersions> components,
            String frozenBy, Instant frozenAt, Instant closedAt) {

        static PlanView of(FrozenPlan p) {
            return new PlanView(p.rolloutId(), p.planner().batchSize(), p.fleetCap(), p.planner().planned(),
                    p.planner().batchCount(), p.planner().strata().size(), p.targetVersion(), p.previousVersion(),
                    p.components(), p.frozenBy(), p.frozenAt(), p.closedAt());
        }
    }

    private final BatchPlans plans;

    BatchPlanController(BatchPlans plans) {
        this.plans = plans;
    }

    @PostMapping("/api/rollouts/{rolloutId}/batch-plan")
    @PreAuthorize("hasAnyRole('SERVICE','RELEASE_MANAGER')")
    @Operation(summary = "Freeze the rollout's batch plan over the fleet as it is now (idempotent)",
            description = "Roles: SERVICE (phase-engine, when expansion starts), RELEASE_MANAGER. 201 when frozen now, "
                    + "200 when the same plan was already frozen, 409 when a different one was. Defaults: batches of "
                    + "1,000,000, fleet cap 20,000,000.")
    ResponseEntity<PlanView> freeze(@PathVariable UUID rolloutId, @Valid @RequestBody FreezeRequest request,
            Authentication caller) {
        BatchPlans.Frozen frozen = plans.freeze(rolloutId, new BatchPlans.Freeze(
                request.batchSize() == null ? 1_000_000 : request.batchSize(),
                request.fleetCap() == null ? 20_000_000 : request.fleetCap(), request.targetVersion(),
                request.previousStableVersion(), request.components().stream()
                        .map(c -> new FrozenPlan.ComponentVersions(c.name(), c.version(), c.previousVersion())).toList()),
                caller.getName());
        return ResponseEntity.status(frozen.created() ? HttpStatus.CREATED : HttpStatus.OK).body(PlanView.of(frozen.plan()));
    }

    @PostMapping("/api/rollouts/{rolloutId}/batch-plan/close")
    @PreAuthorize("hasAnyRole('SERVICE','RELEASE_MANAGER')")
    @Operation(summary = "Close the plan when its rollout has ended", description = "Roles: SERVICE, RELEASE_MANAGER")
    ResponseEntity<Void> close(@PathVariable UUID rolloutId) {
        plans.close(rolloutId);
        return ResponseEntity.noContent().build();
    }
}
