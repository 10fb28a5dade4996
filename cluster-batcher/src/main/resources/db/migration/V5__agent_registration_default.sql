-- Agents loaded in bulk take their registration time from the transaction (one value per import).
ALTER TABLE agent ALTER COLUMN registered_at SET DEFAULT CURRENT_TIMESTAMP;
