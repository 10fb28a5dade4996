-- Agents per batch and stratum, computed once when a plan is frozen (the plan never changes after).
CREATE TABLE batch_count (
    rollout_id UUID   NOT NULL REFERENCES batch_plan (rollout_id),
    batch      INT    NOT NULL,
    idx        INT    NOT NULL,
    agents     BIGINT NOT NULL,
    PRIMARY KEY (rollout_id, batch, idx)
);
