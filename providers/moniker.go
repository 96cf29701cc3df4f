package providers

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// MaxSequence is the largest server group sequence; the next one after it
// wraps to 0, as Spinnaker's names do (v000–v999).
const MaxSequence = 999

// Moniker names a server group the way Spinnaker's Frigga does:
// app-stack-detail-vNNN. App is required and holds no dash; Stack holds no
// dash; Detail may hold dashes. A cluster is every server group of one
// moniker (App, Stack, Detail) in one account.
type Moniker struct {
	App      string `json:"app" yaml:"app"`
	Stack    string `json:"stack,omitempty" yaml:"stack,omitempty"`
	Detail   string `json:"detail,omitempty" yaml:"detail,omitempty"`
	Sequence int    `json:"sequence" yaml:"sequence"`
}

var (
	appPattern    = regexp.MustCompile(`^[a-zA-Z0-9._~^]+$`)
	stackPattern  = regexp.MustCompile(`^[a-zA-Z0-9._~^]*$`)
	detailPattern = regexp.MustCompile(`^[a-zA-Z0-9._~^-]*$`)
	namePattern   = regexp.MustCompile(`^(.+)-v([0-9]{3})$`)
)

// Cluster returns the cluster name: "app", "app-stack", "app--detail" or
// "app-stack-detail", omitting empty trailing parts as Frigga does.
func (m Moniker) Cluster() string {
	switch {
	case m.Detail != "":
		return m.App + "-" + m.Stack + "-" + m.Detail
	case m.Stack != "":
		return m.App + "-" + m.Stack
	default:
		return m.App
	}
}

// Name returns the server group name, the cluster followed by the sequence
// on three digits: "app-stack-v007".
func (m Moniker) Name() string {
	return fmt.Sprintf("%s-v%03d", m.Cluster(), m.Sequence)
}

// Validate returns an ErrInvalidSpec error when the moniker cannot name a
// server group: App empty or holding a dash, Stack holding a dash, a
// character outside [a-zA-Z0-9._~^-], or a Sequence outside 0–999.
func (m Moniker) Validate() error {
	switch {
	case !appPattern.MatchString(m.App):
		return Errorf(CodeInvalidSpec, "validating moniker: app %q must be non-empty and made of [a-zA-Z0-9._~^]", m.App)
	case !stackPattern.MatchString(m.Stack):
		return Errorf(CodeInvalidSpec, "validating moniker: stack %q must be made of [a-zA-Z0-9._~^]", m.Stack)
	case !detailPattern.MatchString(m.Detail):
		return Errorf(CodeInvalidSpec, "validating moniker: detail %q must be made of [a-zA-Z0-9._~^-]", m.Detail)
	case m.Sequence < 0 || m.Sequence > MaxSequence:
		return Errorf(CodeInvalidSpec, "validating moniker: sequence %d outside 0–%d", m.Sequence, MaxSequence)
	}
	return nil
}

// ParseCluster parses a cluster name ("app", "app-stack", "app--detail",
// "app-stack-detail-with-dashes") into a Moniker with Sequence 0. It
// returns an ErrInvalidSpec error when the name is not a valid cluster name.
func ParseCluster(cluster string) (Moniker, error) {
	parts := strings.SplitN(cluster, "-", 3)
	m := Moniker{App: parts[0]}
	if len(parts) > 1 {
		m.Stack = parts[1]
	}
	if len(parts) > 2 {
		m.Detail = parts[2]
	}
	if err := m.Validate(); err != nil {
		return Moniker{}, Errorf(CodeInvalidSpec, "parsing cluster %q: %w", cluster, err)
	}
	if m.Cluster() != cluster {
		// "app-" or "app-stack-": a trailing dash names nothing.
		return Moniker{}, Errorf(CodeInvalidSpec, "parsing cluster %q: empty trailing part", cluster)
	}
	return m, nil
}

// ParseName parses a server group name ("app-stack-detail-v007") into its
// Moniker. The "-vNNN" suffix of exactly three digits is required; it
// returns an ErrInvalidSpec error otherwise or when the cluster part is not
// valid.
func ParseName(name string) (Moniker, error) {
	sub := namePattern.FindStringSubmatch(name)
	if sub == nil {
		return Moniker{}, Errorf(CodeInvalidSpec, "parsing server group name %q: want <cluster>-vNNN", name)
	}
	m, err := ParseCluster(sub[1])
	if err != nil {
		return Moniker{}, Errorf(CodeInvalidSpec, "parsing server group name %q: %w", name, err)
	}
	m.Sequence, _ = strconv.Atoi(sub[2]) // three digits by the pattern
	return m, nil
}

// NextSequence returns the sequence for a new server group of a cluster
// whose existing groups use the sequences in used, oldest first (the order
// of their creation). As Spinnaker does, it is one past the newest group's
// sequence, wrapping from 999 to 0 and skipping numbers still in use; it is
// 0 for an empty cluster and -1 when all 1000 numbers are in use. Values
// outside 0–999 in used are ignored.
func NextSequence(used []int) int {
	inUse := make(map[int]bool, len(used))
	next := 0
	for _, s := range used {
		if s < 0 || s > MaxSequence {
			continue
		}
		inUse[s] = true
		next = (s + 1) % (MaxSequence + 1)
	}
	for range MaxSequence + 1 {
		if !inUse[next] {
			return next
		}
		next = (next + 1) % (MaxSequence + 1)
	}
	return -1
}
