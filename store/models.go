package store

import (
	"time"
)

// Account is a deploy target, mirrored from the accounts file so that queries and joins
// see it. Credentials never reach this table.
type Account struct {
	Name        string `gorm:"primaryKey;size:191"`
	Provider    string `gorm:"size:64;not null"`
	Environment string `gorm:"size:64;not null"`
	Regions     StringList
	Error       *string
	UpdatedAt   time.Time
}

// Application is a service Gennaker delivers, with its owner and criticality.
type Application struct {
	ID             string `gorm:"primaryKey;size:36"`
	Name           string `gorm:"size:191;not null"`
	Description    string `gorm:"not null"`
	OwnerEmail     string `gorm:"size:191;not null"`
	Criticality    string `gorm:"size:16;not null"`
	CloudProviders StringList
	CreatedAt      time.Time
	UpdatedAt      time.Time
	Version        int64 `gorm:"not null"`
}

// Cluster is every server group of one moniker (app-stack-detail) in one account.
type Cluster struct {
	ID            string `gorm:"primaryKey;size:36"`
	ApplicationID string `gorm:"size:36;not null"`
	Account       string `gorm:"size:191;not null"`
	Name          string `gorm:"size:191;not null"`
	Stack         string `gorm:"size:191;not null"`
	Detail        string `gorm:"size:191;not null"`
	CreatedAt     time.Time
}

// ServerGroup is one immutable version of a cluster, as the caching agent last saw it.
type ServerGroup struct {
	ID              string `gorm:"primaryKey;size:36"`
	ClusterID       string `gorm:"size:36;not null"`
	ApplicationID   string `gorm:"size:36;not null"`
	Account         string `gorm:"size:191;not null"`
	Region          string `gorm:"size:191;not null"`
	Name            string `gorm:"size:191;not null"`
	Sequence        *int
	CapacityMin     int `gorm:"not null"`
	CapacityDesired int `gorm:"not null"`
	CapacityMax     int `gorm:"not null"`
	Artifact        JSONMap
	Enabled         bool `gorm:"not null"`
	LoadBalancers   StringList
	// ProviderState is the driver's opaque, versioned state blob; only the driver reads it.
	ProviderState []byte
	CreatedAt     time.Time
	UpdatedAt     time.Time
	Version       int64 `gorm:"not null"`
}

// Instance is one member of a server group and its health.
type Instance struct {
	ID            string `gorm:"primaryKey;size:36"`
	ServerGroupID string `gorm:"size:36;not null"`
	InstanceID    string `gorm:"size:191;not null"`
	Health        string `gorm:"size:32;not null"`
	HealthDetail  string `gorm:"not null"`
	Zone          string `gorm:"size:191;not null"`
	Address       string `gorm:"size:191;not null"`
	LaunchedAt    time.Time
}

// LoadBalancer routes traffic to enabled server groups, split by weight.
type LoadBalancer struct {
	ID            string `gorm:"primaryKey;size:36"`
	ApplicationID string `gorm:"size:36;not null"`
	Account       string `gorm:"size:191;not null"`
	Region        string `gorm:"size:191;not null"`
	Name          string `gorm:"size:191;not null"`
	Address       string `gorm:"size:191;not null"`
	Targets       Targets
	UpdatedAt     time.Time
	Version       int64 `gorm:"not null"`
}

// Target is one server group behind a load balancer and its share of traffic.
type Target struct {
	ServerGroup string `json:"serverGroup"`
	Weight      int    `json:"weight"`
}

// Pipeline is a saved pipeline. Definition is the pipeline.Definition as JSON: the store
// keeps it opaque so that it does not depend on the pipeline package.
type Pipeline struct {
	ID            string `gorm:"primaryKey;size:36"`
	ApplicationID string `gorm:"size:36;not null"`
	Name          string `gorm:"size:191;not null"`
	Definition    RawJSON
	CreatedAt     time.Time
	UpdatedAt     time.Time
	UpdatedBy     string `gorm:"size:191;not null"`
	Version       int64  `gorm:"not null"`
	// TriggersIndexed says the pipeline_triggers rows follow this definition.
	TriggersIndexed bool `gorm:"not null;default:false"`
}

