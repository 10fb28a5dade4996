-- Acknowledgements counted once by their agent's seat instead of a unique key on the log.
--
-- While a plan is open an agent's seat (its stratum and its rank in it) is its own: ranks are compacted only when no
-- plan is open, and a rank left vacant is not given to another agent. So one bit per (rollout, version, seat) says
-- whether the acknowledgement was counted, and the log of acknowledgements needs no key: a batch's million rows are
-- appended instead of inserted at random places of a key of (rollout, batch, agent, version) (bench/ack-log: 1,000,000
-- acknowledgements copied in calls of 10,000, 6.0-6.4 s with the key, 2.2-2.3 s without).
--
-- ack_seat: the bits, 8,192 ranks of a stratum per row (rank / 8192 the row, rank % 8192 the bit; at most 1 KB).
CREATE TABLE ack_seat (
    rollout_id UUID        NOT NULL,
    version    VARCHAR(64) NOT NULL,
    cluster_id VARCHAR(64) NOT NULL,
    tz_offset  SMALLINT    NOT NULL,
    chunk      INT         NOT NULL,
    bits       BYTEA       NOT NULL,
    PRIMARY KEY (rollout_id, version, cluster_id, tz_offset, chunk)
);

-- Plans frozen before this change keep counting their acknowledgements by the key they were stored under (now
-- ack_keyed); plans frozen from now on count them by seat, into the log without a key.
ALTER TABLE batch_plan ADD COLUMN acks_by_seat BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE batch_plan ALTER COLUMN acks_by_seat SET DEFAULT true;

ALTER TABLE ack RENAME TO ack_keyed;
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
    received_at TIMESTAMP WITH TIME ZONE NOT NULL
);
