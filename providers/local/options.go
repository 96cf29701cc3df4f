package local

import (
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// Option configures a Driver.
type Option func(*options)

type options struct {
	stateDir     string
	logger       *slog.Logger
	registerer   prometheus.Registerer
	drainTimeout time.Duration
	stopGrace    time.Duration
	lbAddresses  map[string]string
	supervise    time.Duration
}

func defaultOptions(account string) options {
	base := os.Getenv("XDG_STATE_HOME")
	if base == "" {
		home, _ := os.UserHomeDir()
		base = filepath.Join(home, ".local", "state")
	}
	return options{
		stateDir:     filepath.Join(base, "gennaker", "local", account),
		drainTimeout: 30 * time.Second,
		stopGrace:    10 * time.Second,
		lbAddresses:  map[string]string{},
		supervise:    200 * time.Millisecond,
	}
}

// WithStateDir sets the directory where the driver keeps its server groups,
// instances, load balancers and logs. Default:
// $XDG_STATE_HOME/gennaker/local/<account> (~/.local/state when unset); the
// registry's factory uses <Host.StateDir>/local/<account>. Two drivers must
// not share a directory at the same time.
func WithStateDir(dir string) Option { return func(o *options) { o.stateDir = dir } }

// WithLogger sets the logger; default discards.
func WithLogger(l *slog.Logger) Option { return func(o *options) { o.logger = l } }

// WithRegisterer registers the load balancers' metrics on r; default: not
// registered anywhere (never the global registry).
func WithRegisterer(r prometheus.Registerer) Option { return func(o *options) { o.registerer = r } }

// WithDrainTimeout bounds how long DisableServerGroup and
// DestroyServerGroup wait for in-flight requests to finish; default 30s.
func WithDrainTimeout(d time.Duration) Option { return func(o *options) { o.drainTimeout = d } }

// WithStopGrace sets how long an instance has to exit after SIGTERM before
// its process group gets SIGKILL; default 10s.
func WithStopGrace(d time.Duration) Option { return func(o *options) { o.stopGrace = d } }

// WithLoadBalancerAddress sets the address ("127.0.0.1:9000") the load
// balancer name listens on when it is created implicitly, by a server group
// that names it. Default: a free port on 127.0.0.1.
func WithLoadBalancerAddress(name, addr string) Option {
	return func(o *options) { o.lbAddresses[name] = addr }
}
