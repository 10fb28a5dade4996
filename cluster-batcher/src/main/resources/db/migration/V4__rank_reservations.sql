-- Ranks reserved per stratum by the merge in progress: new agents take [base, base + fresh), agents moving
-- in from another stratum take the ones after.
DROP TABLE stratum_pending;
CREATE TABLE stratum_pending (
    cluster_id VARCHAR(64) NOT NULL,
    tz_offset  SMALLINT    NOT NULL,
    base       BIGINT      NOT NULL,
    fresh      BIGINT      NOT NULL,
    PRIMARY KEY (cluster_id, tz_offset)
);
