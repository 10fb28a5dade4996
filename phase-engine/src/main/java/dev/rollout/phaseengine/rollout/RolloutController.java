package dev.rollout.phaseengine.rollout;

import java.net.URI;
import java.util.UUID;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

import dev.rollout.phaseengine.rollout.RolloutRequests.CreateRollout;
import dev.rollout.phaseengine.rollout.RolloutRequests.PageView;
import dev.rollout.phaseengine.rollout.RolloutRequests.RolloutView;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Sort;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.Authentication;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/rollouts")
@Tag(name = "Rollouts", description = "Create a rollout of a new version and follow it through the four phases")
@Validated
class RolloutController {

    private final RolloutService service;

    RolloutController(RolloutService service) {
        this.service = service;
    }

    @PostMapping
    @PreAuthorize("hasAnyRole('RELEASE_MANAGER','CI_PIPELINE')")
    @Operation(summary = "Create a rollout (DRAFT)", description = "Roles: RELEASE_MANAGER, CI_PIPELINE")
    ResponseEntity<RolloutView> create(@Valid @RequestBody CreateRollout request, Authentication caller) {
        Rollout rollout = service.create(request, caller.getName());
        return ResponseEntity.created(URI.create("/api/rollouts/" + rollout.id())).body(RolloutView.of(rollout));
    }

    @GetMapping("/{id}")
    @PreAuthorize("hasAnyRole('RELEASE_MANAGER','CI_PIPELINE','ON_CALL','VIEWER','SERVICE')")
    @Operation(summary = "Read a rollout", description = "Roles: RELEASE_MANAGER, CI_PIPELINE, ON_CALL, VIEWER, SERVICE")
    RolloutView find(@PathVariable UUID id) {
        return RolloutView.of(service.find(id));
    }

    @GetMapping
    @PreAuthorize("hasAnyRole('RELEASE_MANAGER','CI_PIPELINE','ON_CALL','VIEWER','SERVICE')")
    @Operation(summary = "List rollouts, newest first, optionally by status",
            description = "Roles: RELEASE_MANAGER, CI_PIPELINE, ON_CALL, VIEWER, SERVICE")
    PageView<RolloutView> list(@RequestParam(required = false) RolloutStatus status,
            // a page past 10,000,000 would put the row offset beyond what the database takes (2^31 - 1)
            @RequestParam(defaultValue = "0") @Min(0)
            @Max(10_000_000) int page,
            @RequestParam(defaultValue = "20") @Min(1) @Max(200) int size) {
        Page<Rollout> result = service.list(status, PageRequest.of(page, size, Sort.by(Sort.Direction.DESC, "createdAt")));
        return new PageView<>(result.map(RolloutView::of).getContent(), page, size, result.getTotalElements(),
                result.getTotalPages());
    }
}
