-- +goose Up
-- The index of enabled triggers; pipelines saved before it are indexed when the store opens.
CREATE TABLE pipeline_triggers (
  pipeline_id  TEXT    NOT NULL,
  position     INT     NOT NULL,
  type         TEXT    NOT NULL,
  match_key    TEXT    NOT NULL,
  PRIMARY KEY (pipeline_id, position),
  CONSTRAINT fk_pipeline_triggers_pipeline FOREIGN KEY (pipeline_id) REFERENCES pipelines (id) ON DELETE CASCADE
);
CREATE INDEX idx_pipeline_triggers_match ON pipeline_triggers (type, match_key);
ALTER TABLE pipelines ADD COLUMN triggers_indexed BOOLEAN NOT NULL DEFAULT FALSE;

-- +goose Down
ALTER TABLE pipelines DROP COLUMN triggers_indexed;
DROP TABLE pipeline_triggers;
