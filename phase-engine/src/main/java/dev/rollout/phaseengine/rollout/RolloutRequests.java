package dev.rollout.phaseengine.rollout;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** The records of the rollout API. */
public final class RolloutRequests {

    static final String VERSION = "[0-9A-Za-z][0-9A-Za-z.+_-]{0,63}";
    static final String NAME = "[a-z0-9][a-z0-9-]{0,99}";

    private RolloutRequests() {
    }

    record CreateRollout(
            @NotBlank @Size(max = 200) String name,
            @NotBlank @Pattern(regexp = VERSION, message = "must be a version such as 2.4.0 (letters, digits, . + _ -)") String targetVersion,
            @NotBlank @Pattern(regexp = VERSION, message = "must be a version such as 2.3.1 (letters, digits, . + _ -)") String previousStableVersion,
            @NotEmpty @Size(max = 100) List<@Valid @NotNull ComponentSpec> components, RolloutPlan plan, UUID previousAttempt) {
    }

    record ComponentSpec(
            @NotBlank @Pattern(regexp = NAME, message = "must be lower-case letters, digits and dashes") String name,
            @NotBlank @Pattern(regexp = VERSION, message = "must be a version such as 2.4.0") String version) {
    }

    record RolloutView(UUID id, String name, String targetVersion, String previousStableVersion,
            List<ComponentSpec> components, RolloutStatus status, RolloutStatus phase, int batch, int batches,
            String statusReason, Instant statusSince, PauseReason pauseReason, Instant phaseStartedAt,
            Instant batchActivatedAt, boolean approved, boolean promoted, List<Condition> conditions,
            EvaluationSummary lastEvaluation, RolloutPlan plan, String createdBy, Instant createdAt, Instant updatedAt,
            long version) {

        static RolloutView of(Rollout rollout) {
            return new RolloutView(rollout.id(), rollout.name(), rollout.targetVersion(),
                    rollout.previousStableVersion(),
                    rollout.components().stream().map(c -> new ComponentSpec(c.name(), c.version())).toList(),
                    rollout.status(), rollout.phase(), rollout.batch(), rollout.batches(), rollout.statusReason(),
                    rollout.statusSince(), rollout.status() == RolloutStatus.PAUSED ? rollout.pauseReason() : null,
                    rollout.phaseStartedAt(), rollout.batchActivatedAt(), rollout.approved(), rollout.promoted(),
                    rollout.conditions(), rollout.lastEvaluation(), rollout.plan(), rollout.createdBy(),
                    rollout.createdAt(), rollout.updatedAt(), rollout.version());
        }
    }

    record Reason(@Size(max = 500) String reason) {
    }

    public record TimelineEntry(Instant at, String actor, String command, RolloutStatus from, RolloutStatus to, int batch,
            String reason, String evidence) {
    }

    record PageView<T>(List<T> items, int page, int size, long totalItems, int totalPages) {
    }
}
