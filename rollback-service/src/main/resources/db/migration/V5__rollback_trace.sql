-- The trace of the request that asked for the rollback (W3C traceparent): its saga's steps, on whichever replica
-- runs them, and the calls they make continue that trace.
ALTER TABLE rollback ADD COLUMN traceparent VARCHAR(64);
