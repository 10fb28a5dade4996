-- Each plan's own key: the platform signs an agent's seat in the plan (its stratum and rank) with it when it tells
-- the agent its desired state or lists its batch, and an acknowledgement that carries the seat back is placed by it,
-- without looking the agent up among the fleet's agents. Plans frozen before this change have none: their
-- acknowledgements are looked up as before.
ALTER TABLE batch_plan ADD COLUMN seat_key BYTEA;
