package resolvers_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gennaker/gennaker/client"
	"github.com/gennaker/gennaker/client/clienttest"
	"github.com/gennaker/gennaker/providers"
	_ "github.com/gennaker/gennaker/providers/local"
	"github.com/gennaker/gennaker/store"
	"github.com/gennaker/gennaker/store/storetest"
)

// eventually polls a query until check accepts its result (the engine works asynchronously;
// the deadline bounds the wait).
func eventually(t *testing.T, c *client.Client, what, q string, vars map[string]any, check func(map[string]any) bool) map[string]any {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		var out map[string]any
		if err := c.Do(context.Background(), q, vars, &out); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		if check(out) {
			return out
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: never true; last %v", what, out)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func codeOf(err error) string {
	var ce *client.Error
	if errors.As(err, &ce) {
		return ce.Code()
	}
	return fmt.Sprint(err)
}

const execQuery = `query($id: ID!) { execution(id: $id) { status canceled cancelReason stages { id name status } } }`

func stageID(out map[string]any, name string) string {
	for _, s := range dig(out, "execution", "stages").([]any) {
		if dig(s, "name") == name {
			return dig(s, "id").(string)
		}
	}
	return ""
}

func stageStatus(out map[string]any, name string) any {
	for _, s := range dig(out, "execution", "stages").([]any) {
		if dig(s, "name") == name {
			return dig(s, "status")
		}
	}
	return nil
}

// TestExecutionMutations drives an execution through the API alone: trigger (with parameters
// checked), pause, resume, skip, restart, cancel — each refused in words when it does not fit
// the execution's state, and each audited.
func TestExecutionMutations(t *testing.T) {
	for _, dialect := range storetest.Dialects(t) {
		t.Run(dialect, func(t *testing.T) {
			stack := clienttest.StartWith(t, clienttest.Options{Dialect: dialect})
			c := stack.Client()
			ctx := context.Background()
			p := clienttest.JudgmentPipeline(t, c)
			trigger := `mutation($id: ID!, $p: JSON) { triggerPipeline(input: {pipelineId: $id, parameters: $p, reason: "test"}) { execution { id } } }`

			err := c.Do(ctx, trigger, map[string]any{"id": p.ID, "p": map[string]any{"colour": "red"}}, nil)
			if codeOf(err) != "BAD_USER_INPUT" || !strings.Contains(err.Error(), "colour") {
				t.Fatalf("unknown parameter: %v, want BAD_USER_INPUT naming it", err)
			}
			rows, _, total, _ := stack.Store.ListExecutions(ctx, store.ExecutionFilter{}, store.Page{First: 10})
			if total != 0 || len(rows) != 0 {
				t.Fatalf("a refused trigger wrote %d executions", total)
			}

			var trig map[string]any
			if err := c.Do(ctx, trigger, map[string]any{"id": p.ID}, &trig); err != nil {
				t.Fatal(err)
			}
			id := dig(trig, "triggerPipeline", "execution", "id").(string)
			vars := map[string]any{"id": id}
			out := eventually(t, c, "judgment waiting", execQuery, vars, func(o map[string]any) bool { return stageStatus(o, "Approve") == "RUNNING" })
			approve := stageID(out, "Approve")

			mut := func(name, input string, v map[string]any) error {
				return c.Do(ctx, fmt.Sprintf(`mutation($id: ID!) { %s(input: {id: $id%s}) { execution { id status } } }`, name, input), v, nil)
			}
			if err := mut("pauseExecution", "", vars); err != nil {
				t.Fatal(err)
			}
			eventually(t, c, "paused", execQuery, vars, func(o map[string]any) bool { return dig(o, "execution", "status") == "PAUSED" })
			if err := mut("pauseExecution", "", vars); codeOf(err) != "CONFLICT" {
				t.Fatalf("pausing a paused execution: %v, want CONFLICT", err)
			}
			if err := mut("resumeExecution", "", vars); err != nil {
				t.Fatal(err)
			}
			eventually(t, c, "resumed", execQuery, vars, func(o map[string]any) bool { return dig(o, "execution", "status") == "RUNNING" })
			if err := mut("restartStage", "", map[string]any{"id": approve}); codeOf(err) != "CONFLICT" {
				t.Fatalf("restarting a running stage: %v, want CONFLICT", err)
			}
			if err := mut("skipStage", "", map[string]any{"id": approve}); err != nil {
				t.Fatal(err)
			}
			out = eventually(t, c, "succeeded", execQuery, vars, func(o map[string]any) bool { return dig(o, "execution", "status") == "SUCCEEDED" })
			if stageStatus(out, "Approve") != "SKIPPED" {
				t.Fatalf("skipped judgment is %v", stageStatus(out, "Approve"))
			}
			if err := mut("restartStage", "", map[string]any{"id": stageID(out, "Bake")}); err != nil {
				t.Fatal(err)
			}
			eventually(t, c, "judgment waiting again", execQuery, vars, func(o map[string]any) bool {
				return dig(o, "execution", "status") == "RUNNING" && stageStatus(o, "Approve") == "RUNNING"
			})
			if err := mut("judgeStage", ", judgment: CONTINUE", map[string]any{"id": stageID(out, "Bake")}); codeOf(err) != "BAD_USER_INPUT" {
				t.Fatalf("judging a wait stage: %v, want BAD_USER_INPUT", err)
			}
			if err := c.Do(ctx, `mutation($id: ID!) { cancelExecution(input: {id: $id, reason: "wrong build"}) { execution { id } } }`, vars, nil); err != nil {
				t.Fatal(err)
			}
			out = eventually(t, c, "cancelled", execQuery, vars, func(o map[string]any) bool { return dig(o, "execution", "status") == "CANCELED" })
			if dig(out, "execution", "cancelReason") != "wrong build" {
				t.Fatalf("cancel reason %v", dig(out, "execution", "cancelReason"))
			}
			if err := mut("cancelExecution", "", vars); codeOf(err) != "CONFLICT" {
				t.Fatalf("cancelling an ended execution: %v, want CONFLICT", err)
			}
			evs, _ := stack.Store.AuditEvents(ctx, "Execution", keyOf(t, id), 50)
			var actions []string
			for i := len(evs) - 1; i >= 0; i-- {
				actions = append(actions, evs[i].Action)
			}
			if got := strings.Join(actions, ","); got != "triggerPipeline,pauseExecution,resumeExecution,skipStage,restartStage,cancelExecution" {
				t.Fatalf("audit trail %s", got)
			}
			// The same trail through the API, newest first.
			var trail map[string]any
			if err := c.Do(ctx, `query($id: ID!) { execution(id: $id) { auditEvents(first: 50) { totalCount edges { node { action actor } } } } }`, vars, &trail); err != nil {
				t.Fatal(err)
			}
			actions = actions[:0]
			for _, e := range dig(trail, "execution", "auditEvents", "edges").([]any) {
				actions = append(actions, dig(e, "node", "action").(string))
			}
			if got := strings.Join(actions, ","); got != "cancelExecution,restartStage,skipStage,resumeExecution,pauseExecution,triggerPipeline" ||
				dig(trail, "execution", "auditEvents", "totalCount") != float64(6) {
				t.Fatalf("execution.auditEvents: %s (total %v)", got, dig(trail, "execution", "auditEvents", "totalCount"))
			}
		})
	}
}

func keyOf(t *testing.T, gid string) string {
	s := decode(t, gid)
	return s[strings.IndexByte(s, ':')+1:]
}

var (
	helloOnce sync.Once
	helloPath string
)

func hello(t *testing.T) string {
	helloOnce.Do(func() {
		dir, _ := os.MkdirTemp("", "gennaker-hello")
		helloPath = filepath.Join(dir, "hello")
		if out, err := exec.Command("go", "build", "-o", helloPath, "../examples/hello").CombinedOutput(); err != nil {
			t.Fatalf("building hello: %v\n%s", err, out)
		}
	})
	return helloPath
}

// TestClusterMutationsAndSubscription resizes, disables, enables and destroys a real server
// group of the local provider through the API, and sees each change arrive on the
// clusterUpdated subscription after its snapshot.
func TestClusterMutationsAndSubscription(t *testing.T) {
	for _, dialect := range storetest.Dialects(t) {
		t.Run(dialect, func(t *testing.T) {
			ctx := context.Background()
			prov, stack := localWeb(t, dialect)
			c := stack.Client()
			bin := hello(t)
			if _, err := prov.CreateServerGroup(ctx, providers.ServerGroupSpec{Account: "local", Region: "local", Moniker: providers.Moniker{App: "web"},
				Capacity: providers.Fixed(1), Artifact: providers.Artifact{Type: "exec", Reference: bin, Version: "v1",
					Metadata: map[string]any{"exec": map[string]any{"command": []any{bin, "--port", "{port}"}, "health": map[string]any{"path": "/healthz", "interval": "100ms"}}}}}); err != nil {
				t.Fatal(err)
			}
			if err := stack.Engine.Refresh(ctx, "local", "web"); err != nil {
				t.Fatal(err)
			}

			sub, err := c.Subscribe(ctx, `subscription { clusterUpdated(application: "web") { kind id version serverGroup { name enabled capacity { desired } } } }`, nil)
			if err != nil {
				t.Fatal(err)
			}
			defer sub.Close()
			next := func(want func(ev map[string]any) bool, what string) map[string]any {
				t.Helper()
				deadline, cancel := context.WithTimeout(ctx, 30*time.Second)
				defer cancel()
				for {
					raw, err := sub.Next(deadline)
					if err != nil {
						t.Fatalf("waiting for %s: %v", what, err)
					}
					var ev map[string]any
					_ = json.Unmarshal(raw, &ev)
					if want(ev["clusterUpdated"].(map[string]any)) {
						return ev["clusterUpdated"].(map[string]any)
					}
				}
			}
			snap := next(func(ev map[string]any) bool { return ev["kind"] == "SNAPSHOT" }, "the snapshot")
			gid := snap["id"].(string)
			if dig(snap, "serverGroup", "name") != "web-v000" {
				t.Fatalf("snapshot %v", snap)
			}
			// op runs a cluster mutation and waits for its orchestration to succeed.
			op := func(q string, vars map[string]any) {
				t.Helper()
				var out map[string]any
				if err := c.Do(ctx, q, vars, &out); err != nil {
					t.Fatalf("%s: %v", q, err)
				}
				var id any
				for _, v := range out {
					id = dig(v, "execution", "id")
				}
				eventually(t, c, "orchestration", execQuery, map[string]any{"id": id}, func(o map[string]any) bool {
					return dig(o, "execution", "status") == "SUCCEEDED"
				})
			}
			err = c.Do(ctx, `mutation($id: ID!) { resizeServerGroup(input: {id: $id, capacity: {min: 3, desired: 2, max: 2}}) { execution { id } } }`, map[string]any{"id": gid}, nil)
			if codeOf(err) != "BAD_USER_INPUT" {
				t.Fatalf("min > max: %v, want BAD_USER_INPUT", err)
			}
			op(`mutation($id: ID!) { resizeServerGroup(input: {id: $id, capacity: {min: 2, desired: 2, max: 2}, reason: "more"}) { execution { id type } } }`, map[string]any{"id": gid})
			next(func(ev map[string]any) bool {
				return ev["kind"] == "CHANGED" && dig(ev, "serverGroup", "capacity", "desired") == float64(2)
			}, "the resize")

			// terminateInstances: bad inputs are refused at their paths and start nothing; a
			// good one replaces the instance.
			const instancesQuery = `query($id: ID!) { node(id: $id) { ... on ServerGroup { instances { edges { node { instanceId health } } } } } }`
			upIDs := func(o map[string]any) (up []string, all []string) {
				for _, e := range dig(o, "node", "instances", "edges").([]any) {
					id := dig(e, "node", "instanceId").(string)
					all = append(all, id)
					if dig(e, "node", "health") == "UP" {
						up = append(up, id)
					}
				}
				return up, all
			}
			out := eventually(t, c, "two instances up", instancesQuery, map[string]any{"id": gid}, func(o map[string]any) bool {
				up, all := upIDs(o)
				return len(up) == 2 && len(all) == 2
			})
			_, before := upIDs(out)
			victim := before[0]
			const terminate = `mutation($id: ID!, $ids: [String!]!) { terminateInstances(input: {id: $id, instanceIds: $ids}) { execution { id } } }`
			for _, tc := range []struct {
				name string
				id   string
				ids  []string
				want string // path CODE of each problem
			}{
				{"empty list", gid, []string{}, "input.instanceIds MISSING_FIELD"},
				{"an id not in the group", gid, []string{victim, "web-v000-nope"}, "input.instanceIds[1] UNKNOWN_INSTANCE"},
				{"malformed server group id", "not-an-id", []string{victim}, "input.id INVALID_ID"},
			} {
				err := c.Do(ctx, terminate, map[string]any{"id": tc.id, "ids": tc.ids}, nil)
				var ce *client.Error
				if !errors.As(err, &ce) || ce.Code() != "BAD_USER_INPUT" {
					t.Fatalf("terminateInstances with %s: %v, want BAD_USER_INPUT", tc.name, err)
				}
				var got []string
				for _, p := range ce.Problems() {
					got = append(got, p.Path+" "+p.Code)
				}
				if strings.Join(got, ",") != tc.want {
					t.Errorf("terminateInstances with %s: problems %v, want %s", tc.name, got, tc.want)
				}
			}
			op(terminate, map[string]any{"id": gid, "ids": []string{victim}})
			eventually(t, c, "the instance replaced", instancesQuery, map[string]any{"id": gid}, func(o map[string]any) bool {
				up, all := upIDs(o)
				return len(up) == 2 && !slices.Contains(all, victim) && slices.Contains(up, before[1])
			})

			op(`mutation($id: ID!) { disableServerGroup(input: {id: $id}) { execution { id } } }`, map[string]any{"id": gid})
			next(func(ev map[string]any) bool {
				return ev["kind"] == "CHANGED" && dig(ev, "serverGroup", "enabled") == false
			}, "the disable")
			op(`mutation($id: ID!) { enableServerGroup(input: {id: $id}) { execution { id } } }`, map[string]any{"id": gid})
			next(func(ev map[string]any) bool {
				return ev["kind"] == "CHANGED" && dig(ev, "serverGroup", "enabled") == true
			}, "the enable")
			op(`mutation($id: ID!) { destroyServerGroup(input: {id: $id}) { execution { id } } }`, map[string]any{"id": gid})
			next(func(ev map[string]any) bool { return ev["kind"] == "DELETED" && ev["id"] == gid }, "the destroy")

			// Each operation ran as an audited orchestration, visible like a pipeline run.
			var list map[string]any
			if err := c.Do(ctx, `{ executions(application: "web") { edges { node { type name status } } } }`, nil, &list); err != nil {
				t.Fatal(err)
			}
			edges := dig(list, "executions", "edges").([]any)
			if len(edges) != 5 {
				t.Fatalf("orchestrations: %d, want 5 (the refused resize and terminations started none)", len(edges))
			}
			for _, e := range edges {
				if dig(e, "node", "type") != "ORCHESTRATION" || dig(e, "node", "status") != "SUCCEEDED" {
					t.Errorf("orchestration %v", dig(e, "node"))
				}
			}
			// And the audit log tells what was done to the server group, destroyed as it is.
			if err := c.Do(ctx, `query($id: ID!) { auditEvents(filter: {targetId: $id}) { edges { node { action execution { type } } } } }`,
				map[string]any{"id": gid}, &list); err != nil {
				t.Fatal(err)
			}
			var actions []string
			for _, e := range dig(list, "auditEvents", "edges").([]any) {
				actions = append(actions, fmt.Sprint(dig(e, "node", "action"), "/", dig(e, "node", "execution", "type")))
			}
			if got := strings.Join(actions, ","); got != "destroyServerGroup/ORCHESTRATION,enableServerGroup/ORCHESTRATION,disableServerGroup/ORCHESTRATION,terminateInstances/ORCHESTRATION,resizeServerGroup/ORCHESTRATION" {
				t.Errorf("the server group's audit events: %s", got)
			}
		})
	}
}
