-- The rollout plan: per phase minimum and maximum soak and whether leaving it needs an approval; batch size,
-- fleet cap, observation window after each batch, KPI overrides. Stored as JSON with the rollout.
ALTER TABLE rollout ADD COLUMN plan TEXT;
