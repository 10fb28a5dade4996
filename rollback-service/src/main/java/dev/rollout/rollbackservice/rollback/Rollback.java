package dev.rollout.rollbackservice.rollback;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

/** A rollback of one rollout, full or partial. */
@Entity
@Table(name = "rollback")
public class Rollback {

    @Id
    private UUID id;

    @Column(name = "rollout_id", nullable = false)
    private UUID rolloutId;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 16)
    private RollbackScope scope;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 16)
    private RollbackStatus status;

    @Column(nullable = false, length = 2000)
    private String reason;

    @Column(name = "requested_by", nullable = false, length = 128)
    private String requestedBy;

    @Column(name = "requested_at", nullable = false)
    private Instant requestedAt;

    @Column(length = 2000)
    private String components;

    @Column(name = "evaluation_id")
    private UUID evaluationId;

    @Column(name = "incident_id")
    private UUID incidentId;

    @Column(name = "received_at")
    private Instant receivedAt;

    @Column(name = "finished_at")
    private Instant finishedAt;

    @Column(name = "flipped_after_ms")
    private Long flippedAfterMs;

    @Column(length = 2000)
    private String error;

    /** The W3C traceparent of the request that asked for it: its steps continue that trace. */
    @Column(length = 64)
    private String traceparent;

    @Version
    private long version;

    protected Rollback() {
    }

    public Rollback(UUID rolloutId, RollbackScope scope, String reason, String requestedBy, Instant now) {
        this.id = UUID.randomUUID();
        this.rolloutId = rolloutId;
        this.scope = scope;
        this.status = RollbackStatus.REQUESTED;
        this.reason = reason;
        this.requestedBy = requestedBy;
        this.requestedAt = now;
    }

    public UUID id() {
        return id;
    }

    public UUID rolloutId() {
        return rolloutId;
    }

    public RollbackScope scope() {
        return scope;
    }

    public RollbackStatus status() {
        return status;
    }

    public String reason() {
        return reason;
    }

    public String requestedBy() {
        return requestedBy;
    }

    public Instant requestedAt() {
        return requestedAt;
    }

    /** The components a PARTIAL rollback reverts. */
    public List<String> components() {
        return components == null || components.isBlank() ? List.of() : List.of(components.split(","));
    }

    public UUID evaluationId() {
        return evaluationId;
    }

    public UUID incidentId() {
        return incidentId;
    }

    /** When the request arrived (real time: the flip is measured from here). */
    public Instant receivedAt() {
        return receivedAt;
    }

    public Instant finishedAt() {
        return finishedAt;
    }

    /** From the request to the moment every affected agent's desired version had flipped, in milliseconds. */
    public Long flippedAfterMs() {
        return flippedAfterMs;
    }

    public String error() {
        return error;
    }

    public String traceparent() {
        return traceparent;
    }
}
