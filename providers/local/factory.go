package local

import (
	"bytes"
	"context"
	"encoding/json"
	"path/filepath"

	"github.com/gennaker/gennaker/providers"
)

func init() {
	providers.RegisterKind(Kind, factory)
}

// Settings are the local account's settings in the accounts file:
//
//	settings:
//	  stateDir: /var/lib/gennaker/local   # default <state-dir>/local/<account>
//	  drainTimeout: 30s
//	  stopGrace: 10s
//	  loadBalancers:
//	    hello: {address: "127.0.0.1:9000"}
type Settings struct {
	StateDir      string                      `json:"stateDir,omitempty"`
	DrainTimeout  Duration                    `json:"drainTimeout,omitempty"`
	StopGrace     Duration                    `json:"stopGrace,omitempty"`
	LoadBalancers map[string]LoadBalancerConf `json:"loadBalancers,omitempty"`
}

// LoadBalancerConf configures one load balancer of a local account.
type LoadBalancerConf struct {
	// Address to listen on, such as "127.0.0.1:9000".
	Address string `json:"address"`
}

// factory builds a Driver from an account of the accounts file.
func factory(_ context.Context, a providers.Account, host providers.Host) (providers.Provider, error) {
	b, err := json.Marshal(a.Settings)
	if err != nil {
		return nil, providers.Errorf(providers.CodeInvalidSpec, "decoding local settings: %w", err)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	var s Settings
	if err := dec.Decode(&s); err != nil {
		return nil, providers.Errorf(providers.CodeInvalidSpec, "decoding local settings: %w", err)
	}
	opts := []Option{WithLogger(host.Logger), WithRegisterer(host.Registerer)}
	switch {
	case s.StateDir != "":
		opts = append(opts, WithStateDir(s.StateDir))
	case host.StateDir != "":
		opts = append(opts, WithStateDir(filepath.Join(host.StateDir, Kind, a.Name)))
	}
	if s.DrainTimeout > 0 {
		opts = append(opts, WithDrainTimeout(s.DrainTimeout.D()))
	}
	if s.StopGrace > 0 {
		opts = append(opts, WithStopGrace(s.StopGrace.D()))
	}
	for name, lb := range s.LoadBalancers {
		opts = append(opts, WithLoadBalancerAddress(name, lb.Address))
	}
	return New(a, opts...)
}
