package dev.rollout.rollbackservice.rollback;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import dev.rollout.starter.web.ProblemException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Sort;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/rollbacks")
@Tag(name = "Rollbacks", description = "Partial and full rollbacks of a rollout")
@Transactional(readOnly = true)
class RollbackController {

    record RollbackView(UUID id, UUID rolloutId, RollbackScope scope, RollbackStatus status, String reason,
            String requestedBy, Instant requestedAt) {
        static RollbackView of(Rollback r) {
            return new RollbackView(r.id(), r.rolloutId(), r.scope(), r.status(), r.reason(), r.requestedBy(),
                    r.requestedAt());
        }
    }

    private final Rollbacks rollbacks;

    RollbackController(Rollbacks rollbacks) {
        this.rollbacks = rollbacks;
    }

    @GetMapping
    @PreAuthorize("hasAnyRole('RELEASE_MANAGER','ON_CALL','VIEWER','SERVICE')")
    @Operation(summary = "Rollbacks, newest first, of one rollout or of all",
            description = "Roles: RELEASE_MANAGER, ON_CALL, VIEWER, SERVICE")
    List<RollbackView> list(@RequestParam(required = false) UUID rolloutId) {
        List<Rollback> found = rolloutId == null
                ? rollbacks.findAll(PageRequest.of(0, 200, Sort.by(Sort.Direction.DESC, "requestedAt"))).getContent()
                : rollbacks.findByRolloutIdOrderByRequestedAtDesc(rolloutId);
        return found.stream().map(RollbackView::of).toList();
    }

    @GetMapping("/{id}")
    @PreAuthorize("hasAnyRole('RELEASE_MANAGER','ON_CALL','VIEWER','SERVICE')")
    @Operation(summary = "One rollback", description = "Roles: RELEASE_MANAGER, ON_CALL, VIEWER, SERVICE")
    RollbackView find(@PathVariable UUID id) {
        return rollbacks.findById(id).map(RollbackView::of).orElseThrow(() -> ProblemException.notFound("Rollback", id));
    }
}
