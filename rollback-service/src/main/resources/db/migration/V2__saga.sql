-- A rollback as a durable saga: what it rolls back and why, one active rollback per rollout (active_for is the
-- rollout until the rollback completes; UNIQUE lets any number of NULLs through), the replica executing it
-- (owner and lease, real time), and how fast the agents' desired versions flipped.
ALTER TABLE rollback ADD COLUMN components VARCHAR(2000);
ALTER TABLE rollback ADD COLUMN evaluation_id UUID;
ALTER TABLE rollback ADD COLUMN incident_id UUID;
ALTER TABLE rollback ADD COLUMN active_for UUID;
ALTER TABLE rollback ADD CONSTRAINT rollback_one_active UNIQUE (active_for);
ALTER TABLE rollback ADD COLUMN received_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE rollback ADD COLUMN finished_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE rollback ADD COLUMN flipped_after_ms BIGINT;
ALTER TABLE rollback ADD COLUMN error VARCHAR(2000);
ALTER TABLE rollback ADD COLUMN owner VARCHAR(128);
ALTER TABLE rollback ADD COLUMN lease_until TIMESTAMP WITH TIME ZONE;

-- Its steps, each done once: a step is recorded RUNNING before its call (sent with the Idempotency-Key
-- rollback:<id>:<step>) and DONE in the transaction after it; a failed step waits next_attempt_at.
CREATE TABLE rollback_step (
    rollback_id     UUID         NOT NULL REFERENCES rollback (id),
    position        INT          NOT NULL,
    name            VARCHAR(32)  NOT NULL,
    status          VARCHAR(16)  NOT NULL,
    attempts        INT          NOT NULL,
    started_at      TIMESTAMP WITH TIME ZONE,
    finished_at     TIMESTAMP WITH TIME ZONE,
    next_attempt_at TIMESTAMP WITH TIME ZONE,
    error           VARCHAR(2000),
    outcome         VARCHAR(2000),
    PRIMARY KEY (rollback_id, position)
);
