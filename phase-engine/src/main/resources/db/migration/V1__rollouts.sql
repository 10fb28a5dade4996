-- Rollouts and their components. Portable SQL: PostgreSQL in production, H2 (PostgreSQL mode) standalone.
CREATE TABLE rollout (
    id                      UUID PRIMARY KEY,
    name                    VARCHAR(200) NOT NULL,
    target_version          VARCHAR(64)  NOT NULL,
    previous_stable_version VARCHAR(64)  NOT NULL,
    status                  VARCHAR(32)  NOT NULL,
    created_by              VARCHAR(128) NOT NULL,
    created_at              TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at              TIMESTAMP WITH TIME ZONE NOT NULL,
    version                 BIGINT NOT NULL
);

CREATE INDEX rollout_status_created ON rollout (status, created_at);
CREATE INDEX rollout_created ON rollout (created_at);

CREATE TABLE rollout_component (
    rollout_id UUID         NOT NULL REFERENCES rollout (id),
    position   INT          NOT NULL,
    name       VARCHAR(100) NOT NULL,
    version    VARCHAR(64)  NOT NULL,
    PRIMARY KEY (rollout_id, position),
    CONSTRAINT rollout_component_name UNIQUE (rollout_id, name)
);
