package dev.rollout.phaseengine.rollout;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.persistence.CollectionTable;
import jakarta.persistence.Column;
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

/** The aggregate: one version of the product on its way from Phase 1 to the whole fleet. */
@Entity
@Table(name = "rollout")
public class Rollout {

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

    @Column(name = "status_reason", length = 500)
    private String statusReason;

    @Column(name = "status_since")
    private Instant statusSince;

    @Column(name = "plan")
    @jakarta.persistence.Convert(converter = PlanColumn.class)
    private RolloutPlan plan;

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

    /**
     * Applies a command through the transition table: refused (with the states it is allowed from) or
     * applied, with the step it made for the timeline.
     */
    public Progress.Step apply(Transitions.Command command, String reason, Instant now) {
        Progress progress = new Progress(status, phase, batch, batches);
        Progress.Step step = progress.apply(command, reason);
        status = progress.status();
        phase = progress.phase();
        batch = progress.batch();
        statusReason = reason;
        statusSince = now;
        updatedAt = now;
        return step;
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
