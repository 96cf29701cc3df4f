package main

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/gennaker/gennaker/client"
	awsdriver "github.com/gennaker/gennaker/providers/aws"
	"github.com/gennaker/gennaker/providers/aws/awstest"
	"github.com/gennaker/gennaker/store/storetest"
)

// TestUpWithAWSAccount runs `gennaker up` with an AWS account pointed at moto and drives it
// through the API alone: a red/black deploy, a rolling red/black with the weights observed on
// the listener, and a rollback; the clusters query shows the right groups at each step.
func TestUpWithAWSAccount(t *testing.T) {
	if testing.Short() {
		t.Skip("runs gennaker and moto; -short skips it")
	}
	srv, err := awstest.Start()
	if err != nil {
		t.Fatalf("moto is required for this test and is not available: %v", err)
	}
	t.Cleanup(srv.Stop)
	awstest.Hermetic("us-east-1") // the child process inherits the test credentials
	ctx := context.Background()
	fx, err := srv.Seed(ctx, "us-east-1", "shop")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	accounts := filepath.Join(dir, "accounts.yaml")
	if err := os.WriteFile(accounts, []byte(fmt.Sprintf(`accounts:
  - name: aws
    kind: aws
    environment: prod
    regions: [us-east-1]
    settings:
      endpoint: %s
      maxBackoff: 50ms
      drainTimeout: 2s
      enableTimeout: 5s
      defaults: {securityGroups: [conformance], subnetPurpose: internal}
`, srv.URL)), 0o600); err != nil {
		t.Fatal(err)
	}
	gennaker, _ := buildBinaries(t)
	logFile, _ := os.Create(filepath.Join(dir, "up.log"))
	defer logFile.Close()
	addr := freeAddr(t)
	proc := startUp(t, gennaker, filepath.Join(dir, "state"), addr, storetest.URL(t, "sqlite"), logFile, "--accounts", accounts)
	defer func() { _ = proc.cmd.Process.Kill(); _, _ = proc.cmd.Process.Wait() }()
	c := client.New("http://" + addr)
	do := func(q string, vars map[string]any, out any) {
		t.Helper()
		if err := c.Do(ctx, q, vars, out); err != nil {
			b, _ := os.ReadFile(logFile.Name())
			t.Fatalf("%s: %v\nlog:\n%s", q, err, tailOf(b, 3000))
		}
	}

	var accs struct{ Accounts []map[string]any }
	do(`{ accounts { name provider environment regions } }`, nil, &accs)
	if b, _ := json.Marshal(accs); !strings.Contains(string(b), `"name":"aws"`) || strings.Contains(string(b), srv.URL) {
		t.Fatalf("accounts %s: want the aws account, and none of its settings", b)
	}
	do(`mutation { createApplication(input: {name: "shop", ownerEmail: "o@x.io"}) { application { id } } }`, nil, nil)
	deploy := func(version string, extra map[string]any) map[string]any {
		cfg := map[string]any{"account": "aws", "region": "us-east-1", "capacity": map[string]any{"min": 2, "desired": 2, "max": 2},
			"artifact": map[string]any{"type": "ami", "reference": "hello-1.0", "version": version}, "loadBalancers": []any{"shop"},
			"healthTimeoutSec": 30, "strategy": "redblack"}
		maps.Copy(cfg, extra)
		return map[string]any{"refId": "1", "type": "deploy", "name": "deploy", "config": cfg}
	}
	run := func(name string, stage map[string]any) string {
		t.Helper()
		var saved struct {
			SavePipeline struct{ Pipeline struct{ ID string } }
		}
		do(`mutation($in: SavePipelineInput!) { savePipeline(input: $in) { pipeline { id } } }`,
			map[string]any{"in": map[string]any{"application": "shop", "name": name, "stages": []any{stage}}}, &saved)
		var trig struct {
			TriggerPipeline struct{ Execution struct{ ID string } }
		}
		do(`mutation($id: ID!) { triggerPipeline(input: {pipelineId: $id}) { execution { id } } }`,
			map[string]any{"id": saved.SavePipeline.Pipeline.ID}, &trig)
		return trig.TriggerPipeline.Execution.ID
	}
	type stageView struct {
		ID, Status string
		Context    map[string]any
		Outputs    map[string]any
	}
	waitFor := func(id, what string, ok func(status string, st stageView) bool) stageView {
		t.Helper()
		deadline := time.Now().Add(60 * time.Second)
		for {
			var out struct {
				Execution struct {
					Status string
					Stages []stageView
				}
			}
			do(`query($id: ID!) { execution(id: $id) { status stages { id status context outputs } } }`, map[string]any{"id": id}, &out)
			if ok(out.Execution.Status, out.Execution.Stages[0]) {
				return out.Execution.Stages[0]
			}
			if time.Now().After(deadline) {
				t.Fatalf("execution never became %s: %s %+v", what, out.Execution.Status, out.Execution.Stages)
			}
			time.Sleep(100 * time.Millisecond)
		}
	}
	succeeded := func(id string) {
		t.Helper()
		waitFor(id, "SUCCEEDED", func(s string, _ stageView) bool {
			if s == "TERMINAL" || s == "CANCELED" {
				t.Fatalf("execution ended %s", s)
			}
			return s == "SUCCEEDED"
		})
	}
	tg := func(seq int) string { return awsdriver.TargetGroupName("shop", fmt.Sprintf("shop-v%03d", seq)) }
	var clusterID string
	// expect checks the clusters query (enabled groups, every instance of an enabled group UP)
	// and the listener's weights.
	expect := func(step string, enabled []string, weights map[string]int) {
		t.Helper()
		deadline := time.Now().Add(20 * time.Second)
		for {
			var view struct {
				Application struct {
					Clusters struct {
						Edges []struct {
							Node struct {
								ID           string
								ServerGroups struct {
									Edges []struct {
										Node struct {
											Name           string
											Enabled        bool
											InstanceCounts struct{ Up, Total int }
										}
									}
								}
							}
						}
					}
				}
			}
			do(`{ application(name: "shop") { clusters { edges { node { id serverGroups { edges { node { name enabled instanceCounts { up total } } } } } } } } }`, nil, &view)
			var got []string
			healthy := true
			for _, cl := range view.Application.Clusters.Edges {
				clusterID = cl.Node.ID
				for _, g := range cl.Node.ServerGroups.Edges {
					if g.Node.Enabled {
						got = append(got, g.Node.Name)
						healthy = healthy && g.Node.InstanceCounts.Up == g.Node.InstanceCounts.Total && g.Node.InstanceCounts.Total > 0
					}
				}
			}
			sort.Strings(got)
			w, err := fx.ListenerWeights(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if fmt.Sprint(got) == fmt.Sprint(enabled) && healthy && maps.Equal(w, weights) {
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("%s: the clusters query shows enabled %v (all healthy: %v), listener %v; want %v and %v", step, got, healthy, w, enabled, weights)
			}
			time.Sleep(200 * time.Millisecond)
		}
	}

	succeeded(run("first", deploy("v1", nil)))
	expect("first deploy", []string{"shop-v000"}, map[string]int{tg(0): 100, "shop-default": 0})
	succeeded(run("redblack", deploy("v2", nil)))
	expect("red/black", []string{"shop-v001"}, map[string]int{tg(0): 0, tg(1): 100, "shop-default": 0})

	id := run("rolling", deploy("v3", map[string]any{"strategy": "rollingredblack", "targetPercentages": []any{50}, "judgmentBetweenSteps": true}))
	st := waitFor(id, "awaiting judgment at 50%", func(_ string, st stageView) bool {
		state, _ := st.Context["_state"].(map[string]any)
		return state["awaitingJudgment"] == true && st.Outputs["rollingPercentage"] == float64(50)
	})
	expect("rolling at 50%", []string{"shop-v001", "shop-v002"}, map[string]int{tg(0): 0, tg(1): 50, tg(2): 50, "shop-default": 0})
	do(`mutation($id: ID!) { judgeStage(input: {id: $id, judgment: CONTINUE, comment: "half is fine"}) { execution { id } } }`, map[string]any{"id": st.ID}, nil)
	succeeded(id)
	expect("rolling at 100%", []string{"shop-v002"}, map[string]int{tg(0): 0, tg(1): 0, tg(2): 100, "shop-default": 0})

	var rb struct {
		RollbackCluster struct{ Execution struct{ ID string } }
	}
	do(`mutation($id: ID!) { rollbackCluster(input: {id: $id, region: "us-east-1", reason: "v3 is slow"}) { execution { id } } }`,
		map[string]any{"id": clusterID}, &rb)
	succeeded(rb.RollbackCluster.Execution.ID)
	expect("rolled back", []string{"shop-v001"}, map[string]int{tg(0): 0, tg(1): 100, tg(2): 0, "shop-default": 0})
}
