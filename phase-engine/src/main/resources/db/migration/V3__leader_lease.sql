-- One replica reconciles at a time: it holds this lease, renewed before it expires. Each new holder gets a
-- higher fencing token; a write of the reconciler checks its token in the same transaction.
CREATE TABLE leader_lease (
    name          VARCHAR(64)  PRIMARY KEY,
    holder        VARCHAR(128),
    fencing_token BIGINT       NOT NULL,
    acquired_at   TIMESTAMP WITH TIME ZONE,
    expires_at    TIMESTAMP WITH TIME ZONE
);
INSERT INTO leader_lease (name, holder, fencing_token) VALUES ('reconciler', NULL, 0);
