-- Rollbacks of rollouts. At most one active (REQUESTED, RUNNING or FAILED_STEP) rollback per rollout.
CREATE TABLE rollback (
    id           UUID PRIMARY KEY,
    rollout_id   UUID          NOT NULL,
    scope        VARCHAR(16)   NOT NULL,
    status       VARCHAR(16)   NOT NULL,
    reason       VARCHAR(2000) NOT NULL,
    requested_by VARCHAR(128)  NOT NULL,
    requested_at TIMESTAMP WITH TIME ZONE NOT NULL,
    version      BIGINT        NOT NULL
);
CREATE INDEX rollback_rollout ON rollback (rollout_id, requested_at);
