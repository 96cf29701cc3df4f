package providers

import "time"

// ServerGroupRef names one server group of an account and region.
type ServerGroupRef struct {
	Account string `json:"account"`
	Region  string `json:"region"`
	Name    string `json:"name"`
}

// String returns "account/region/name".
func (r ServerGroupRef) String() string { return r.Account + "/" + r.Region + "/" + r.Name }

// ServerGroupSpec is what CreateServerGroup is asked to create. The server
// group's name is Moniker.Name(): the engine chooses the sequence (see
// NextSequence), which makes creation idempotent by name.
type ServerGroupSpec struct {
	Account  string   `json:"account"`
	Region   string   `json:"region"`
	Moniker  Moniker  `json:"moniker"`
	Capacity Capacity `json:"capacity"`
	Artifact Artifact `json:"artifact"`
	// LoadBalancers the group's healthy instances join while it is enabled.
	LoadBalancers []string `json:"loadBalancers,omitempty"`
	// Disabled creates the group out of traffic; it is enabled by default.
	Disabled bool `json:"disabled,omitempty"`
	// Tags are copied to the cloud's resources where the cloud has tags.
	Tags map[string]string `json:"tags,omitempty"`
}

// Ref returns the reference of the server group the spec creates.
func (s ServerGroupSpec) Ref() ServerGroupRef {
	return ServerGroupRef{Account: s.Account, Region: s.Region, Name: s.Moniker.Name()}
}

// ServerGroup is one immutable version of a cluster as the driver sees it.
type ServerGroup struct {
	Account   string    `json:"account"`
	Region    string    `json:"region"`
	Name      string    `json:"name"`
	Moniker   Moniker   `json:"moniker"`
	Capacity  Capacity  `json:"capacity"`
	Artifact  Artifact  `json:"artifact"`
	Enabled   bool      `json:"enabled"`
	CreatedAt time.Time `json:"createdAt"`
	// Instances currently running or recently failed, oldest first.
	Instances     []Instance        `json:"instances"`
	LoadBalancers []string          `json:"loadBalancers,omitempty"`
	Tags          map[string]string `json:"tags,omitempty"`
	// State is the driver's opaque, versioned record of the group; only the
	// driver that wrote it reads it.
	State []byte `json:"state,omitempty"`
}

// Ref returns the group's reference.
func (g ServerGroup) Ref() ServerGroupRef {
	return ServerGroupRef{Account: g.Account, Region: g.Region, Name: g.Name}
}

// CountHealth returns how many of the group's instances are in state h.
func (g ServerGroup) CountHealth(h HealthState) int {
	n := 0
	for _, in := range g.Instances {
		if in.Health == h {
			n++
		}
	}
	return n
}

// Instance is one machine, container or process of a server group.
type Instance struct {
	ID      string      `json:"id"`
	Zone    string      `json:"zone,omitempty"`
	Address string      `json:"address,omitempty"`
	Health  HealthState `json:"health"`
	// HealthDetail says why, in words a deploy can fail with: "exited with
	// status 1: listen tcp: address already in use".
	HealthDetail string    `json:"healthDetail,omitempty"`
	LaunchedAt   time.Time `json:"launchedAt"`
}

// HealthState is an instance's health, with Spinnaker's names.
type HealthState string

// Spinnaker's health states.
const (
	// Up: healthy and, when its group is enabled, taking traffic.
	Up HealthState = "Up"
	// Down: was healthy, now failing its health check.
	Down HealthState = "Down"
	// Starting: launched, not yet healthy.
	Starting HealthState = "Starting"
	// OutOfService: healthy but its group is disabled.
	OutOfService HealthState = "OutOfService"
	// Unknown: the driver cannot tell.
	Unknown HealthState = "Unknown"
	// Failed: the instance's process or machine failed; HealthDetail says why.
	Failed HealthState = "Failed"
	// Succeeded: a run-to-completion instance finished successfully.
	Succeeded HealthState = "Succeeded"
	// Draining: leaving service, finishing in-flight work.
	Draining HealthState = "Draining"
)

// LoadBalancer routes traffic to the enabled server groups attached to it.
type LoadBalancer struct {
	Account string `json:"account"`
	Region  string `json:"region"`
	Name    string `json:"name"`
	// Address clients connect to ("127.0.0.1:9000", a DNS name).
	Address string `json:"address"`
	// Targets lists every attached server group, sorted by name.
	Targets []Target `json:"targets"`
}

// Target is a server group attached to a load balancer.
type Target struct {
	ServerGroup string `json:"serverGroup"`
	// Weight is the group's effective share of new requests relative to the
	// other targets: 0 while the group is disabled.
	Weight int `json:"weight"`
}

// LoadBalancerSpec is what LoadBalancerManager.UpsertLoadBalancer is asked
// to create or update.
type LoadBalancerSpec struct {
	Account string `json:"account"`
	Region  string `json:"region"`
	Name    string `json:"name"`
	// Address to listen on, where the driver chooses ("127.0.0.1:9000");
	// empty lets the driver choose.
	Address string `json:"address,omitempty"`
	// Settings are driver-specific (health check, listeners, certificates).
	Settings map[string]any `json:"settings,omitempty"`
}
