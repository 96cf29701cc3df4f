-- +goose Up
-- The notifications outbox: written with the change that caused the event, sent after it.
CREATE TABLE notifications (
  id            VARCHAR(191) NOT NULL PRIMARY KEY,
  execution_id  VARCHAR(36)  NOT NULL,
  event         VARCHAR(64)  NOT NULL,
  stage_id      VARCHAR(36)  NULL,
  targets       LONGTEXT     NOT NULL,
  message       LONGTEXT     NOT NULL,
  status        VARCHAR(16)  NOT NULL,
  attempts      INT          NOT NULL DEFAULT 0,
  last_error    TEXT         NULL,
  created_at    DATETIME(6)  NOT NULL,
  updated_at    DATETIME(6)  NOT NULL,
  KEY idx_notifications_execution (execution_id, created_at),
  KEY idx_notifications_status (status, updated_at),
  CONSTRAINT fk_notifications_execution FOREIGN KEY (execution_id) REFERENCES executions (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- +goose Down
DROP TABLE notifications;
