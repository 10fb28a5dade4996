-- The fixed versions re-deployed after a partial rollback, one per component of that rollback.
CREATE TABLE component_fix (
    rollback_id UUID         NOT NULL REFERENCES rollback (id),
    component   VARCHAR(100) NOT NULL,
    version     VARCHAR(64)  NOT NULL,
    reason      VARCHAR(500),
    fixed_by    VARCHAR(128) NOT NULL,
    fixed_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (rollback_id, component)
);
