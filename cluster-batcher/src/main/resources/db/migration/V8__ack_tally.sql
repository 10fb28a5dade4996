-- A batch's acknowledgements summed as they arrive, per time zone and reported latency: batch health (read by
-- every gate evaluation) sums a few hundred rows instead of scanning and sorting a million acknowledgements.
-- Exact: the response rate, error figures, mean and percentiles of the latency follow from these counts.
CREATE TABLE ack_tally (
    rollout_id UUID     NOT NULL,
    batch      INT      NOT NULL,
    tz_offset  SMALLINT NOT NULL,
    latency_ms INT      NOT NULL,
    acks       BIGINT   NOT NULL,
    failed     BIGINT   NOT NULL,
    requests   BIGINT   NOT NULL,
    errors     BIGINT   NOT NULL,
    PRIMARY KEY (rollout_id, batch, tz_offset, latency_ms)
);
INSERT INTO ack_tally (rollout_id, batch, tz_offset, latency_ms, acks, failed, requests, errors)
    SELECT rollout_id, batch, tz_offset, latency_ms, COUNT(*), SUM(CASE WHEN ok THEN 0 ELSE 1 END), SUM(requests),
           SUM(errors)
    FROM ack GROUP BY rollout_id, batch, tz_offset, latency_ms;
