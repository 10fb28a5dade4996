-- Idempotency-Key records of this service (rollout-starter): the first response to a key, replayed to a
-- retry of the same request. Portable SQL: PostgreSQL, and H2 in PostgreSQL mode for the standalone run.
CREATE TABLE IF NOT EXISTS idempotency_key (
    principal    VARCHAR(128)  NOT NULL,
    idem_key     VARCHAR(255)  NOT NULL,
    fingerprint  VARCHAR(64)   NOT NULL,
    method       VARCHAR(10)   NOT NULL,
    path         VARCHAR(1000) NOT NULL,
    status       INT,
    content_type VARCHAR(200),
    location     VARCHAR(1000),
    body         TEXT,
    created_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    completed_at TIMESTAMP WITH TIME ZONE,
    PRIMARY KEY (principal, idem_key)
);
CREATE INDEX IF NOT EXISTS idempotency_key_created ON idempotency_key (created_at);
