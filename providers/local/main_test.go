package local

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/gennaker/gennaker/providers"
	"github.com/prometheus/client_golang/prometheus"
)

// helloBin is the examples/hello binary, built once by TestMain.
var helloBin string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "gennaker-local-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	helloBin = filepath.Join(dir, "hello")
	build := exec.Command("go", "build", "-o", helloBin, "github.com/gennaker/gennaker/examples/hello")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "building examples/hello:", err)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// hello returns an artifact running examples/hello at version with extra
// flags, health-checked every 50ms.
func hello(version string, flags ...string) providers.Artifact {
	return Artifact(version, ExecSpec{
		Command: append(CommandLine{helloBin, "--port", "{port}", "--version", version}, flags...),
		Health:  HealthCheck{Path: "/healthz", Interval: Duration(50 * time.Millisecond), StartTimeout: Duration(20 * time.Second)},
	})
}

const testAccount = "local-test"

func account() providers.Account {
	return providers.Account{Name: testAccount, Kind: Kind, Regions: []string{"local"}, Environment: "test"}
}

// newDriver starts a driver on dir. Its cleanup destroys every server group
// it still has, closes it, and fails the test if a process of dir is left.
func newDriver(t *testing.T, dir string, opts ...Option) *Driver {
	t.Helper()
	opts = append([]Option{WithStateDir(dir), WithStopGrace(5 * time.Second), WithDrainTimeout(5 * time.Second), WithRegisterer(prometheus.NewRegistry())}, opts...)
	d, err := New(account(), opts...)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	t.Cleanup(func() { cleanup(t, d) })
	return d
}

func cleanup(t *testing.T, d *Driver) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	d.mu.Lock()
	closed := d.closed
	var refs []providers.ServerGroupRef
	for _, g := range d.groups {
		refs = append(refs, g.rec.Spec.Ref())
	}
	d.mu.Unlock()
	if !closed {
		for _, ref := range refs {
			if err := d.DestroyServerGroup(ctx, ref); err != nil {
				t.Errorf("cleanup: destroying %s: %v", ref, err)
			}
		}
		d.Close()
	}
	noStrays(t, d.dir)
}

// noStrays fails the test if a process started from dir is still running.
func noStrays(t *testing.T, dir string) {
	t.Helper()
	waitFor(t, 10*time.Second, "no process of the state directory left", func() error {
		if pids := strays(dir, nil); len(pids) > 0 {
			return fmt.Errorf("processes still running: %v", pids)
		}
		return nil
	})
}

// waitFor polls cond every 20ms until it returns nil, failing the test
// with cond's last error after timeout.
func waitFor(t *testing.T, timeout time.Duration, what string, cond func() error) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		err := cond()
		if err == nil {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("waiting for %s: %v", what, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// waitGroup polls the server group until ok accepts it.
func waitGroup(t *testing.T, d *Driver, ref providers.ServerGroupRef, what string, ok func(providers.ServerGroup) error) providers.ServerGroup {
	t.Helper()
	var g providers.ServerGroup
	waitFor(t, 20*time.Second, what, func() error {
		var err error
		if g, err = d.ServerGroup(context.Background(), ref); err != nil {
			return err
		}
		return ok(g)
	})
	return g
}

// allUp accepts a group with exactly n instances, all Up.
func allUp(n int) func(providers.ServerGroup) error {
	return func(g providers.ServerGroup) error {
		if len(g.Instances) != n || g.CountHealth(providers.Up) != n {
			return fmt.Errorf("want %d Up, got %+v", n, g.Instances)
		}
		return nil
	}
}

func spec(app string, seq int, capacity providers.Capacity, a providers.Artifact, lbs ...string) providers.ServerGroupSpec {
	return providers.ServerGroupSpec{
		Account: testAccount, Region: "local",
		Moniker:  providers.Moniker{App: app, Stack: "test", Sequence: seq},
		Capacity: capacity, Artifact: a, LoadBalancers: lbs,
	}
}
