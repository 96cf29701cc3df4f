package bus

import "encoding/json"

// EventKind names what changed.
type EventKind string

// Event kinds.
const (
	ExecutionChanged    EventKind = "execution"
	ServerGroupChanged  EventKind = "serverGroup"
	LoadBalancerChanged EventKind = "loadBalancer"
)

// Event says an object was committed with a new version, and carries the object itself as
// JSON (a store.Execution with its stages and tasks, a server group with its instances, or a
// load balancer with its targets and weights), so subscribers need not read the database.
type Event struct {
	Kind        EventKind       `json:"kind"`
	Application string          `json:"application"`
	ID          string          `json:"id"`
	Version     int64           `json:"version"`
	Deleted     bool            `json:"deleted,omitempty"`
	Object      json.RawMessage `json:"object,omitempty"`
}

// Subject is where the event is published.
func (e Event) Subject() string {
	return EventPrefix + "." + token(e.Application) + "." + string(e.Kind) + "." + token(e.ID)
}

// token makes a string safe as one subject token.
func token(s string) string {
	if s == "" {
		return "_"
	}
	b := []byte(s)
	for i, c := range b {
		if c == '.' || c == '*' || c == '>' || c == ' ' {
			b[i] = '_'
		}
	}
	return string(b)
}
