package local

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/gennaker/gennaker/providers"
)

func TestKilledInstanceIsReplaced(t *testing.T) {
	ctx := t.Context()
	d := newDriver(t, t.TempDir())
	g, err := d.CreateServerGroup(ctx, spec("kill", 1, providers.Fixed(2), hello("v1")))
	if err != nil {
		t.Fatal(err)
	}
	g = waitGroup(t, d, g.Ref(), "2 instances Up", allUp(2))
	victim := g.Instances[0]
	d.mu.Lock()
	pid := d.groups[key("local", g.Name)].instances[0].rec.PID
	d.mu.Unlock()
	if err := syscall.Kill(pid, syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	waitGroup(t, d, g.Ref(), "a replacement Up", func(g providers.ServerGroup) error {
		if err := allUp(2)(g); err != nil {
			return err
		}
		for _, in := range g.Instances {
			if in.ID == victim.ID {
				return fmt.Errorf("killed instance %s still listed", victim.ID)
			}
		}
		return nil
	})
}

func TestTerminateInstances(t *testing.T) {
	ctx := t.Context()
	d := newDriver(t, t.TempDir())
	g, err := d.CreateServerGroup(ctx, spec("term", 1, providers.Fixed(1), hello("v1")))
	if err != nil {
		t.Fatal(err)
	}
	g = waitGroup(t, d, g.Ref(), "1 instance Up", allUp(1))
	old := g.Instances[0].ID
	for range 2 {
		if err := d.TerminateInstances(ctx, g.Ref(), []string{old}); err != nil {
			t.Fatal(err)
		}
	}
	waitGroup(t, d, g.Ref(), "a new instance Up", func(g providers.ServerGroup) error {
		if err := allUp(1)(g); err != nil {
			return err
		}
		if g.Instances[0].ID == old {
			return errors.New("old instance still there")
		}
		return nil
	})
}

func TestAdoptAfterRestart(t *testing.T) {
	ctx := t.Context()
	dir := t.TempDir()
	first, err := New(account(), WithStateDir(dir))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { first.Close() }) // in case the test fails before the hand-over
	g, err := first.CreateServerGroup(ctx, spec("adopt", 1, providers.Fixed(2), hello("v1"), "adopt"))
	if err != nil {
		t.Fatal(err)
	}
	g = waitGroup(t, first, g.Ref(), "2 instances Up", allUp(2))
	lbs, _ := first.LoadBalancers(ctx, testAccount, "adopt")
	pids := map[string]int{}
	first.mu.Lock()
	for _, in := range first.groups[key("local", g.Name)].instances {
		pids[in.rec.ID] = in.rec.PID
	}
	first.mu.Unlock()
	if err := first.Close(); err != nil {
		t.Fatal(err)
	}
	for id, pid := range pids {
		if !sameProcess(pid, 0, id) {
			t.Fatalf("Close stopped instance %s (pid %d); want it left running", id, pid)
		}
	}

	// A stray: marked as started from dir but in no record (as if the
	// driver crashed between starting it and writing its state).
	stray, _, err := startProcess(launch{id: "stray", group: "adopt-test-v001", spec: ExecSpec{Command: CommandLine{helloBin, "--port", "{port}"}}, port: 0, stateDir: dir, stdout: dir + "/stray.log", stderr: dir + "/stray.log"})
	if err != nil {
		t.Fatal(err)
	}

	second := newDriver(t, dir)
	got := waitGroup(t, second, g.Ref(), "adopted instances Up", allUp(2))
	for _, in := range got.Instances {
		if _, ok := pids[in.ID]; !ok {
			t.Errorf("instance %s is new; want the first driver's %v adopted", in.ID, pids)
		}
	}
	waitFor(t, 5*time.Second, "the stray killed", func() error {
		if exited, _ := exitStatus(stray, 0, "stray"); !exited {
			return fmt.Errorf("stray pid %d still running", stray)
		}
		return nil
	})
	// The load balancer came back on the same address and routes to them.
	lbs2, _ := second.LoadBalancers(ctx, testAccount, "adopt")
	if len(lbs) != 1 || len(lbs2) != 1 || lbs2[0].Address != lbs[0].Address {
		t.Fatalf("load balancers before %v, after %v; want the same address", lbs, lbs2)
	}
	if body := get(t, "http://"+lbs2[0].Address+"/"); !strings.HasPrefix(body, "hello from v1") {
		t.Errorf("GET through the load balancer = %q", body)
	}
	// An adopted process that dies is seen and replaced.
	for _, pid := range pids {
		_ = syscall.Kill(pid, syscall.SIGKILL)
		break
	}
	waitGroup(t, second, g.Ref(), "replacement of an adopted instance", func(g providers.ServerGroup) error {
		if err := allUp(2)(g); err != nil {
			return err
		}
		n := 0
		for _, in := range g.Instances {
			if _, ok := pids[in.ID]; ok {
				n++
			}
		}
		if n != 1 {
			return fmt.Errorf("%d of the adopted instances left, want 1", n)
		}
		return nil
	})
	// Destroying through the second driver leaves nothing: the cleanup of
	// newDriver checks that no process of dir is left.
	if err := second.DestroyServerGroup(ctx, g.Ref()); err != nil {
		t.Fatal(err)
	}
	for id, pid := range pids {
		if sameProcess(pid, 0, id) {
			t.Errorf("instance %s (pid %d) still running after destroy", id, pid)
		}
	}
}

