-- +goose Up
CREATE TABLE accounts (
  name        TEXT NOT NULL PRIMARY KEY,
  provider    TEXT  NOT NULL,
  environment TEXT  NOT NULL DEFAULT '',
  regions     TEXT         NOT NULL,
  error       TEXT         NULL,
  updated_at  DATETIME  NOT NULL
);

CREATE TABLE applications (
  id              TEXT  NOT NULL PRIMARY KEY,
  name            TEXT NOT NULL,
  description     TEXT         NOT NULL,
  owner_email     TEXT NOT NULL,
  criticality     TEXT  NOT NULL,
  cloud_providers TEXT         NOT NULL,
  created_at      DATETIME  NOT NULL,
  updated_at      DATETIME  NOT NULL,
  version         BIGINT       NOT NULL DEFAULT 1
);

CREATE TABLE clusters (
  id             TEXT  NOT NULL PRIMARY KEY,
  application_id TEXT  NOT NULL,
  account        TEXT NOT NULL,
  name           TEXT NOT NULL,
  stack          TEXT NOT NULL DEFAULT '',
  detail         TEXT NOT NULL DEFAULT '',
  created_at     DATETIME  NOT NULL,
  CONSTRAINT fk_clusters_application FOREIGN KEY (application_id) REFERENCES applications (id)
);

CREATE TABLE server_groups (
  id             TEXT  NOT NULL PRIMARY KEY,
  cluster_id     TEXT  NOT NULL,
  application_id TEXT  NOT NULL,
  account        TEXT NOT NULL,
  region         TEXT NOT NULL,
  name           TEXT NOT NULL,
  sequence       INT          NULL,
  capacity_min     INT        NOT NULL DEFAULT 0,
  capacity_desired INT        NOT NULL DEFAULT 0,
  capacity_max     INT        NOT NULL DEFAULT 0,
  artifact       TEXT         NOT NULL,
  enabled        BOOLEAN      NOT NULL DEFAULT 0,
  load_balancers TEXT         NOT NULL,
  provider_state BLOB     NULL,
  created_at     DATETIME  NOT NULL,
  updated_at     DATETIME  NOT NULL,
  version        BIGINT       NOT NULL DEFAULT 1,
  CONSTRAINT fk_server_groups_cluster FOREIGN KEY (cluster_id) REFERENCES clusters (id) ON DELETE CASCADE
);

CREATE TABLE instances (
  id              TEXT  NOT NULL PRIMARY KEY,
  server_group_id TEXT  NOT NULL,
  instance_id     TEXT NOT NULL,
  health          TEXT  NOT NULL,
  health_detail   TEXT         NOT NULL,
  zone            TEXT NOT NULL DEFAULT '',
  address         TEXT NOT NULL DEFAULT '',
  launched_at     DATETIME  NOT NULL,
  CONSTRAINT fk_instances_server_group FOREIGN KEY (server_group_id) REFERENCES server_groups (id) ON DELETE CASCADE
);

CREATE TABLE load_balancers (
  id             TEXT  NOT NULL PRIMARY KEY,
  application_id TEXT  NOT NULL,
  account        TEXT NOT NULL,
  region         TEXT NOT NULL,
  name           TEXT NOT NULL,
  address        TEXT NOT NULL DEFAULT '',
  targets        TEXT         NOT NULL,
  updated_at     DATETIME  NOT NULL,
  version        BIGINT       NOT NULL DEFAULT 1,
  CONSTRAINT fk_load_balancers_application FOREIGN KEY (application_id) REFERENCES applications (id)
);

CREATE TABLE pipelines (
  id             TEXT  NOT NULL PRIMARY KEY,
  application_id TEXT  NOT NULL,
  name           TEXT NOT NULL,
  definition     TEXT     NOT NULL,
  created_at     DATETIME  NOT NULL,
  updated_at     DATETIME  NOT NULL,
  updated_by     TEXT NOT NULL,
  version        BIGINT       NOT NULL DEFAULT 1,
  CONSTRAINT fk_pipelines_application FOREIGN KEY (application_id) REFERENCES applications (id)
);

