-- Root-cause records after a full rollback, and the safeguards they ask of the next attempt's plan.
CREATE TABLE root_cause (
    id          UUID PRIMARY KEY,
    rollout_id  UUID          NOT NULL,
    rollback_id UUID          NOT NULL REFERENCES rollback (id),
    summary     VARCHAR(500)  NOT NULL,
    cause       VARCHAR(4000) NOT NULL,
    actions     TEXT          NOT NULL,
    safeguards  TEXT          NOT NULL,
    recorded_by VARCHAR(128)  NOT NULL,
    recorded_at TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX root_cause_rollout ON root_cause (rollout_id, recorded_at);
