-- The fleet registry: clusters and agents. tz_offset is the agent's hourly zone, -11 (UTC-11) to 12 (UTC+12).
CREATE TABLE cluster (
    id     VARCHAR(64) PRIMARY KEY,
    region VARCHAR(64) NOT NULL
);

CREATE TABLE agent (
    agent_id      VARCHAR(128) PRIMARY KEY,
    cluster_id    VARCHAR(64)  NOT NULL REFERENCES cluster (id),
    region        VARCHAR(64)  NOT NULL,
    tz_offset     SMALLINT     NOT NULL CHECK (tz_offset BETWEEN -11 AND 12),
    labels        VARCHAR(2000),
    registered_at TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX agent_cluster_zone ON agent (cluster_id, tz_offset);
CREATE INDEX agent_zone ON agent (tz_offset);
