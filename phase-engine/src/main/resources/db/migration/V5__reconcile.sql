-- What the reconcile loop needs to decide the next step: when the phase began (soak) and when the current
-- batch was activated (observation window), the approval and promotion of a phase, why it paused, the
-- conditions it shows and the gate's last verdict.
ALTER TABLE rollout ADD COLUMN phase_started_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE rollout ADD COLUMN batch_activated_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE rollout ADD COLUMN approved_phase VARCHAR(32);
ALTER TABLE rollout ADD COLUMN promoted_phase VARCHAR(32);
ALTER TABLE rollout ADD COLUMN soak_waived_phase VARCHAR(32);
ALTER TABLE rollout ADD COLUMN pause_reason VARCHAR(32);
ALTER TABLE rollout ADD COLUMN conditions TEXT;
ALTER TABLE rollout ADD COLUMN last_evaluation TEXT;

ALTER TABLE rollout_timeline ADD COLUMN evidence VARCHAR(200);

-- Every step with a side effect in another service, keyed by (rollout, step): recorded before the call,
-- completed in the transaction that records its outcome. The same key goes to the other service as the
-- Idempotency-Key, so a step redone after a crash is answered, not repeated. A step whose call fails is
-- tried again with backoff (last_attempt is real time, as the loop's interval).
CREATE TABLE rollout_step (
    rollout_id    UUID         NOT NULL REFERENCES rollout (id),
    step_key      VARCHAR(100) NOT NULL,
    state         VARCHAR(16)  NOT NULL,
    attempts      INT          NOT NULL,
    started_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    last_attempt  TIMESTAMP WITH TIME ZONE NOT NULL,
    finished_at   TIMESTAMP WITH TIME ZONE,
    fencing_token BIGINT       NOT NULL,
    outcome       VARCHAR(1000),
    PRIMARY KEY (rollout_id, step_key)
);
