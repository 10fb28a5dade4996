-- Batch membership is computed, never stored per agent: every agent has a registration rank inside its
-- stratum (cluster x hourly time zone); a frozen plan maps (stratum, rank) to a batch.
CREATE TABLE stratum (
    cluster_id VARCHAR(64) NOT NULL,
    tz_offset  SMALLINT    NOT NULL,
    next_rank  BIGINT      NOT NULL,
    PRIMARY KEY (cluster_id, tz_offset)
);

ALTER TABLE agent ADD COLUMN stratum_rank BIGINT NOT NULL DEFAULT 0;
ALTER TABLE agent ADD COLUMN updated_at TIMESTAMP WITH TIME ZONE;
DROP INDEX agent_cluster_zone;
CREATE UNIQUE INDEX agent_stratum_rank ON agent (cluster_id, tz_offset, stratum_rank);

-- Streaming imports: the summary, live progress and the rejected lines (the first ones, by number).
CREATE TABLE fleet_import (
    id           UUID PRIMARY KEY,
    format       VARCHAR(16)  NOT NULL,
    status       VARCHAR(16)  NOT NULL,
    received     BIGINT       NOT NULL,
    imported     BIGINT       NOT NULL,
    updated      BIGINT       NOT NULL,
    rejected     BIGINT       NOT NULL,
    requested_by VARCHAR(128) NOT NULL,
    started_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    finished_at  TIMESTAMP WITH TIME ZONE,
    error        VARCHAR(2000)
);

CREATE TABLE fleet_import_rejection (
    import_id UUID          NOT NULL REFERENCES fleet_import (id),
    line_no   BIGINT        NOT NULL,
    reason    VARCHAR(500)  NOT NULL,
    PRIMARY KEY (import_id, line_no)
);

-- A rollout's frozen batch plan.
CREATE TABLE batch_plan (
    rollout_id       UUID PRIMARY KEY,
    batch_size       BIGINT       NOT NULL,
    fleet_cap        BIGINT       NOT NULL,
    planned          BIGINT       NOT NULL,
    batch_count      INT          NOT NULL,
    seed             BIGINT       NOT NULL,
    target_version   VARCHAR(64)  NOT NULL,
    previous_version VARCHAR(64)  NOT NULL,
    frozen_by        VARCHAR(128) NOT NULL,
    frozen_at        TIMESTAMP WITH TIME ZONE NOT NULL,
    closed_at        TIMESTAMP WITH TIME ZONE
);

CREATE TABLE batch_plan_component (
    rollout_id       UUID         NOT NULL REFERENCES batch_plan (rollout_id),
    name             VARCHAR(100) NOT NULL,
    target_version   VARCHAR(64)  NOT NULL,
    previous_version VARCHAR(64)  NOT NULL,
    PRIMARY KEY (rollout_id, name)
);

CREATE TABLE batch_plan_stratum (
    rollout_id UUID        NOT NULL REFERENCES batch_plan (rollout_id),
    idx        INT         NOT NULL,
    cluster_id VARCHAR(64) NOT NULL,
    tz_offset  SMALLINT    NOT NULL,
    size       BIGINT      NOT NULL,
    multiplier BIGINT      NOT NULL,
    shift      BIGINT      NOT NULL,
    PRIMARY KEY (rollout_id, idx)
);

-- Activations: one row per batch (batch -1: the whole fleet, Phase 4). Cost independent of the fleet.
CREATE TABLE activation (
    rollout_id     UUID         NOT NULL REFERENCES batch_plan (rollout_id),
    batch          INT          NOT NULL,
    activated_by   VARCHAR(128) NOT NULL,
    activated_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    deactivated_by VARCHAR(128),
    deactivated_at TIMESTAMP WITH TIME ZONE,
    reason         VARCHAR(500),
    PRIMARY KEY (rollout_id, batch)
);

-- Components pinned to a version on every activated agent (a partial rollback pins the previous one).
CREATE TABLE component_pin (
    rollout_id UUID         NOT NULL REFERENCES batch_plan (rollout_id),
    component  VARCHAR(100) NOT NULL,
    version    VARCHAR(64)  NOT NULL,
    reason     VARCHAR(500) NOT NULL,
    pinned_by  VARCHAR(128) NOT NULL,
    pinned_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (rollout_id, component)
);

-- Acknowledgements: one per (rollout, agent, version); a repeat is counted once.
CREATE TABLE ack (
    rollout_id  UUID         NOT NULL,
    agent_id    VARCHAR(128) NOT NULL,
    version     VARCHAR(64)  NOT NULL,
    batch       INT          NOT NULL,
    tz_offset   SMALLINT     NOT NULL,
    ok          BOOLEAN      NOT NULL,
    latency_ms  INT          NOT NULL,
    requests    BIGINT       NOT NULL,
    errors      BIGINT       NOT NULL,
    received_at TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (rollout_id, agent_id, version)
);
CREATE INDEX ack_batch ON ack (rollout_id, batch);

-- Acknowledgements that do not fit the activated set: counted and listed, never merged.
CREATE TABLE ack_integrity (
    rollout_id  UUID         NOT NULL,
    agent_id    VARCHAR(128) NOT NULL,
    version     VARCHAR(64)  NOT NULL,
    problem     VARCHAR(32)  NOT NULL,
    batch       INT          NOT NULL,
    received_at TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (rollout_id, agent_id, version)
);
CREATE INDEX ack_integrity_batch ON ack_integrity (rollout_id, batch);

-- Rows of an import in flight, before they are validated against each other and merged into agent.
CREATE TABLE fleet_import_stage (
    import_id  UUID         NOT NULL,
    line_no    BIGINT       NOT NULL,
    agent_id   VARCHAR(128) NOT NULL,
    cluster_id VARCHAR(64)  NOT NULL,
    region     VARCHAR(64)  NOT NULL,
    tz_offset  SMALLINT     NOT NULL,
    labels     VARCHAR(2000)
);

-- One row to serialise the writers of ranks (imports, registrations, deregistrations).
CREATE TABLE fleet_lock (
    id INT PRIMARY KEY
);
INSERT INTO fleet_lock (id) VALUES (1);

-- The ranks reserved per stratum by the import being merged (emptied when the merge ends).
CREATE TABLE stratum_pending (
    cluster_id VARCHAR(64) NOT NULL,
    tz_offset  SMALLINT    NOT NULL,
    next_rank  BIGINT      NOT NULL,
    pending    BIGINT      NOT NULL,
    PRIMARY KEY (cluster_id, tz_offset)
);
