-- Acknowledgements keyed by batch first. An acknowledgement's batch follows from its agent, so a repeat
-- still meets its first; keyed this way, a batch's million acknowledgements go into one region of the
-- key's index instead of all over an index that grows by a million a batch, and the key serves the
-- batch health queries (rollout, batch) without a second index.
CREATE TABLE ack_by_batch (
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
    PRIMARY KEY (rollout_id, batch, agent_id, version)
);
INSERT INTO ack_by_batch (rollout_id, agent_id, version, batch, tz_offset, ok, latency_ms, requests, errors, received_at)
    SELECT rollout_id, agent_id, version, batch, tz_offset, ok, latency_ms, requests, errors, received_at FROM ack;
DROP TABLE ack;
ALTER TABLE ack_by_batch RENAME TO ack;
