-- The two ways an agent is found carry what is asked of it, so that PostgreSQL answers from the index alone
-- (an index-only scan, once the import's background vacuum has marked the pages all-visible) instead of
-- reading the agent's heap page too: by id (an acknowledgement, a desired state: its stratum and rank), and
-- by stratum and rank (listing a batch: its id and region).
ALTER TABLE agent DROP CONSTRAINT agent_pkey;
ALTER TABLE agent ADD CONSTRAINT agent_pkey PRIMARY KEY (agent_id) INCLUDE (cluster_id, tz_offset, stratum_rank);
DROP INDEX agent_stratum_rank;
CREATE UNIQUE INDEX agent_stratum_rank ON agent (cluster_id, tz_offset, stratum_rank) INCLUDE (agent_id, region);
