-- +goose Up
-- Which engine replica runs a task with effects outside Gennaker, until when.
ALTER TABLE tasks ADD COLUMN lease_owner TEXT NULL;
ALTER TABLE tasks ADD COLUMN lease_until DATETIME NULL;

-- +goose Down
ALTER TABLE tasks DROP COLUMN lease_owner;
ALTER TABLE tasks DROP COLUMN lease_until;
