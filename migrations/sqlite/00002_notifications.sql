-- +goose Up
-- The notifications outbox: written with the change that caused the event, sent after it.
CREATE TABLE notifications (
  id            TEXT     NOT NULL PRIMARY KEY,
  execution_id  TEXT     NOT NULL,
  event         TEXT     NOT NULL,
  stage_id      TEXT     NULL,
  targets       TEXT     NOT NULL,
  message       TEXT     NOT NULL,
  status        TEXT     NOT NULL,
  attempts      INT      NOT NULL DEFAULT 0,
  last_error    TEXT     NULL,
  created_at    DATETIME NOT NULL,
  updated_at    DATETIME NOT NULL,
  CONSTRAINT fk_notifications_execution FOREIGN KEY (execution_id) REFERENCES executions (id) ON DELETE CASCADE
);
CREATE INDEX idx_notifications_execution ON notifications (execution_id, created_at);
CREATE INDEX idx_notifications_status ON notifications (status, updated_at);

-- +goose Down
DROP TABLE notifications;
