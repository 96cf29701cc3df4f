-- +goose Up
-- Which engine replica runs a task with effects outside Gennaker, until when.
ALTER TABLE tasks ADD COLUMN lease_owner VARCHAR(64) NULL, ADD COLUMN lease_until DATETIME(6) NULL;

-- +goose Down
ALTER TABLE tasks DROP COLUMN lease_owner, DROP COLUMN lease_until;