func TestAdoptSkipsReusedPID(t *testing.T) {
	// A record whose pid now belongs to another process (this test) must
	// not be adopted, and that process must not be touched.
	dir := t.TempDir()
	rec := groupRecord{Version: stateVersion, Spec: spec("reuse", 1, providers.Fixed(0), hello("v1")), Enabled: true,
		Instances: []instanceRecord{{ID: "reuse-test-v001-zzzzz", PID: syscall.Getpid(), Port: 1, StartTicks: 1}}}
	d0 := &Driver{dir: dir}
	if err := writeJSON(d0.groupDir("local", "reuse-test-v001")+"/group.json", rec); err != nil {
		t.Fatal(err)
	}
	d := newDriver(t, dir)
	g, err := d.ServerGroup(t.Context(), providers.ServerGroupRef{Account: testAccount, Region: "local", Name: "reuse-test-v001"})
	if err != nil {
		t.Fatal(err)
	}
	if len(g.Instances) != 0 {
		t.Errorf("instances = %+v, want none adopted", g.Instances)
	}
}

func TestBrokenArtifactSaysWhy(t *testing.T) {
	tests := []struct {
		name     string
		artifact providers.Artifact
		want     providers.HealthState
		detail   string
	}{
		{"exits at once", hello("v1", "--exit-after", "0s"), providers.Failed, "exited with status 1: hello: exiting at once as asked (--exit-after 0) (before becoming healthy)"},
		{"missing binary", Artifact("v1", ExecSpec{Command: CommandLine{"/nonexistent/hello"}}), providers.Failed, "starting /nonexistent/hello: fork/exec /nonexistent/hello: no such file or directory"},
		{"never healthy", Artifact("v1", ExecSpec{
			Command: CommandLine{helloBin, "--port", "{port}", "--fail-health"},
			Health:  HealthCheck{Path: "/healthz", Interval: Duration(50 * time.Millisecond), StartTimeout: Duration(500 * time.Millisecond)},
		}), providers.Failed, "never became healthy within 500ms: GET http://127.0.0.1:"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := newDriver(t, t.TempDir())
			g, err := d.CreateServerGroup(t.Context(), spec("broken", 1, providers.Fixed(1), tt.artifact))
			if err != nil {
				t.Fatal(err)
			}
			g = waitGroup(t, d, g.Ref(), "an instance reported "+string(tt.want), func(g providers.ServerGroup) error {
				for _, in := range g.Instances {
					if in.Health == tt.want && strings.Contains(in.HealthDetail, tt.detail) {
						return nil
					}
				}
				return fmt.Errorf("instances %+v", g.Instances)
			})
			t.Logf("reported: %s", g.Instances[0].HealthDetail)
		})
	}
}

func TestNeverHealthyIsStartingFirst(t *testing.T) {
	d := newDriver(t, t.TempDir())
	g, err := d.CreateServerGroup(t.Context(), spec("slow", 1, providers.Fixed(1), hello("v1", "--fail-health")))
	if err != nil {
		t.Fatal(err)
	}
	waitGroup(t, d, g.Ref(), "Starting with a reason", func(g providers.ServerGroup) error {
		if len(g.Instances) == 1 && g.Instances[0].Health == providers.Starting &&
			strings.Contains(g.Instances[0].HealthDetail, "503 Service Unavailable") {
			return nil
		}
		return fmt.Errorf("instances %+v", g.Instances)
	})
}

func TestCrashLoopBacksOff(t *testing.T) {
	d := newDriver(t, t.TempDir())
	g, err := d.CreateServerGroup(t.Context(), spec("crash", 1, providers.Fixed(1), hello("v1", "--exit-after", "0s")))
	if err != nil {
		t.Fatal(err)
	}
	waitFor(t, 20*time.Second, "four crashes", func() error {
		d.mu.Lock()
		defer d.mu.Unlock()
		if n := d.groups[key("local", g.Name)].crashes; n < 4 {
			return fmt.Errorf("%d crashes", n)
		}
		return nil
	})
	d.mu.Lock()
	grp := d.groups[key("local", g.Name)]
	wait := time.Until(grp.nextLaunch)
	d.mu.Unlock()
	if wait > backoff(grp.crashes) || backoff(4) != 800*time.Millisecond || backoff(100) != 10*time.Second {
		t.Errorf("back-off: next launch in %v after %d crashes", wait, grp.crashes)
	}
}

func TestCreateIdempotentAcrossRestart(t *testing.T) {
	ctx := t.Context()
	dir := t.TempDir()
	d := newDriver(t, dir)
	s := spec("idem", 3, providers.Fixed(1), hello("v1"))
	g1, err := d.CreateServerGroup(ctx, s)
	if err != nil {
		t.Fatal(err)
	}
	// Resized since: a redelivered create returns the group as it is.
	if err := d.ResizeServerGroup(ctx, g1.Ref(), providers.Fixed(2)); err != nil {
		t.Fatal(err)
	}
	g2, err := d.CreateServerGroup(ctx, s)
	if err != nil || g2.Capacity != providers.Fixed(2) || !g2.CreatedAt.Equal(g1.CreatedAt) {
		t.Errorf("second create = %+v, %v", g2.Capacity, err)
	}
	s.Region = "elsewhere"
	if _, err := d.CreateServerGroup(ctx, s); !errors.Is(err, providers.ErrInvalidSpec) {
		t.Errorf("create in an unknown region error = %v, want ErrInvalidSpec", err)
	}
}

func TestWatch(t *testing.T) {
	d := newDriver(t, t.TempDir())
	ctx, cancel := context.WithCancel(t.Context())
	ch := d.Watch(ctx)
	if _, err := d.CreateServerGroup(ctx, spec("watch", 1, providers.Fixed(1), hello("v1"))); err != nil {
		t.Fatal(err)
	}
	select {
	case c := <-ch:
		if c.ServerGroup != "watch-test-v001" || c.Account != testAccount {
			t.Errorf("change = %+v", c)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("no change notified")
	}
	cancel()
	for range ch { // closed once ctx ends
	}
}