// Execution types.
const (
	ExecutionTypePipeline      = "PIPELINE"
	ExecutionTypeOrchestration = "ORCHESTRATION"
)

// Execution is a run of a pipeline or an orchestration. Its Version grows with every change
// of the execution, its stages or its tasks: it is both the optimistic lock of the engine
// and the version subscribers use to drop stale updates.
type Execution struct {
	ID              string `gorm:"primaryKey;size:36"`
	Type            string `gorm:"size:16;not null"`
	ApplicationID   string `gorm:"size:36;not null"`
	ApplicationName string `gorm:"size:191;not null"`
	PipelineID      *string
	Name            string `gorm:"size:191;not null"`
	Status          string `gorm:"size:32;not null"`
	// Definition is the pipeline definition as it was when triggered.
	Definition   RawJSON
	Trigger      JSONMap `gorm:"column:trigger"`
	TriggeredBy  string  `gorm:"size:191;not null"`
	Reason       string  `gorm:"not null"`
	Parameters   JSONMap
	Context      JSONMap
	CreatedAt    time.Time
	StartedAt    *time.Time
	EndedAt      *time.Time
	PausedAt     *time.Time
	PausedMs     int64 `gorm:"not null"`
	Canceled     bool  `gorm:"not null"`
	CanceledBy   *string
	CancelReason *string
	UpdatedAt    time.Time
	Version      int64 `gorm:"not null"`

	Stages []Stage `gorm:"-"`
}

// Stage is one stage of an execution.
type Stage struct {
	ID          string `gorm:"primaryKey;size:36"`
	ExecutionID string `gorm:"size:36;not null"`
	RefID       string `gorm:"size:191;not null"`
	Type        string `gorm:"size:64;not null"`
	Name        string `gorm:"size:191;not null"`
	Requisites  StringList
	Status      string `gorm:"size:32;not null"`
	Context     JSONMap
	Outputs     JSONMap
	Error       *string
	// Attempt counts restarts: commands carry it so a stale one is recognised.
	Attempt   int `gorm:"not null"`
	StartedAt *time.Time
	EndedAt   *time.Time

	Tasks []Task `gorm:"-"`
}

// Task is a unit of work inside a stage.
type Task struct {
	ID          string `gorm:"primaryKey;size:36"`
	StageID     string `gorm:"size:36;not null"`
	ExecutionID string `gorm:"size:36;not null"`
	Position    int    `gorm:"not null"`
	Name        string `gorm:"size:191;not null"`
	Status      string `gorm:"size:32;not null"`
	Attempts    int    `gorm:"not null"`
	Error       *string
	StartedAt   *time.Time
	EndedAt     *time.Time
	// LeaseOwner is the engine replica running the task until LeaseUntil (LeaseTask); a
	// commit never writes them.
	LeaseOwner *string `gorm:"size:64"`
	LeaseUntil *time.Time
}

// AuditEvent records who changed what, written in the same transaction as the change.
type AuditEvent struct {
	ID         int64     `gorm:"primaryKey;autoIncrement"`
	At         time.Time `gorm:"not null"`
	Actor      string    `gorm:"size:191;not null"`
	Action     string    `gorm:"size:64;not null"`
	TargetType string    `gorm:"size:64;not null"`
	TargetID   string    `gorm:"size:191;not null"`
	Detail     JSONMap
	// ApplicationName is the application the target belongs to, by name so that its events
	// outlive it; "" when not known (events older than the column whose rows are gone).
	ApplicationName string `gorm:"size:191;not null"`
	// ExecutionID is the execution the action started or acted on; "" for none.
	ExecutionID string `gorm:"size:36;not null"`
}

// Models lists every table's model, for the schema check of the migrations.
func Models() []any {
	return []any{&Account{}, &Application{}, &Cluster{}, &ServerGroup{}, &Instance{},
		&LoadBalancer{}, &Pipeline{}, &Execution{}, &Stage{}, &Task{}, &AuditEvent{}, &Notification{}, &PipelineTrigger{}}
}
