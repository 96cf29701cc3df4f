-- +goose Up
-- Where an audit event is filed besides its target: the application it belongs to (by name,
-- so that it outlives the application) and the execution it started or acted on.
ALTER TABLE audit_events
  ADD COLUMN application_name VARCHAR(191) NOT NULL DEFAULT '',
  ADD COLUMN execution_id     VARCHAR(36)  NOT NULL DEFAULT '',
  ADD KEY idx_audit_events_application (application_name),
  ADD KEY idx_audit_events_execution (execution_id),
  ADD KEY idx_audit_events_actor (actor);

-- Events recorded before: attributed from the rows they name, else from their detail (the
-- application's or pipeline's row may be deleted; the mutations recorded its name).
UPDATE audit_events SET execution_id = target_id WHERE target_type = 'Execution';
UPDATE audit_events SET application_name = COALESCE(
    (SELECT e.application_name FROM executions e WHERE e.id = audit_events.target_id), '')
  WHERE target_type = 'Execution';
UPDATE audit_events SET application_name = COALESCE(
    (SELECT a.name FROM applications a WHERE a.id = audit_events.target_id),
    CASE WHEN JSON_VALID(detail) THEN JSON_UNQUOTE(JSON_EXTRACT(detail, '$.name')) END, '')
  WHERE target_type = 'Application';
UPDATE audit_events SET application_name = COALESCE(
    (SELECT a.name FROM pipelines p JOIN applications a ON a.id = p.application_id WHERE p.id = audit_events.target_id),
    CASE WHEN JSON_VALID(detail) THEN JSON_UNQUOTE(JSON_EXTRACT(detail, '$.application')) END, '')
  WHERE target_type = 'Pipeline';

-- +goose Down
ALTER TABLE audit_events
  DROP KEY idx_audit_events_application,
  DROP KEY idx_audit_events_execution,
  DROP KEY idx_audit_events_actor,
  DROP COLUMN application_name,
  DROP COLUMN execution_id;
