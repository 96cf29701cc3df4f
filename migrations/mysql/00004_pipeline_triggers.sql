-- +goose Up
-- The index of enabled triggers; pipelines saved before it are indexed when the store opens.
CREATE TABLE pipeline_triggers (
  pipeline_id  VARCHAR(36)  NOT NULL,
  position     INT          NOT NULL,
  type         VARCHAR(32)  NOT NULL,
  match_key    VARCHAR(191) NOT NULL,
  PRIMARY KEY (pipeline_id, position),
  KEY idx_pipeline_triggers_match (type, match_key),
  CONSTRAINT fk_pipeline_triggers_pipeline FOREIGN KEY (pipeline_id) REFERENCES pipelines (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
ALTER TABLE pipelines ADD COLUMN triggers_indexed BOOLEAN NOT NULL DEFAULT FALSE;

-- +goose Down
ALTER TABLE pipelines DROP COLUMN triggers_indexed;
DROP TABLE pipeline_triggers;
