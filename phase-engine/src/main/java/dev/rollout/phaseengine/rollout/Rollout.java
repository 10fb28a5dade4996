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

    @Version
    private long version;

    protected Rollout() {
    }

    private Rollout(UUID id, String name, String targetVersion, String previousStableVersion,
            List<Component> components, String createdBy, Instant now) {
        this.id = id;
        this.name = name;
        this.targetVersion = targetVersion;
        this.previousStableVersion = previousStableVersion;
        this.components = new ArrayList<>(components);
        this.status = RolloutStatus.DRAFT;
        this.createdBy = createdBy;
        this.createdAt = now;
        this.updatedAt = now;
    }

    /** A new rollout in DRAFT: nothing happens until it is started. */
    public static Rollout draft(String name, String targetVersion, String previousStableVersion,
            List<Component> components, String createdBy, Instant now) {
        return new Rollout(UUID.randomUUID(), name, targetVersion, previousStableVersion, components, createdBy, now);
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
