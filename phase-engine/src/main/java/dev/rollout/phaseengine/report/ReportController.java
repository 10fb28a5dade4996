package dev.rollout.phaseengine.report;

import java.util.UUID;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Size;

import dev.rollout.starter.web.ProblemException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Reports", description = "Daily stand-up, weekly stakeholder update, post-rollout review: JSON or Markdown")
class ReportController {

    static final String READERS = "hasAnyRole('RELEASE_MANAGER','CI_PIPELINE','ON_CALL','VIEWER')";
    static final MediaType MARKDOWN = MediaType.parseMediaType("text/markdown;charset=UTF-8");

    record LessonsIn(@Size(max = 20_000) String lessonsLearned, @Size(max = 20_000) String bestPractices,
            @Size(max = 20_000) String processImprovements) {
    }

    private final Reports reports;

    ReportController(Reports reports) {
        this.reports = reports;
    }

    @GetMapping("/api/rollouts/{id}/reports/daily")
    @PreAuthorize(READERS)
    @Operation(summary = "The daily stand-up of a rollout: its last 24 hours and what comes next (?format=markdown)",
            description = "Roles: RELEASE_MANAGER, CI_PIPELINE, ON_CALL, VIEWER")
    ResponseEntity<?> daily(@PathVariable UUID id, @RequestParam(required = false) String format) {
        Reports.Daily daily = reports.daily(id);
        return wantsMarkdown(format) ? markdown(Markdown.daily(daily)) : ResponseEntity.ok(daily);
    }

    @GetMapping("/api/rollouts/{id}/reports/review")
    @PreAuthorize(READERS)
    @Operation(summary = "The post-rollout review: each phase against its plan with the KPIs it passed on, batches, "
            + "rollbacks and their causes, lessons (?format=markdown)", description = "Roles: RELEASE_MANAGER, CI_PIPELINE, "
                    + "ON_CALL, VIEWER")
    ResponseEntity<?> review(@PathVariable UUID id, @RequestParam(required = false) String format) {
        Reports.Review review = reports.review(id);
        return wantsMarkdown(format) ? markdown(Markdown.review(review)) : ResponseEntity.ok(review);
    }

    @PutMapping("/api/rollouts/{id}/reports/review/lessons")
    @PreAuthorize("hasRole('RELEASE_MANAGER')")
    @Operation(summary = "Write the review's lessons learned, best practices and process improvements",
            description = "Role: RELEASE_MANAGER")
    Reports.Lessons lessons(@PathVariable UUID id, @Valid @RequestBody LessonsIn lessons, Authentication caller) {
        return reports.editLessons(id, lessons.lessonsLearned(), lessons.bestPractices(), lessons.processImprovements(),
                caller.getName());
    }

    @GetMapping("/api/reports/weekly")
    @PreAuthorize(READERS)
    @Operation(summary = "The weekly stakeholder update of every rollout (?format=markdown)",
            description = "Roles: RELEASE_MANAGER, CI_PIPELINE, ON_CALL, VIEWER")
    ResponseEntity<?> weekly(@RequestParam(required = false) String format) {
        Reports.Weekly weekly = reports.weekly();
        return wantsMarkdown(format) ? markdown(Markdown.weekly(weekly)) : ResponseEntity.ok(weekly);
    }

    /** {@code json} (the default) or {@code markdown}, in any case. */
    private static boolean wantsMarkdown(String format) {
        if (format == null || format.equalsIgnoreCase("json")) {
            return false;
        }
        if (format.equalsIgnoreCase("markdown") || format.equalsIgnoreCase("md")) {
            return true;
        }
        throw ProblemException.badRequest("format must be json or markdown, not '" + format + "'");
    }

    private static ResponseEntity<String> markdown(String text) {
        return ResponseEntity.ok().contentType(MARKDOWN).body(text);
    }
}
