-- A gate's reasons (every KPI that holds, with its figures and the silent time zones) can run past 500
-- characters; the rollout's status reason and its timeline keep up to 4000 (longer ones end in "...", the
-- whole text stays in the gate evaluation).
ALTER TABLE rollout ALTER COLUMN status_reason SET DATA TYPE VARCHAR(4000);
ALTER TABLE rollout_timeline ALTER COLUMN reason SET DATA TYPE VARCHAR(4000);
