package dev.rollout.pilotservice.support;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.UUID;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import dev.rollout.pilotservice.grant.PilotGrants;
import dev.rollout.starter.web.ProblemException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Pilot health checks and support", description = "Automated checks of the pilot cluster; the pilots' support channel")
class SupportController {

    enum Severity { LOW, MEDIUM, HIGH, CRITICAL }

    record HealthCheck(@NotBlank @Size(max = 100) String name, @NotNull Boolean passed, @Size(max = 1000) String detail) {
    }

    record SupportRequest(@NotBlank @Size(max = 200) String subject, @NotNull Severity severity) {
    }

    record Recorded(UUID id, UUID rolloutId, Instant at) {
    }

    private final PilotGrants grants;
    private final JdbcTemplate jdbc;
    private final Clock clock;

    SupportController(PilotGrants grants, JdbcTemplate jdbc, Clock clock) {
        this.grants = grants;
        this.jdbc = jdbc;
        this.clock = clock;
    }

    @PostMapping("/api/rollouts/{rolloutId}/health-checks")
    @ResponseStatus(HttpStatus.CREATED)
    @PreAuthorize("hasAnyRole('SERVICE','CI_PIPELINE','RELEASE_MANAGER')")
    @Operation(summary = "Report an automated health check of the pilot cluster", description = "Roles: SERVICE, CI_PIPELINE, RELEASE_MANAGER")
    Recorded healthCheck(@PathVariable UUID rolloutId, @Valid @RequestBody HealthCheck check, Authentication caller) {
        UUID id = UUID.randomUUID();
        Instant now = clock.instant();
        jdbc.update("INSERT INTO health_check (id, rollout_id, name, passed, detail, reported_by, checked_at)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?)", id, rolloutId, check.name(), check.passed(), check.detail(),
                caller.getName(), Timestamp.from(now));
        return new Recorded(id, rolloutId, now);
    }

    @PostMapping("/api/rollouts/{rolloutId}/support-requests")
    @ResponseStatus(HttpStatus.CREATED)
    @PreAuthorize("hasAnyRole('PILOT','RELEASE_MANAGER')")
    @Operation(summary = "Raise a support request on the pilot's dedicated channel",
            description = "Roles: PILOT (for a rollout it pilots), RELEASE_MANAGER")
    Recorded support(@PathVariable UUID rolloutId, @Valid @RequestBody SupportRequest request, Authentication caller) {
        boolean pilot = caller.getAuthorities().stream().anyMatch(a -> a.getAuthority().equals("ROLE_PILOT"));
        if (pilot && !grants.holds(rolloutId, caller.getName())) {
            throw new ProblemException(HttpStatus.FORBIDDEN, "Pilot " + caller.getName() + " does not pilot rollout "
                    + rolloutId);
        }
        UUID id = UUID.randomUUID();
        Instant now = clock.instant();
        jdbc.update("INSERT INTO support_request (id, rollout_id, raised_by, subject, severity, raised_at)"
                + " VALUES (?, ?, ?, ?, ?, ?)", id, rolloutId, caller.getName(), request.subject(),
                request.severity().name(), Timestamp.from(now));
        return new Recorded(id, rolloutId, now);
    }
}
