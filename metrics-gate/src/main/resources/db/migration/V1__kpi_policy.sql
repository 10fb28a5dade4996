-- Per-rollout overrides of the plan's KPI thresholds (one row per overridden KPI).
CREATE TABLE kpi_policy_override (
    rollout_id UUID         NOT NULL,
    kpi        VARCHAR(64)  NOT NULL,
    threshold  NUMERIC(20, 6) NOT NULL,
    updated_by VARCHAR(128) NOT NULL,
    updated_at TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (rollout_id, kpi)
);
