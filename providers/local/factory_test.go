package local

import (
	"context"
	"errors"
	"path/filepath"
	"testing"

	"github.com/gennaker/gennaker/providers"
	"github.com/prometheus/client_golang/prometheus"
)

func TestRegistryBuildsLocalDrivers(t *testing.T) {
	state := t.TempDir()
	accounts := []providers.Account{{
		Name: "laptop", Kind: Kind,
		Settings: map[string]any{
			"drainTimeout":  "2s",
			"loadBalancers": map[string]any{"hello": map[string]any{"address": "127.0.0.1:0"}},
		},
	}}
	r, err := providers.NewRegistry(context.Background(), accounts, providers.Host{StateDir: state, Registerer: prometheus.NewRegistry()})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	p, err := r.Provider("laptop")
	if err != nil {
		t.Fatal(err)
	}
	d := p.(*Driver)
	if want := filepath.Join(state, Kind, "laptop"); d.dir != want || d.opts.drainTimeout.Seconds() != 2 || d.opts.lbAddresses["hello"] != "127.0.0.1:0" {
		t.Errorf("driver dir %q drain %v lbs %v; want %q, 2s, hello", d.dir, d.opts.drainTimeout, d.opts.lbAddresses, want)
	}
	if !d.account.HasRegion(DefaultRegion) {
		t.Errorf("regions = %v, want the default %q", d.account.Regions, DefaultRegion)
	}

	tests := []struct {
		name     string
		settings map[string]any
	}{
		{"unknown key", map[string]any{"stateDirectory": "/x"}},
		{"bad duration", map[string]any{"drainTimeout": "soon"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			bad := []providers.Account{{Name: "x", Kind: Kind, Settings: tt.settings}}
			if _, err := providers.NewRegistry(context.Background(), bad, providers.Host{StateDir: t.TempDir()}); !errors.Is(err, providers.ErrInvalidSpec) {
				t.Errorf("NewRegistry error = %v, want ErrInvalidSpec", err)
			}
		})
	}
}
