package dev.rollout.pilotservice.feedback;

import java.net.URI;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.UUID;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import dev.rollout.pilotservice.grant.PilotGrants;
import dev.rollout.starter.web.ProblemException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.Authentication;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Pilot feedback", description = "Pilots rate the version they pilot; the gate reads the summary")
class FeedbackController {

    record NewFeedback(@Size(max = 64) String pilotId, @NotNull @Min(1) @Max(5) Integer rating,
            @Size(max = 2000) String comment, @NotNull Boolean instability,
            @Pattern(regexp = "[a-z0-9][a-z0-9-]{0,99}") String component) {
    }

    record Given(UUID id, UUID rolloutId, String pilotId, int rating, String comment, boolean instability,
            String component, Instant givenAt) {
    }

    private final PilotGrants grants;
    private final JdbcTemplate jdbc;
    private final Clock clock;

    FeedbackController(PilotGrants grants, JdbcTemplate jdbc, Clock clock) {
        this.grants = grants;
        this.jdbc = jdbc;
        this.clock = clock;
    }

    @PostMapping("/api/rollouts/{rolloutId}/feedback")
    @PreAuthorize("hasRole('PILOT')")
    @Operation(summary = "Give feedback on the version you pilot: rating 1-5, comment, instability flag, component",
            description = "Role: PILOT. A pilot speaks only for itself (its token) and only on a rollout it holds a grant on.")
    @Transactional
    ResponseEntity<Given> give(@PathVariable UUID rolloutId, @Valid @RequestBody NewFeedback feedback,
            Authentication caller) {
        String pilot = caller.getName();
        if (feedback.pilotId() != null && !feedback.pilotId().equals(pilot)) {
            throw new ProblemException(HttpStatus.FORBIDDEN, "Pilot " + pilot + " may not give feedback as pilot "
                    + feedback.pilotId());
        }
        if (!grants.holds(rolloutId, pilot)) {
            throw new ProblemException(HttpStatus.FORBIDDEN, "Pilot " + pilot + " does not pilot rollout " + rolloutId);
        }
        UUID id = UUID.randomUUID();
        Instant now = clock.instant();
        jdbc.update("INSERT INTO feedback (id, rollout_id, pilot_id, rating, comment, instability, component, given_at)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)", id, rolloutId, pilot, feedback.rating(), feedback.comment(),
                feedback.instability(), feedback.component(), Timestamp.from(now));
        return ResponseEntity.created(URI.create("/api/rollouts/" + rolloutId + "/feedback/" + id))
                .body(new Given(id, rolloutId, pilot, feedback.rating(), feedback.comment(), feedback.instability(),
                        feedback.component(), now));
    }
}
