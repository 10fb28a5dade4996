package dev.rollout.phaseengine.rollout;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.persistence.CollectionTable;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.OrderColumn;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

import dev.rollout.phaseengine.rollout.Transitions.Command;

/** The aggregate: one version of the product on its way from Phase 1 to the whole fleet. */
@Entity
@Table(name = "rollout")
public class Rollout {

    /** The longest status or timeline reason kept; a gate's full reasons stay in its evaluation. */
    public static final int REASON_MAX = 4000;

    /** A reason cut to {@link #REASON_MAX} characters, marked where it was cut. */
    public static String fit(String reason) {
        return reason == null || reason.length() <= REASON_MAX ? reason : reason.substring(0, REASON_MAX - 3) + "...";
    }


    @Id
    private UUID id;

    @Column(nullable = false, length = 200)
    private String name;

    @Column(name = "target_version", nullable = false, length = 64)
    private String targetVersion;

    @Column(name = "previous_stable_version", nullable = false, length = 64)
    private String previousStableVersion;

    @ElementCollection(fetch = FetchType.EAGER)
    @CollectionTable(name = "rollout_component", joinColumns = @JoinColumn(name = "rollout_id"))
    @OrderColumn(name = "position")
    private List<Component> components = new ArrayList<>();

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 32)
    private RolloutStatus status;

    @Column(name = "created_by", nullable = false, length = 128)
    private String createdBy;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    private Instant updatedAt;

    @Enumerated(EnumType.STRING)
    @Column(length = 32)
    private RolloutStatus phase;

    @Column(nullable = false)
    private int batch;

    @Column(nullable = false)
    private int batches;

    @Column(name = "status_reason", length = REASON_MAX)
    private String statusReason;

    @Column(name = "status_since")
    private Instant statusSince;

    @Column(name = "plan")
    @Convert(converter = PlanColumn.class)
    private RolloutPlan plan;

    @Column(name = "phase_started_at")
    private Instant phaseStartedAt;

    @Column(name = "batch_activated_at")
    private Instant batchActivatedAt;

    @Enumerated(EnumType.STRING)
    @Column(name = "approved_phase", length = 32)
    private RolloutStatus approvedPhase;

    @Enumerated(EnumType.STRING)
    @Column(name = "promoted_phase", length = 32)
    private RolloutStatus promotedPhase;

    @Enumerated(EnumType.STRING)
    @Column(name = "soak_waived_phase", length = 32)
    private RolloutStatus soakWaivedPhase;

    @Enumerated(EnumType.STRING)
    @Column(name = "pause_reason", length = 32)
    private PauseReason pauseReason;

    @Column(name = "conditions")
    @Convert(converter = StateColumns.Conditions.class)
    private List<Condition> conditions = new ArrayList<>();

    @Column(name = "last_evaluation")
    @Convert(converter = StateColumns.Evaluation.class)
    private EvaluationSummary lastEvaluation;

    @Version
    private long version;

    protected Rollout() {
    }

    private Rollout(UUID id, String name, String targetVersion, String previousStableVersion,
            List<Component> components, RolloutPlan plan, String createdBy, Instant now) {
        this.plan = plan;
        this.id = id;
        this.name = name;
        this.targetVersion = targetVersion;
        this.previousStableVersion = previousStableVersion;
        this.components = new ArrayList<>(components);
        this.status = RolloutStatus.DRAFT;
        this.createdBy = createdBy;
        this.createdAt = now;
        this.updatedAt = now;
        this.statusSince = now;
        this.batches = (int) Math.min(Integer.MAX_VALUE, (plan.fleetCap() + plan.batchSize() - 1) / plan.batchSize());
    }

    // The intents: each is one command of the transition table with what it implies. A command the table refuses
    // from the current status throws Progress.IllegalTransition and changes nothing.

    /** Phase 1 begins: its soak starts. */
    public Progress.Step start(String reason, Instant now) {
        return take(Command.START, reason, now);
    }

    /** The gate passed and the phase is done: the next phase begins (its soak starts), or the rollout completes. */
    public Progress.Step advance(String reason, Instant now) {
        return take(Command.ADVANCE, reason, now);
    }

    /** The expansion's next batch is activated: its observation window starts. */
    public Progress.Step activateNextBatch(String reason, Instant now) {
        return take(Command.NEXT_BATCH, reason, now);
    }

    /** Leaving the current phase is approved (for this phase only). */
    public Progress.Step approve(String reason, Instant now) {
        return take(Command.APPROVE, reason, now);
    }

    /** The current phase's remaining soak and observation windows are skipped; implies the approval. */
    public Progress.Step promote(String reason, Instant now) {
        return take(Command.PROMOTE, reason, now);
    }

    /** The rollout holds in its phase, for {@code why}. */
    public Progress.Step pause(PauseReason why, String reason, Instant now) {
        Progress.Step step = take(Command.PAUSE, reason, now);
        pauseReason = why;
        return step;
    }

    /**
     * A paused rollout goes on in its phase. Resuming one that paused at its maximum soak lets the phase run on past
     * it: a person chose so.
     */
    public Progress.Step resume(String reason, Instant now) {
        return goOn(Command.RESUME, reason, now);
    }

    /** An aborted or paused rollout starts again from its last good phase. */
    public Progress.Step retry(String reason, Instant now) {
        return goOn(Command.RETRY, reason, now);
    }

    public Progress.Step abort(String reason, Instant now) {
        return take(Command.ABORT, reason, now);
    }

    /** A rollback started: the rollout halts in ROLLING_BACK, keeping its phase. */
    public Progress.Step haltForRollback(String reason, Instant now) {
        return take(Command.START_ROLLBACK, reason, now);
    }

    /** The rollback finished: ROLLED_BACK when {@code full}, else PARTIALLY_ROLLED_BACK, which may continue. */
    public Progress.Step finishRollback(boolean full, String reason, Instant now) {
        return take(Command.FINISH_ROLLBACK, reason, now, full);
    }

    /**
     * After a partial rollback the rollout continues in its phase with the fixed versions of {@code fixes} (component
     * to version, each one of the rollout's); the fixed version is observed afresh: the batch's window, or the phase's
     * soak, starts again.
     */
    public Progress.Step continueWithFix(Map<String, String> fixes, String reason, Instant now) {
        List<String> unknown = fixes.keySet().stream()
                .filter(name -> components.stream().noneMatch(c -> c.name().equals(name))).toList();
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("no component " + String.join(", ", unknown));
        }
        Progress.Step step = take(Command.CONTINUE, reason, now);
        components.replaceAll(c -> fixes.containsKey(c.name()) ? new Component(c.name(), fixes.get(c.name())) : c);
        if (status == RolloutStatus.EXPANSION && batch > 0) {
            batchActivatedAt = now;
        }
        else {
            phaseStartedAt = now;
        }
        return step;
    }

    private Progress.Step goOn(Command command, String reason, Instant now) {
        PauseReason pausedFor = pauseReason;
        Progress.Step step = take(command, reason, now);
        if (pausedFor == PauseReason.MAX_SOAK_PASSED) {
            soakWaivedPhase = phase;
        }
        pauseReason = null;
        return step;
    }

    private Progress.Step take(Command command, String reason, Instant now) {
        return take(command, reason, now, true);
    }

    /**
     * The one place a command moves the state: through the transition table, then what every command implies (a new
     * phase starts its soak; an approval or promotion holds for the current phase; a batch starts its window).
     */
    private Progress.Step take(Command command, String reason, Instant now, boolean full) {
        Progress progress = new Progress(status, phase, batch, batches);
        Progress.Step step = progress.apply(command, reason, full);
        RolloutStatus phaseBefore = phase;
        status = progress.status();
        phase = progress.phase();
        batch = progress.batch();
        updatedAt = now;
        switch (command) {
            case APPROVE -> approvedPhase = phase;
            case PROMOTE -> {
                approvedPhase = phase;
                promotedPhase = phase;
            }
            case NEXT_BATCH -> batchActivatedAt = now;
            default -> {
            }
        }
        if (phase != phaseBefore || command == Command.START) {
            phaseStartedAt = now;
            batchActivatedAt = null;
        }
        if (step.from() != step.to()) {
            statusReason = fit(reason);
            statusSince = now;
        }
        return step;
    }

    /** The batch count of the frozen batch plan, known just before the expansion starts. */
    public void batchPlanFrozen(int batchCount) {
        Progress progress = new Progress(status, phase, batch, batches);
        progress.batches(batchCount);
        batches = batchCount;
    }

    public Instant phaseStartedAt() {
        return phaseStartedAt;
    }

    public Instant batchActivatedAt() {
        return batchActivatedAt;
    }

    /** Leaving the current phase was approved. */
    public boolean approved() {
        return phase != null && phase == approvedPhase;
    }

    /** The current phase's remaining soak (and observation window) was skipped by a promotion. */
    public boolean promoted() {
        return phase != null && phase == promotedPhase;
    }

    /** The current phase may run past its maximum soak: a person resumed it after it paused there. */
    public boolean maxSoakWaived() {
        return phase != null && phase == soakWaivedPhase;
    }

    public PauseReason pauseReason() {
        return pauseReason;
    }

    public List<Condition> conditions() {
        return conditions == null ? List.of() : List.copyOf(conditions);
    }

    /** Replaces the conditions; {@code false} when nothing changed (and so nothing is written). */
    public boolean conditions(List<Condition> next) {
        List<Condition> merged = next.stream().map(c -> c.since(conditions().stream()
                .filter(old -> old.type().equals(c.type())).findFirst().orElse(null))).toList();
        if (merged.equals(conditions())) {
            return false;
        }
        conditions = new ArrayList<>(merged);
        return true;
    }

    public EvaluationSummary lastEvaluation() {
        return lastEvaluation;
    }

    public void lastEvaluation(EvaluationSummary evaluation) {
        this.lastEvaluation = evaluation;
    }

    public RolloutStatus phase() {
        return phase;
    }

    public int batch() {
        return batch;
    }

    public int batches() {
        return batches;
    }

    public String statusReason() {
        return statusReason;
    }

    public Instant statusSince() {
        return statusSince;
    }

    /** A new rollout in DRAFT: nothing happens until it is started. */
    public static Rollout draft(String name, String targetVersion, String previousStableVersion,
            List<Component> components, RolloutPlan plan, String createdBy, Instant now) {
        return new Rollout(UUID.randomUUID(), name, targetVersion, previousStableVersion, components, plan, createdBy,
                now);
    }

    public RolloutPlan plan() {
        return plan == null ? RolloutPlan.defaults() : plan;
    }

    public UUID id() {
        return id;
    }

    public String name() {
        return name;
    }

    public String targetVersion() {
        return targetVersion;
    }

    public String previousStableVersion() {
        return previousStableVersion;
    }

    public List<Component> components() {
        return List.copyOf(components);
    }

    public RolloutStatus status() {
        return status;
    }

    public String createdBy() {
        return createdBy;
    }

    public Instant createdAt() {
        return createdAt;
    }

    public Instant updatedAt() {
        return updatedAt;
    }

    public long version() {
        return version;
    }
}
