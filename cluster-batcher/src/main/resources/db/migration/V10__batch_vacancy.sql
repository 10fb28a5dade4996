-- Agents that a rollout's frozen plan counts in a batch but that left their rank while the plan was open (moved
-- to another stratum, or deregistered): the batch's health counts them out of its activated agents, so that its
-- response rate is not short by agents that are gone.
CREATE TABLE batch_vacancy (
    rollout_id UUID    NOT NULL,
    batch      INTEGER NOT NULL,
    agents     BIGINT  NOT NULL,
    PRIMARY KEY (rollout_id, batch)
);
