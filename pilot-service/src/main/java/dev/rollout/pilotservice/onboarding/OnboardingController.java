package dev.rollout.pilotservice.onboarding;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import dev.rollout.pilotservice.roster.PilotGroup;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Onboarding", description = "Onboarding sessions of the pilots, attendance and completion")
class OnboardingController {

    record NewSession(@NotNull PilotGroup group, @NotBlank @Size(max = 200) String title, @NotNull Instant scheduledAt) {
    }

    record Attendance(@NotNull Boolean attended, @NotNull Boolean completed) {
    }

    private final Onboarding onboarding;

    OnboardingController(Onboarding onboarding) {
        this.onboarding = onboarding;
    }

    @PostMapping("/api/onboarding-sessions")
    @ResponseStatus(HttpStatus.CREATED)
    @PreAuthorize("hasRole('RELEASE_MANAGER')")
    @Operation(summary = "Schedule an onboarding session for a pilot group", description = "Roles: RELEASE_MANAGER")
    Onboarding.Session schedule(@Valid @RequestBody NewSession session, Authentication caller) {
        return onboarding.schedule(session.group(), session.title(), session.scheduledAt(), caller.getName());
    }

    @GetMapping("/api/onboarding-sessions")
    @PreAuthorize("hasAnyRole('RELEASE_MANAGER','VIEWER','SERVICE','PILOT')")
    @Operation(summary = "The onboarding sessions", description = "Roles: RELEASE_MANAGER, VIEWER, SERVICE, PILOT")
    List<Onboarding.Session> sessions() {
        return onboarding.sessions();
    }

    @PutMapping("/api/onboarding-sessions/{sessionId}/attendance/{pilotId}")
    @PreAuthorize("hasRole('RELEASE_MANAGER')")
    @Operation(summary = "Record a pilot's attendance and completion", description = "Roles: RELEASE_MANAGER")
    Onboarding.PilotStatus record(@PathVariable UUID sessionId, @PathVariable String pilotId,
            @Valid @RequestBody Attendance attendance) {
        return onboarding.record(sessionId, pilotId, attendance.attended(), attendance.completed());
    }

    @GetMapping("/api/onboarding-sessions/status")
    @PreAuthorize("hasAnyRole('RELEASE_MANAGER','VIEWER','SERVICE')")
    @Operation(summary = "Onboarding per pilot and the share onboarded", description = "Roles: RELEASE_MANAGER, VIEWER, SERVICE")
    Onboarding.Status status() {
        return onboarding.status();
    }
}