CREATE TABLE executions (
  id               TEXT  NOT NULL PRIMARY KEY,
  type             TEXT  NOT NULL,
  application_id   TEXT  NOT NULL,
  application_name TEXT NOT NULL,
  pipeline_id      TEXT  NULL,
  name             TEXT NOT NULL,
  status           TEXT  NOT NULL,
  definition       TEXT     NOT NULL,
  "trigger"        TEXT         NOT NULL,
  triggered_by     TEXT NOT NULL,
  reason           TEXT         NOT NULL,
  parameters       TEXT         NOT NULL,
  context          TEXT     NOT NULL,
  created_at       DATETIME  NOT NULL,
  started_at       DATETIME  NULL,
  ended_at         DATETIME  NULL,
  paused_at        DATETIME  NULL,
  paused_ms        BIGINT       NOT NULL DEFAULT 0,
  canceled         BOOLEAN      NOT NULL DEFAULT 0,
  canceled_by      TEXT NULL,
  cancel_reason    TEXT         NULL,
  updated_at       DATETIME  NOT NULL,
  version          BIGINT       NOT NULL DEFAULT 1
);

CREATE TABLE stages (
  id            TEXT  NOT NULL PRIMARY KEY,
  execution_id  TEXT  NOT NULL,
  ref_id        TEXT NOT NULL,
  type          TEXT  NOT NULL,
  name          TEXT NOT NULL,
  requisites    TEXT         NOT NULL,
  status        TEXT  NOT NULL,
  context       TEXT     NOT NULL,
  outputs       TEXT     NOT NULL,
  error         TEXT         NULL,
  attempt       INT          NOT NULL DEFAULT 0,
  started_at    DATETIME  NULL,
  ended_at      DATETIME  NULL,
  CONSTRAINT fk_stages_execution FOREIGN KEY (execution_id) REFERENCES executions (id) ON DELETE CASCADE
);

CREATE TABLE tasks (
  id            TEXT  NOT NULL PRIMARY KEY,
  stage_id      TEXT  NOT NULL,
  execution_id  TEXT  NOT NULL,
  position      INT          NOT NULL,
  name          TEXT NOT NULL,
  status        TEXT  NOT NULL,
  attempts      INT          NOT NULL DEFAULT 0,
  error         TEXT         NULL,
  started_at    DATETIME  NULL,
  ended_at      DATETIME  NULL,
  CONSTRAINT fk_tasks_stage FOREIGN KEY (stage_id) REFERENCES stages (id) ON DELETE CASCADE
);

CREATE TABLE audit_events (
  id          INTEGER      PRIMARY KEY AUTOINCREMENT,
  at          DATETIME  NOT NULL,
  actor       TEXT NOT NULL,
  action      TEXT  NOT NULL,
  target_type TEXT  NOT NULL,
  target_id   TEXT NOT NULL,
  detail      TEXT         NOT NULL
);

CREATE UNIQUE INDEX idx_applications_name ON applications (name);
CREATE UNIQUE INDEX idx_clusters_account_name ON clusters (account, name);
CREATE INDEX idx_clusters_application ON clusters (application_id, name);
CREATE UNIQUE INDEX idx_server_groups_name ON server_groups (account, region, name);
CREATE INDEX idx_server_groups_cluster ON server_groups (cluster_id, created_at);
CREATE INDEX idx_server_groups_application ON server_groups (application_id);
CREATE UNIQUE INDEX idx_instances_server_group ON instances (server_group_id, instance_id);
CREATE UNIQUE INDEX idx_load_balancers_name ON load_balancers (account, region, name);
CREATE INDEX idx_load_balancers_application ON load_balancers (application_id, name);
CREATE UNIQUE INDEX idx_pipelines_application_name ON pipelines (application_id, name);
CREATE INDEX idx_executions_application ON executions (application_id, id);
CREATE INDEX idx_executions_pipeline ON executions (pipeline_id, status);
CREATE INDEX idx_executions_status ON executions (status, updated_at);
CREATE UNIQUE INDEX idx_stages_execution_ref ON stages (execution_id, ref_id);
CREATE INDEX idx_tasks_stage ON tasks (stage_id, position);
CREATE INDEX idx_tasks_execution ON tasks (execution_id);
CREATE INDEX idx_audit_events_target ON audit_events (target_type, target_id);
CREATE INDEX idx_audit_events_at ON audit_events (at);

-- +goose Down
DROP TABLE audit_events;
DROP TABLE tasks;
DROP TABLE stages;
DROP TABLE executions;
DROP TABLE pipelines;
DROP TABLE load_balancers;
DROP TABLE instances;
DROP TABLE server_groups;
DROP TABLE clusters;
DROP TABLE applications;
DROP TABLE accounts;
