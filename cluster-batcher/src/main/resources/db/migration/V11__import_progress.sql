-- An import is followed while it runs: lines received (spooled while the body arrives, without the fleet lock),
-- then merged under the lock. Statuses: RECEIVING, QUEUED (waiting for the fleet lock), MERGING, COMPLETED, FAILED.
ALTER TABLE fleet_import ADD COLUMN merged BIGINT NOT NULL DEFAULT 0;
UPDATE fleet_import SET status = 'FAILED', error = 'interrupted by a restart of the service'
    WHERE status IN ('RUNNING', 'MERGING');
CREATE INDEX fleet_import_started ON fleet_import (started_at DESC);
