-- +goose Up
CREATE TABLE accounts (
  name        VARCHAR(191) NOT NULL PRIMARY KEY,
  provider    VARCHAR(64)  NOT NULL,
  environment VARCHAR(64)  NOT NULL DEFAULT '',
  regions     TEXT         NOT NULL,
  error       TEXT         NULL,
  updated_at  DATETIME(6)  NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE applications (
  id              VARCHAR(36)  NOT NULL PRIMARY KEY,
  name            VARCHAR(191) NOT NULL,
  description     TEXT         NOT NULL,
  owner_email     VARCHAR(191) NOT NULL,
  criticality     VARCHAR(16)  NOT NULL,
  cloud_providers TEXT         NOT NULL,
  created_at      DATETIME(6)  NOT NULL,
  updated_at      DATETIME(6)  NOT NULL,
  version         BIGINT       NOT NULL DEFAULT 1,
  UNIQUE KEY idx_applications_name (name)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE clusters (
  id             VARCHAR(36)  NOT NULL PRIMARY KEY,
  application_id VARCHAR(36)  NOT NULL,
  account        VARCHAR(191) NOT NULL,
  name           VARCHAR(191) NOT NULL,
  stack          VARCHAR(191) NOT NULL DEFAULT '',
  detail         VARCHAR(191) NOT NULL DEFAULT '',
  created_at     DATETIME(6)  NOT NULL,
  UNIQUE KEY idx_clusters_account_name (account, name),
  KEY idx_clusters_application (application_id, name),
  CONSTRAINT fk_clusters_application FOREIGN KEY (application_id) REFERENCES applications (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE server_groups (
  id             VARCHAR(36)  NOT NULL PRIMARY KEY,
  cluster_id     VARCHAR(36)  NOT NULL,
  application_id VARCHAR(36)  NOT NULL,
  account        VARCHAR(191) NOT NULL,
  region         VARCHAR(191) NOT NULL,
  name           VARCHAR(191) NOT NULL,
  sequence       INT          NULL,
  capacity_min     INT        NOT NULL DEFAULT 0,
  capacity_desired INT        NOT NULL DEFAULT 0,
  capacity_max     INT        NOT NULL DEFAULT 0,
  artifact       TEXT         NOT NULL,
  enabled        BOOLEAN      NOT NULL DEFAULT FALSE,
  load_balancers TEXT         NOT NULL,
  provider_state LONGBLOB     NULL,
  created_at     DATETIME(6)  NOT NULL,
  updated_at     DATETIME(6)  NOT NULL,
  version        BIGINT       NOT NULL DEFAULT 1,
  UNIQUE KEY idx_server_groups_name (account, region, name),
  KEY idx_server_groups_cluster (cluster_id, created_at),
  KEY idx_server_groups_application (application_id),
  CONSTRAINT fk_server_groups_cluster FOREIGN KEY (cluster_id) REFERENCES clusters (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE instances (
  id              VARCHAR(36)  NOT NULL PRIMARY KEY,
  server_group_id VARCHAR(36)  NOT NULL,
  instance_id     VARCHAR(191) NOT NULL,
  health          VARCHAR(32)  NOT NULL,
  health_detail   TEXT         NOT NULL,
  zone            VARCHAR(191) NOT NULL DEFAULT '',
  address         VARCHAR(191) NOT NULL DEFAULT '',
  launched_at     DATETIME(6)  NOT NULL,
  UNIQUE KEY idx_instances_server_group (server_group_id, instance_id),
  CONSTRAINT fk_instances_server_group FOREIGN KEY (server_group_id) REFERENCES server_groups (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE load_balancers (
  id             VARCHAR(36)  NOT NULL PRIMARY KEY,
  application_id VARCHAR(36)  NOT NULL,
  account        VARCHAR(191) NOT NULL,
  region         VARCHAR(191) NOT NULL,
  name           VARCHAR(191) NOT NULL,
  address        VARCHAR(191) NOT NULL DEFAULT '',
  targets        TEXT         NOT NULL,
  updated_at     DATETIME(6)  NOT NULL,
  version        BIGINT       NOT NULL DEFAULT 1,
  UNIQUE KEY idx_load_balancers_name (account, region, name),
  KEY idx_load_balancers_application (application_id, name),
  CONSTRAINT fk_load_balancers_application FOREIGN KEY (application_id) REFERENCES applications (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE pipelines (
  id             VARCHAR(36)  NOT NULL PRIMARY KEY,
  application_id VARCHAR(36)  NOT NULL,
  name           VARCHAR(191) NOT NULL,
  definition     LONGTEXT     NOT NULL,
  created_at     DATETIME(6)  NOT NULL,
  updated_at     DATETIME(6)  NOT NULL,
  updated_by     VARCHAR(191) NOT NULL,
  version        BIGINT       NOT NULL DEFAULT 1,
  UNIQUE KEY idx_pipelines_application_name (application_id, name),
  CONSTRAINT fk_pipelines_application FOREIGN KEY (application_id) REFERENCES applications (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE executions (
  id               VARCHAR(36)  NOT NULL PRIMARY KEY,
  type             VARCHAR(16)  NOT NULL,
  application_id   VARCHAR(36)  NOT NULL,
  application_name VARCHAR(191) NOT NULL,
  pipeline_id      VARCHAR(36)  NULL,
  name             VARCHAR(191) NOT NULL,
  status           VARCHAR(32)  NOT NULL,
  definition       LONGTEXT     NOT NULL,
  `trigger`        TEXT         NOT NULL,
  triggered_by     VARCHAR(191) NOT NULL,
  reason           TEXT         NOT NULL,
  parameters       TEXT         NOT NULL,
  context          LONGTEXT     NOT NULL,
  created_at       DATETIME(6)  NOT NULL,
  started_at       DATETIME(6)  NULL,
  ended_at         DATETIME(6)  NULL,
  paused_at        DATETIME(6)  NULL,
  paused_ms        BIGINT       NOT NULL DEFAULT 0,
  canceled         BOOLEAN      NOT NULL DEFAULT FALSE,
  canceled_by      VARCHAR(191) NULL,
  cancel_reason    TEXT         NULL,
  updated_at       DATETIME(6)  NOT NULL,
  version          BIGINT       NOT NULL DEFAULT 1,
  KEY idx_executions_application (application_id, id),
  KEY idx_executions_pipeline (pipeline_id, status),
  KEY idx_executions_status (status, updated_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE stages (
  id            VARCHAR(36)  NOT NULL PRIMARY KEY,
  execution_id  VARCHAR(36)  NOT NULL,
  ref_id        VARCHAR(191) NOT NULL,
  type          VARCHAR(64)  NOT NULL,
  name          VARCHAR(191) NOT NULL,
  requisites    TEXT         NOT NULL,
  status        VARCHAR(32)  NOT NULL,
  context       LONGTEXT     NOT NULL,
  outputs       LONGTEXT     NOT NULL,
  error         TEXT         NULL,
  attempt       INT          NOT NULL DEFAULT 0,
  started_at    DATETIME(6)  NULL,
  ended_at      DATETIME(6)  NULL,
  UNIQUE KEY idx_stages_execution_ref (execution_id, ref_id),
  CONSTRAINT fk_stages_execution FOREIGN KEY (execution_id) REFERENCES executions (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE tasks (
  id            VARCHAR(36)  NOT NULL PRIMARY KEY,
  stage_id      VARCHAR(36)  NOT NULL,
  execution_id  VARCHAR(36)  NOT NULL,
  position      INT          NOT NULL,
  name          VARCHAR(191) NOT NULL,
  status        VARCHAR(32)  NOT NULL,
  attempts      INT          NOT NULL DEFAULT 0,
  error         TEXT         NULL,
  started_at    DATETIME(6)  NULL,
  ended_at      DATETIME(6)  NULL,
  KEY idx_tasks_stage (stage_id, position),
  KEY idx_tasks_execution (execution_id),
  CONSTRAINT fk_tasks_stage FOREIGN KEY (stage_id) REFERENCES stages (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE audit_events (
  id          BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
  at          DATETIME(6)  NOT NULL,
  actor       VARCHAR(191) NOT NULL,
  action      VARCHAR(64)  NOT NULL,
  target_type VARCHAR(64)  NOT NULL,
  target_id   VARCHAR(191) NOT NULL,
  detail      TEXT         NOT NULL,
  KEY idx_audit_events_target (target_type, target_id),
  KEY idx_audit_events_at (at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

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
