package providers

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
)

// nopProvider is a Provider that does nothing, for registry tests.
type nopProvider struct {
	Provider
	account string
	closed  *int
}

func (p nopProvider) Close() error { *p.closed++; return nil }

// registryRuns names each run's kind: kinds are registered for the process, once each.
var registryRuns atomic.Int32

func TestRegistry(t *testing.T) {
	closed := 0
	kind := fmt.Sprintf("test-nop-%d", registryRuns.Add(1))
	RegisterKind(kind, func(_ context.Context, a Account, _ Host) (Provider, error) {
		if a.Settings["fail"] == true {
			return nil, Errorf(CodeInvalidSpec, "bad settings")
		}
		return nopProvider{account: a.Name, closed: &closed}, nil
	})
	ctx := context.Background()

	r, err := NewRegistry(ctx, []Account{{Name: "b", Kind: kind}, {Name: "a", Kind: kind}}, Host{})
	if err != nil {
		t.Fatal(err)
	}
	p, err := r.Provider("a")
	if err != nil || p.(nopProvider).account != "a" {
		t.Fatalf("Provider(a) = %v, %v", p, err)
	}
	if _, err := r.Provider("zzz"); !errors.Is(err, ErrAccountUnknown) {
		t.Errorf("Provider(zzz) error = %v, want ErrAccountUnknown", err)
	}
	if got := r.Accounts(); len(got) != 2 || got[0].Name != "a" {
		t.Errorf("Accounts() = %v, want a, b", got)
	}
	if err := r.Close(); err != nil || closed != 2 {
		t.Errorf("Close() = %v, closed %d, want nil, 2", err, closed)
	}

	tests := []struct {
		name     string
		accounts []Account
		want     error
	}{
		{"unknown kind", []Account{{Name: "x", Kind: "nope"}}, ErrUnsupported},
		{"duplicate", []Account{{Name: "x", Kind: kind}, {Name: "x", Kind: kind}}, ErrInvalidSpec},
		{"factory error", []Account{{Name: "x", Kind: kind, Settings: map[string]any{"fail": true}}}, ErrInvalidSpec},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := NewRegistry(ctx, tt.accounts, Host{}); !errors.Is(err, tt.want) {
				t.Errorf("NewRegistry error = %v, want %v", err, tt.want)
			}
		})
	}
}

func TestParseAccounts(t *testing.T) {
	in := `
accounts:
  - name: local
    kind: local
    regions: [local]
    environment: test
    settings:
      loadBalancers:
        hello: {address: "127.0.0.1:9000"}
`
	got, err := ParseAccounts(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].Name != "local" || !got[0].HasRegion("local") || got[0].Settings["loadBalancers"] == nil {
		t.Errorf("ParseAccounts = %+v", got)
	}
	for _, bad := range []string{"accounts:\n  - kind: local\n", "accounts:\n  - name: a\n", "acounts: []\n", "accounts:\n  - {name: a, kind: k}\n  - {name: a, kind: k}\n"} {
		if _, err := ParseAccounts(strings.NewReader(bad)); !errors.Is(err, ErrInvalidSpec) {
			t.Errorf("ParseAccounts(%q) error = %v, want ErrInvalidSpec", bad, err)
		}
	}
}
