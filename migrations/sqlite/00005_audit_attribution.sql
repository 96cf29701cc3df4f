-- +goose Up
-- Where an audit event is filed besides its target: the application it belongs to (by name,
-- so that it outlives the application) and the execution it started or acted on.
ALTER TABLE audit_events ADD COLUMN application_name TEXT NOT NULL DEFAULT '';
ALTER TABLE audit_events ADD COLUMN execution_id TEXT NOT NULL DEFAULT '';
CREATE INDEX idx_audit_events_application ON audit_events (application_name);
CREATE INDEX idx_audit_events_execution ON audit_events (execution_id);
CREATE INDEX idx_audit_events_actor ON audit_events (actor);

-- Events recorded before: attributed from the rows they name, else from their detail (the
-- application's or pipeline's row may be deleted; the mutations recorded its name).
UPDATE audit_events SET execution_id = target_id WHERE target_type = 'Execution';
UPDATE audit_events SET application_name = COALESCE(
    (SELECT e.application_name FROM executions e WHERE e.id = audit_events.target_id), '')
  WHERE target_type = 'Execution';
UPDATE audit_events SET application_name = COALESCE(
    (SELECT a.name FROM applications a WHERE a.id = audit_events.target_id),
    CASE WHEN json_valid(detail) THEN json_extract(detail, '$.name') END, '')
  WHERE target_type = 'Application';
UPDATE audit_events SET application_name = COALESCE(
    (SELECT a.name FROM pipelines p JOIN applications a ON a.id = p.application_id WHERE p.id = audit_events.target_id),
    CASE WHEN json_valid(detail) THEN json_extract(detail, '$.application') END, '')
  WHERE target_type = 'Pipeline';

-- +goose Down
DROP INDEX idx_audit_events_application;
DROP INDEX idx_audit_events_execution;
DROP INDEX idx_audit_events_actor;
ALTER TABLE audit_events DROP COLUMN application_name;
ALTER TABLE audit_events DROP COLUMN execution_id;
