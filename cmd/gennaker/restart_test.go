package main

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gennaker/gennaker/client"
	"github.com/gennaker/gennaker/store/storetest"
)

// gennakerProc is `gennaker up` running as its own process.
type gennakerProc struct {
	cmd  *exec.Cmd
	addr string
}

func buildBinaries(t *testing.T) (gennaker, hello string) {
	t.Helper()
	dir := t.TempDir()
	gennaker, hello = filepath.Join(dir, "gennaker"), filepath.Join(dir, "hello")
	for bin, pkg := range map[string]string{gennaker: ".", hello: "../../examples/hello"} {
		if out, err := exec.Command("go", "build", "-o", bin, pkg).CombinedOutput(); err != nil {
			t.Fatalf("building %s: %v\n%s", pkg, err, out)
		}
	}
	return gennaker, hello
}

func freeAddr(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

func startUp(t *testing.T, bin, stateDir, addr, dbURL string, log *os.File, extra ...string) *gennakerProc {
	t.Helper()
	cmd := exec.Command(bin, append([]string{"up", "--state-dir", stateDir, "--addr", addr, "--engine-ack-wait", "2s",
		"--engine-stale-after", "3s", "--database-url", dbURL}, extra...)...)
	cmd.Stdout, cmd.Stderr = log, log
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(20 * time.Second)
	for {
		resp, err := http.Get("http://" + addr + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return &gennakerProc{cmd: cmd, addr: addr}
			}
		}
		if time.Now().After(deadline) {
			t.Fatal("gennaker up never became ready")
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// TestKillDuringDeploy SIGKILLs `gennaker up` in the middle of a red/black deploy and starts
// it again on the same state: the deploy completes (or rolls back), the cluster has the
// server groups the strategy promised, and no process is orphaned.
func TestKillDuringDeploy(t *testing.T) {
	if testing.Short() {
		t.Skip("runs gennaker and real processes; -short skips it")
	}
	gennaker, hello := buildBinaries(t)
	for _, dialect := range storetest.Dialects(t) {
		t.Run(dialect, func(t *testing.T) { killDuringDeploy(t, gennaker, hello, storetest.URL(t, dialect)) })
	}
}

func killDuringDeploy(t *testing.T, gennaker, hello, dbURL string) {
	state := t.TempDir()
	logFile, _ := os.Create(filepath.Join(t.TempDir(), "up.log"))
	defer logFile.Close()
	addr := freeAddr(t)
	proc := startUp(t, gennaker, state, addr, dbURL, logFile)
	defer func() {
		_ = proc.cmd.Process.Kill()
		_, _ = proc.cmd.Process.Wait()
		killProcessesOf(state)
	}()
	ctx := context.Background()
	c := client.New("http://" + addr)
	must := func(q string, vars map[string]any, out any) {
		t.Helper()
		if err := c.Do(ctx, q, vars, out); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	must(`mutation { createApplication(input: {name: "shop", ownerEmail: "o@x.io"}) { application { id } } }`, nil, nil)
	deploy := func(version string) map[string]any {
		return map[string]any{"refId": "1", "type": "deploy", "name": "deploy", "config": map[string]any{
			"account": "local", "region": "local", "strategy": "redblack", "loadBalancers": []any{"shop"},
			"capacity": map[string]any{"min": 2, "desired": 2, "max": 2}, "healthTimeoutSec": 30,
			"rollback": map[string]any{"onFailure": true},
			"artifact": map[string]any{"type": "exec", "reference": hello, "version": version, "metadata": map[string]any{"exec": map[string]any{
				"command": []any{hello, "--port", "{port}", "--version", version, "--delay", "0s"},
				"health":  map[string]any{"path": "/healthz", "interval": "200ms"}}}}}}
	}
	var saved struct {
		SavePipeline struct{ Pipeline struct{ ID string } }
	}
	run := func(version string) string {
		t.Helper()
		must(`mutation($in: SavePipelineInput!) { savePipeline(input: $in) { pipeline { id } } }`, map[string]any{"in": map[string]any{
			"application": "shop", "name": "ship-" + version, "stages": []any{deploy(version)}}}, &saved)
		var trig struct {
			TriggerPipeline struct{ Execution struct{ ID string } }
		}
		must(`mutation($id: ID!) { triggerPipeline(input: {pipelineId: $id}) { execution { id } } }`, map[string]any{"id": saved.SavePipeline.Pipeline.ID}, &trig)
		return trig.TriggerPipeline.Execution.ID
	}
	status := func(id string) string {
		var out struct{ Execution struct{ Status string } }
		if err := c.Do(ctx, `query($id: ID!) { execution(id: $id) { status } }`, map[string]any{"id": id}, &out); err != nil {
			return "unreachable"
		}
		return out.Execution.Status
	}
	waitDone := func(id string) string {
		t.Helper()
		deadline := time.Now().Add(90 * time.Second)
		for {
			s := status(id)
			switch s {
			case "SUCCEEDED", "TERMINAL", "CANCELED", "STOPPED":
				return s
			}
			if time.Now().After(deadline) {
				b, _ := os.ReadFile(logFile.Name())
				t.Fatalf("execution still %s; log:\n%s", s, tailOf(b, 4000))
			}
			time.Sleep(100 * time.Millisecond)
		}
	}
	if s := waitDone(run("v1")); s != "SUCCEEDED" {
		t.Fatalf("first deploy: %s", s)
	}

	id := run("v2")
	// Kill once the new server group exists (its processes started), before the deploy ends.
	deadline := time.Now().Add(30 * time.Second)
	for !strings.Contains(localGroups(state), "shop-v001") {
		if time.Now().After(deadline) {
			t.Fatal("the v2 server group never appeared")
		}
		time.Sleep(20 * time.Millisecond)
	}
	_ = proc.cmd.Process.Kill()
	_, _ = proc.cmd.Process.Wait()
	proc = startUp(t, gennaker, state, addr, dbURL, logFile)

	result := waitDone(id)
	var view struct {
		Application struct {
			Clusters struct {
				Edges []struct {
					Node struct {
						ServerGroups struct {
							Edges []struct {
								Node struct {
									Name     string
									Enabled  bool
									Capacity struct{ Desired int }
								}
							}
						}
					}
				}
			}
		}
	}
	want := map[string]bool{"shop-v000": false, "shop-v001": true} // red/black: new enabled, old kept disabled
	if result != "SUCCEEDED" {
		want = map[string]bool{"shop-v000": true} // rolled back: only the old, serving
	}
	deadline = time.Now().Add(20 * time.Second)
	for {
		must(`{ application(name: "shop") { clusters { edges { node { serverGroups { edges { node { name enabled capacity { desired } } } } } } } } }`, nil, &view)
		got := map[string]bool{}
		desired := 0
		for _, cl := range view.Application.Clusters.Edges {
			for _, g := range cl.Node.ServerGroups.Edges {
				got[g.Node.Name] = g.Node.Enabled
				desired += g.Node.Capacity.Desired
			}
		}
		if fmt.Sprint(got) == fmt.Sprint(want) && countProcessesOf(state) == desired {
			t.Logf("deploy %s after the kill; server groups %v; %d processes, as many as desired", result, got, desired)
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("after the restart (%s): server groups %v, want %v; %d processes for %d desired", result, got, want, countProcessesOf(state), desired)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func tailOf(b []byte, n int) string {
	if len(b) > n {
		b = b[len(b)-n:]
	}
	return string(b)
}

// localGroups lists the server-group state files of the local provider.
func localGroups(state string) string {
	var names []string
	_ = filepath.WalkDir(state, func(p string, d os.DirEntry, err error) error {
		if err == nil && d.Name() == "group.json" {
			names = append(names, filepath.Base(filepath.Dir(p)))
		}
		return nil
	})
	return strings.Join(names, ",")
}

// countProcessesOf counts live processes the local provider of a state directory started.
func countProcessesOf(state string) int { return len(pidsOf(state)) }

func killProcessesOf(state string) {
	for _, pid := range pidsOf(state) {
		if p, err := os.FindProcess(pid); err == nil {
			_ = p.Kill()
		}
	}
}

func pidsOf(state string) []int {
	var pids []int
	entries, _ := os.ReadDir("/proc")
	for _, e := range entries {
		var pid int
		if _, err := fmt.Sscan(e.Name(), &pid); err != nil {
			continue
		}
		env, err := os.ReadFile(filepath.Join("/proc", e.Name(), "environ"))
		if err != nil {
			continue
		}
		if stat, err := os.ReadFile(filepath.Join("/proc", e.Name(), "stat")); err == nil && strings.Contains(string(stat), ") Z ") {
			continue
		}
		for _, kv := range strings.Split(string(env), "\x00") {
			if strings.HasPrefix(kv, "GENNAKER_LOCAL_STATE=") && strings.Contains(kv, state) {
				pids = append(pids, pid)
				break
			}
		}
	}
	return pids
}
