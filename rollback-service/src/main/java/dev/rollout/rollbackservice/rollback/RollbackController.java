package dev.rollout.rollbackservice.rollback;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import dev.rollout.starter.observability.WorkSpans;
import dev.rollout.starter.web.ProblemException;
import io.micrometer.core.instrument.MeterRegistry;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Sort;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/rollbacks")
@Tag(name = "Rollbacks", description = "Partial and full rollbacks of a rollout, one call, executed once")
class RollbackController {

    record StartRollback(@NotNull UUID rolloutId, @NotNull RollbackScope scope,
            @Size(max = 50) List<@NotBlank @Pattern(regexp = "[a-z0-9][a-z0-9-]{0,99}",
                    message = "must be a component name (lower-case letters, digits, dashes)") String> components,
            @NotBlank @Size(max = 2000) String reason, UUID evaluationId, UUID incidentId) {
    }

    record StepView(SagaStep name, StepStatus status, int attempts, Instant startedAt, Instant finishedAt,
            Instant nextAttemptAt, String error, String outcome) {
    }

    record RollbackView(UUID id, UUID rolloutId, RollbackScope scope, List<String> components, RollbackStatus status,
            String reason, UUID evaluationId, UUID incidentId, String requestedBy, Instant requestedAt,
            Instant finishedAt, Long flippedAfterMs, String error, List<StepView> steps) {
    }

    /** The answer to a request: the rollback that runs, and whether this request started it. */
    record Started(boolean started, String message, RollbackView rollback) {
    }

    private final Rollbacks rollbacks;
    private final RollbackStore store;
    private final Saga saga;
    private final Downstream downstream;
    private final MeterRegistry meters;
    private final WorkSpans spans;

    RollbackController(Rollbacks rollbacks, RollbackStore store, Saga saga, Downstream downstream,
            MeterRegistry meters, WorkSpans spans) {
        this.spans = spans;
        this.rollbacks = rollbacks;
        this.downstream = downstream;
        this.store = store;
        this.saga = saga;
        this.meters = meters;
    }

    @PostMapping
    @PreAuthorize("hasAnyRole('ON_CALL','RELEASE_MANAGER','SERVICE')")
    @Operation(summary = "Roll a rollout back, fully or only some components: one call, one execution",
            description = "Roles: ON_CALL, RELEASE_MANAGER, SERVICE (phase-engine's automatic trigger). 202 with the new "
                    + "rollback; 200 with the one already running for this rollout (started: false), never a second "
                    + "execution. PARTIAL needs the components. Honours Idempotency-Key.")
    ResponseEntity<Started> start(@Valid @RequestBody StartRollback request, Authentication caller) {
        List<String> components = request.components() == null ? List.of() : request.components().stream().distinct().toList();
        if (request.scope() == RollbackScope.PARTIAL && components.isEmpty()) {
            throw ProblemException.badRequest("components: a PARTIAL rollback names the components to revert");
        }
        if (request.scope() == RollbackScope.FULL && !components.isEmpty()) {
            throw ProblemException.badRequest("components: a FULL rollback reverts every component; leave components out");
        }
        if (!downstream.rolloutMayExist(request.rolloutId())) {
            throw ProblemException.notFound("Rollout", request.rolloutId());
        }
        RollbackStore.Requested requested = store.request(request.rolloutId(), request.scope(), components,
                request.reason().strip(), request.evaluationId(), request.incidentId(), caller.getName(),
                spans.currentTraceparent());
        if (requested.created()) {
            meters.counter("rollout.rollbacks", "scope", request.scope().name(), "requested_by",
                    caller.getAuthorities().stream().anyMatch(a -> a.getAuthority().equals("ROLE_SERVICE")) ? "trigger" : "person")
                    .increment();
            saga.start(requested.id());
            return ResponseEntity.accepted().location(URI.create("/api/rollbacks/" + requested.id()))
                    .body(new Started(true, "Rollback " + requested.id() + " started", view(requested.id())));
        }
        RollbackView running = view(requested.id());
        return ResponseEntity.ok().location(URI.create("/api/rollbacks/" + requested.id())).body(new Started(false,
                "Rollback " + requested.id() + " of this rollout is already " + running.status()
                        + (running.status() == RollbackStatus.FAILED_STEP ? " (resume it: POST /api/rollbacks/"
                                + requested.id() + "/resume)" : "") + "; no second rollback was started", running));
    }

    @PostMapping("/{id}/resume")
    @PreAuthorize("hasAnyRole('ON_CALL','RELEASE_MANAGER')")
    @Operation(summary = "Resume a rollback stopped at a failed step: the step is tried again",
            description = "Roles: ON_CALL, RELEASE_MANAGER. 409 unless the rollback is FAILED_STEP.")
    RollbackView resume(@PathVariable UUID id) {
        RollbackView current = view(id);
        if (!store.resume(id)) {
            throw new ProblemException(HttpStatus.CONFLICT, "Rollback " + id + " is " + current.status()
                    + "; only a FAILED_STEP rollback can be resumed").with("status", current.status());
        }
        saga.start(id);
        return view(id);
    }

    @GetMapping
    @PreAuthorize("hasAnyRole('RELEASE_MANAGER','ON_CALL','VIEWER','SERVICE')")
    @Operation(summary = "Rollbacks, newest first, of one rollout or of all",
            description = "Roles: RELEASE_MANAGER, ON_CALL, VIEWER, SERVICE")
    List<RollbackView> list(@RequestParam(required = false) UUID rolloutId) {
        List<Rollback> found = rolloutId == null
                ? rollbacks.findAll(PageRequest.of(0, 200, Sort.by(Sort.Direction.DESC, "requestedAt"))).getContent()
                : rollbacks.findByRolloutIdOrderByRequestedAtDesc(rolloutId);
        return found.stream().map(r -> view(r, store.steps(r.id()))).toList();
    }

    @GetMapping("/{id}")
    @PreAuthorize("hasAnyRole('RELEASE_MANAGER','ON_CALL','VIEWER','SERVICE')")
    @Operation(summary = "One rollback with every step, its status and times, and how fast the agents flipped",
            description = "Roles: RELEASE_MANAGER, ON_CALL, VIEWER, SERVICE")
    RollbackView find(@PathVariable UUID id) {
        return view(id);
    }

    private RollbackView view(UUID id) {
        Rollback rollback = rollbacks.findById(id).orElseThrow(() -> ProblemException.notFound("Rollback", id));
        return view(rollback, store.steps(id));
    }

    private static RollbackView view(Rollback r, List<RollbackStore.Step> steps) {
        return new RollbackView(r.id(), r.rolloutId(), r.scope(), r.components(), r.status(), r.reason(), r.evaluationId(),
                r.incidentId(), r.requestedBy(), r.requestedAt(), r.finishedAt(), r.flippedAfterMs(), r.error(),
                steps.stream().map(s -> new StepView(s.name(), s.status(), s.attempts(), s.startedAt(), s.finishedAt(),
                        s.nextAttemptAt(), s.error(), s.outcome())).toList());
    }
}
