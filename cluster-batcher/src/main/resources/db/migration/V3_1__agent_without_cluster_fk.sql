-- A foreign-key check per inserted agent costs more than the rest of a bulk import; the import creates
-- the clusters of its agents in the same transaction, so every agent's cluster exists by construction.
ALTER TABLE agent DROP CONSTRAINT IF EXISTS agent_cluster_id_fkey;
