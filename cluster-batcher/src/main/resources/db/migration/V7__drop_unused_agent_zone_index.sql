-- No query reads agents by time zone alone (totals group by cluster and zone, batches read by stratum and
-- rank): the index only cost every imported agent one more index entry.
DROP INDEX IF EXISTS agent_zone;
