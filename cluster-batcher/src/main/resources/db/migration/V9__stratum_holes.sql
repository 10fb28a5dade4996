-- Ranks left vacant in a stratum: by an agent that moved to another stratum, or was deregistered while a
-- rollout's plan was open (its rank could not be given to another agent without changing that agent's batch).
-- A plan frozen over a stratum with holes would count agents that are not there (a batch of 1,000,000 with
-- fewer members, its response rate short by as many); the next freeze closes them first. Existing holes are
-- counted once here.
ALTER TABLE stratum ADD COLUMN holes BIGINT NOT NULL DEFAULT 0;
UPDATE stratum SET holes = next_rank - (SELECT COUNT(*) FROM agent a
    WHERE a.cluster_id = stratum.cluster_id AND a.tz_offset = stratum.tz_offset);
