package resolvers_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gennaker/gennaker/auth"
	"github.com/gennaker/gennaker/bus"
	"github.com/gennaker/gennaker/resolvers"
	"github.com/gennaker/gennaker/store"
	"github.com/gennaker/gennaker/store/storetest"
)

// sentCommands stands in for the engine: it takes commands and runs none, so that the
// executions the mutations start stay as written.
type sentCommands struct {
	mu   sync.Mutex
	cmds []bus.Command
}

func (s *sentCommands) Send(_ context.Context, c bus.Command) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.cmds = append(s.cmds, c)
	return nil
}

// readPolicy allows every identified caller everything, except that mallory may read shop
// alone.
type readPolicy struct{}

func (readPolicy) Authorize(ctx context.Context, who auth.Identity, action auth.Action, on auth.Resource) error {
	if err := (auth.AllowAll{}).Authorize(ctx, who, action, on); err != nil {
		return err
	}
	if who.Name == "mallory" && action == auth.Read && on.Name != "shop" {
		return fmt.Errorf("%w: mallory may not read %s", auth.ErrForbidden, on.Name)
	}
	return nil
}

// auditAPI is the real GraphQL handler with the caller named by each request.
type auditAPI struct {
	t *testing.T
	h http.Handler
}

func newAuditAPI(t *testing.T, s *store.Store) *auditAPI {
	r := &resolvers.Resolver{Store: s, Auth: readPolicy{}, Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Engine: &sentCommands{}}
	h := resolvers.NewHandler(r, resolvers.Limits{})
	return &auditAPI{t: t, h: http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		who := auth.Identity{Name: req.Header.Get("X-Test-User")}
		h.ServeHTTP(w, req.WithContext(auth.WithIdentity(req.Context(), who)))
	})}
}

func (a *auditAPI) do(user, query string, vars map[string]any) (map[string]any, []gqlError) {
	a.t.Helper()
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	req := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Test-User", user)
	rec := httptest.NewRecorder()
	a.h.ServeHTTP(rec, req)
	var resp struct {
		Data   map[string]any `json:"data"`
		Errors []gqlError     `json:"errors"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &resp); err != nil {
		a.t.Fatalf("decoding response %q: %v", rec.Body.String(), err)
	}
	return resp.Data, resp.Errors
}

func (a *auditAPI) ok(user, query string, vars map[string]any) map[string]any {
	a.t.Helper()
	data, errs := a.do(user, query, vars)
	if len(errs) > 0 {
		a.t.Fatalf("%s: %+v", strings.Fields(query)[0], errs)
	}
	return data
}

const auditFields = `totalCount pageInfo { hasNextPage hasPreviousPage endCursor }
	edges { cursor node { id at actor action target { type id } applicationName detail execution { id type } } }`

const listAudit = `query($f: AuditEventFilter, $first: Int, $after: String) {
	auditEvents(filter: $f, first: $first, after: $after) { ` + auditFields + ` } }`

// event is one audit event as the API shows it.
type event struct {
	ID, Actor, Action, TargetType, TargetID, App, Execution string
	At                                                      time.Time
	Detail                                                  map[string]any
}

func (e event) String() string { return e.Actor + " " + e.Action }

func events(t *testing.T, conn any) []event {
	t.Helper()
	var out []event
	for _, e := range dig(conn, "edges").([]any) {
		n := dig(e, "node")
		at, err := time.Parse(time.RFC3339Nano, dig(n, "at").(string))
		if err != nil {
			t.Fatal(err)
		}
		ev := event{ID: dig(n, "id").(string), Actor: dig(n, "actor").(string), Action: dig(n, "action").(string),
			TargetType: dig(n, "target", "type").(string), TargetID: dig(n, "target", "id").(string), At: at}
		ev.App, _ = dig(n, "applicationName").(string)
		ev.Execution, _ = dig(n, "execution", "id").(string)
		ev.Detail, _ = dig(n, "detail").(map[string]any)
		out = append(out, ev)
	}
	return out
}

func joined(evs []event) string {
	s := make([]string, len(evs))
	for i, e := range evs {
		s[i] = e.String()
	}
	return strings.Join(s, ", ")
}

// auditFixture is what the mutations of TestAuditEvents made.
type auditFixture struct {
	shop, blog, ship, post, exec, group, cluster string
}

// mutate does, through the API, the changes whose audit events the test reads back; the
// callers differ so that the actor filter has something to tell apart.
func mutate(t *testing.T, a *auditAPI, s *store.Store) auditFixture {
	var fx auditFixture
	app := func(user, name string) string {
		d := a.ok(user, createApp, map[string]any{"in": map[string]any{"name": name, "ownerEmail": "o@x.io"}})
		return dig(d, "createApplication", "application", "id").(string)
	}
	save := func(user string, in map[string]any) string {
		in["stages"] = []any{map[string]any{"refId": "1", "type": "wait", "name": "Bake", "config": map[string]any{"waitTime": 0}}}
		d := a.ok(user, `mutation($in: SavePipelineInput!) { savePipeline(input: $in) { pipeline { id } } }`, map[string]any{"in": in})
		return dig(d, "savePipeline", "pipeline", "id").(string)
	}
	fx.shop = app("alice", "shop")
	fx.blog = app("bob", "blog")
	a.ok("alice", `mutation($id: ID!) { updateApplication(input: {id: $id, description: "the shop"}) { application { id } } }`, map[string]any{"id": fx.shop})
	fx.ship = save("alice", map[string]any{"application": "shop", "name": "ship"})
	save("carol", map[string]any{"id": fx.ship, "version": 1, "application": "shop", "name": "ship", "description": "v2"})
	fx.post = save("bob", map[string]any{"application": "blog", "name": "post"})
	d := a.ok("carol", `mutation($id: ID!) { triggerPipeline(input: {pipelineId: $id, parameters: {}, reason: "release 42"}) { execution { id } } }`,
		map[string]any{"id": fx.ship})
	fx.exec = dig(d, "triggerPipeline", "execution", "id").(string)
	a.ok("bob", `mutation($id: ID!) { cancelExecution(input: {id: $id, reason: "wrong build"}) { execution { id } } }`, map[string]any{"id": fx.exec})

	// A server group, as the caching agent reports it (that is not audited), then operated on.
	seq := 1
	if _, _, err := s.UpsertServerGroup(t.Context(), store.ServerGroupState{Application: "shop", Account: "local", Region: "local",
		Cluster: "shop", Group: store.ServerGroup{Name: "shop-v001", Sequence: &seq, CapacityMin: 1, CapacityDesired: 1, CapacityMax: 1,
			Enabled: true, Artifact: store.JSONMap{"type": "exec", "reference": "hello", "version": "1"}}}); err != nil {
		t.Fatal(err)
	}
	d = a.ok("alice", `{ application(name: "shop") { clusters { edges { node { id serverGroups { edges { node { id } } } } } } } }`, nil)
	cl := dig(d, "application", "clusters", "edges").([]any)[0]
	fx.cluster = dig(cl, "node", "id").(string)
	fx.group = dig(dig(cl, "node", "serverGroups", "edges").([]any)[0], "node", "id").(string)
	a.ok("dave", `mutation($id: ID!) { disableServerGroup(input: {id: $id, reason: "bad canary"}) { execution { id } } }`, map[string]any{"id": fx.group})
	a.ok("dave", `mutation($id: ID!) { resizeServerGroup(input: {id: $id, capacity: {min: 2, desired: 2, max: 3}}) { execution { id } } }`, map[string]any{"id": fx.group})
	a.ok("dave", `mutation($id: ID!) { rollbackCluster(input: {id: $id, region: "local", reason: "v1 was fine"}) { execution { id } } }`, map[string]any{"id": fx.cluster})
	a.ok("bob", `mutation($id: ID!) { deletePipeline(input: {id: $id}) { deletedId } }`, map[string]any{"id": fx.post})
	return fx
}

// TestAuditEvents makes real mutations through the GraphQL handler, then reads their audit
// events back through every filter, page by page, and through each object's connection.
func TestAuditEvents(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		a := newAuditAPI(t, s)
		fx := mutate(t, a, s)

		all := events(t, dig(a.ok("alice", listAudit, map[string]any{"first": 100}), "auditEvents"))
		want := "bob deletePipeline, dave rollbackCluster, dave resizeServerGroup, dave disableServerGroup, bob cancelExecution, " +
			"carol triggerPipeline, bob savePipeline, carol savePipeline, alice savePipeline, alice updateApplication, " +
			"bob createApplication, alice createApplication"
		if joined(all) != want {
			t.Fatalf("the log, newest first:\n%s\nwant\n%s", joined(all), want)
		}
		for i := 1; i < len(all); i++ {
			if all[i].At.After(all[i-1].At) {
				t.Errorf("event %d (%s) is later than the one before it", i, all[i])
			}
		}

		// What each event says about its target, application and execution.
		byAction := func(action string) event {
			for _, e := range all {
				if e.Action == action {
					return e
				}
			}
			t.Fatalf("no %s event", action)
			return event{}
		}
		disable := byAction("disableServerGroup")
		if disable.TargetType != "ServerGroup" || disable.TargetID != fx.group || disable.App != "shop" || disable.Execution == "" {
			t.Errorf("disable: %+v; want the server group as target, filed under shop and its orchestration", disable)
		}
		if disable.Detail["reason"] != "bad canary" || dig(disable.Detail, "config", "serverGroupName") != "shop-v001" {
			t.Errorf("disable detail %v; want the reason and the server group's name", disable.Detail)
		}
		if rb := byAction("rollbackCluster"); rb.TargetType != "Cluster" || rb.TargetID != fx.cluster {
			t.Errorf("rollback: target %s %s, want the cluster %s", rb.TargetType, rb.TargetID, fx.cluster)
		}
		trig := byAction("triggerPipeline")
		if trig.TargetID != fx.exec || trig.Execution != fx.exec || trig.Detail["reason"] != "release 42" {
			t.Errorf("trigger: %+v; want the execution as target and execution, with the reason", trig)
		}
		if del := byAction("deletePipeline"); del.TargetID != fx.post || del.App != "blog" {
			t.Errorf("delete: %+v; want the deleted pipeline, filed under blog", del)
		}
		node := a.ok("alice", `query($id: ID!) { node(id: $id) { id ... on AuditEvent { action execution { type } } } }`, map[string]any{"id": disable.ID})
		if dig(node, "node", "action") != "disableServerGroup" || dig(node, "node", "execution", "type") != "ORCHESTRATION" {
			t.Errorf("node(id:) of the disable event: %v", node)
		}
		for _, missing := range []string{"QXVkaXRFdmVudDo5OTk5", "QXVkaXRFdmVudDp4"} { // AuditEvent:9999, AuditEvent:x
			if d := a.ok("alice", `query($id: ID!) { node(id: $id) { id } }`, map[string]any{"id": missing}); d["node"] != nil {
				t.Errorf("node(id: %s): %v, want null", decode(t, missing), d["node"])
			}
		}

		// Each filter against the whole log filtered here.
		pick := func(keep func(e event) bool) string {
			var out []event
			for _, e := range all {
				if keep(e) {
					out = append(out, e)
				}
			}
			return joined(out)
		}
		mid := all[len(all)/2].At
		rfc := func(t time.Time) string { return t.Format(time.RFC3339Nano) }
		for _, tc := range []struct {
			name   string
			filter map[string]any
			want   string
		}{
			{"application", map[string]any{"application": "blog"}, "bob deletePipeline, bob savePipeline, bob createApplication"},
			{"deleted application's name", map[string]any{"application": "nonesuch"}, ""},
			{"target type", map[string]any{"targetType": "ServerGroup"}, "dave resizeServerGroup, dave disableServerGroup"},
			{"target", map[string]any{"targetId": fx.ship}, "carol savePipeline, alice savePipeline"},
			{"target with its type", map[string]any{"targetType": "Pipeline", "targetId": fx.ship}, "carol savePipeline, alice savePipeline"},
			{"a deleted target", map[string]any{"targetId": fx.post}, "bob deletePipeline, bob savePipeline"},
			{"execution", map[string]any{"execution": fx.exec}, "bob cancelExecution, carol triggerPipeline"},
			{"actor", map[string]any{"actor": "dave"}, "dave rollbackCluster, dave resizeServerGroup, dave disableServerGroup"},
			{"action", map[string]any{"action": "savePipeline"}, "bob savePipeline, carol savePipeline, alice savePipeline"},
			{"actor and application", map[string]any{"actor": "bob", "application": "shop"}, "bob cancelExecution"},
			{"since", map[string]any{"since": rfc(mid)}, pick(func(e event) bool { return !e.At.Before(mid) })},
			{"until", map[string]any{"until": rfc(mid)}, pick(func(e event) bool { return e.At.Before(mid) })},
			{"range", map[string]any{"since": rfc(all[len(all)-2].At), "until": rfc(all[1].At)},
				pick(func(e event) bool { return !e.At.Before(all[len(all)-2].At) && e.At.Before(all[1].At) })},
		} {
			t.Run(tc.name, func(t *testing.T) {
				conn := dig(a.ok("alice", listAudit, map[string]any{"f": tc.filter, "first": 100}), "auditEvents")
				got := events(t, conn)
				if joined(got) != tc.want || dig(conn, "totalCount") != float64(len(got)) {
					t.Fatalf("got %q (totalCount %v), want %q", joined(got), dig(conn, "totalCount"), tc.want)
				}
			})
		}

		// Pages of 5 walk the whole log once; every page says how many there are in all.
		var walked []event
		var after any
		for page := 0; ; page++ {
			conn := dig(a.ok("alice", listAudit, map[string]any{"first": 5, "after": after}), "auditEvents")
			if dig(conn, "totalCount") != float64(12) || dig(conn, "pageInfo", "hasPreviousPage") != (page > 0) {
				t.Fatalf("page %d: totalCount %v, pageInfo %v", page, dig(conn, "totalCount"), dig(conn, "pageInfo"))
			}
			walked = append(walked, events(t, conn)...)
			if dig(conn, "pageInfo", "hasNextPage") != true {
				break
			}
			if page > 3 {
				t.Fatal("more pages than 12 events make")
			}
			after = dig(conn, "pageInfo", "endCursor")
		}
		if joined(walked) != want {
			t.Fatalf("walked %s", joined(walked))
		}

		// Each object's own connection.
		nested := `query($sg: ID!, $p: ID!, $e: ID!) {
			application(name: "shop") { auditEvents(first: 4) { ` + auditFields + ` } }
			group: node(id: $sg) { ... on ServerGroup { auditEvents { ` + auditFields + ` } } }
			pipeline(id: $p) { auditEvents { ` + auditFields + ` } }
			execution(id: $e) { auditEvents { ` + auditFields + ` } } }`
		d := a.ok("alice", nested, map[string]any{"sg": fx.group, "p": fx.ship, "e": fx.exec})
		for _, tc := range []struct {
			path  []string
			want  string
			total int
		}{
			{[]string{"application", "auditEvents"}, "dave rollbackCluster, dave resizeServerGroup, dave disableServerGroup, bob cancelExecution", 9},
			{[]string{"group", "auditEvents"}, "dave resizeServerGroup, dave disableServerGroup", 2},
			{[]string{"pipeline", "auditEvents"}, "carol savePipeline, alice savePipeline", 2},
			{[]string{"execution", "auditEvents"}, "bob cancelExecution, carol triggerPipeline", 2},
		} {
			conn := dig(d, tc.path...)
			if got := joined(events(t, conn)); got != tc.want || dig(conn, "totalCount") != float64(tc.total) {
				t.Errorf("%s: %q (totalCount %v), want %q (%d)", tc.path[0], got, dig(conn, "totalCount"), tc.want, tc.total)
			}
		}
		// The application's next page goes on from the cursor.
		cursor := dig(d, "application", "auditEvents", "pageInfo", "endCursor")
		d = a.ok("alice", `query($after: String) { application(name: "shop") { auditEvents(first: 10, after: $after) { `+auditFields+` } } }`,
			map[string]any{"after": cursor})
		conn := dig(d, "application", "auditEvents")
		if got := joined(events(t, conn)); got != "carol triggerPipeline, carol savePipeline, alice savePipeline, alice updateApplication, alice createApplication" ||
			dig(conn, "pageInfo", "hasNextPage") != false || dig(conn, "pageInfo", "hasPreviousPage") != true {
			t.Errorf("shop's second page: %q, pageInfo %v", got, dig(conn, "pageInfo"))
		}
	})
}

// TestAuditEventsBadInput: arguments out of range are BAD_USER_INPUT at their path, for the
// query and for an object's connection alike.
func TestAuditEventsBadInput(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		a := newAuditAPI(t, s)
		app := dig(a.ok("alice", createApp, map[string]any{"in": map[string]any{"name": "shop", "ownerEmail": "o@x.io"}}),
			"createApplication", "application", "id").(string)
		execCursor := "YzowMTkwMDAwMC0wMDAwLTcwMDAtODAwMC0wMDAwMDAwMDAwMDA" // c:<an execution's uuid>
		account := "QWNjb3VudDpsb2NhbA"                                     // Account:local
		for _, tc := range []struct {
			name  string
			vars  map[string]any
			paths string
		}{
			{"first below 0", map[string]any{"first": -1}, "first"},
			{"first above 1000", map[string]any{"first": 1001}, "first"},
			{"malformed cursor", map[string]any{"after": "garbage"}, "after"},
			{"another connection's cursor", map[string]any{"after": execCursor}, "after"},
			{"unknown target type", map[string]any{"f": map[string]any{"targetType": "Instance"}}, "filter.targetType"},
			{"malformed target id", map[string]any{"f": map[string]any{"targetId": "%%%"}}, "filter.targetId"},
			{"target id of a type without events", map[string]any{"f": map[string]any{"targetId": account}}, "filter.targetId"},
			{"target id of another type", map[string]any{"f": map[string]any{"targetType": "Pipeline", "targetId": app}}, "filter.targetId"},
			{"execution of another type", map[string]any{"f": map[string]any{"execution": app}}, "filter.execution"},
			{"until before since", map[string]any{"f": map[string]any{"since": "2030-01-02T00:00:00Z", "until": "2030-01-01T00:00:00Z"}}, "filter.until"},
			{"every problem at once", map[string]any{"f": map[string]any{"targetType": "Nope", "execution": "%%%", "since": "2030-01-02T00:00:00Z",
				"until": "2030-01-01T00:00:00Z"}}, "filter.targetType,filter.execution,filter.until"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				_, errs := a.do("alice", listAudit, tc.vars)
				if code(errs) != "BAD_USER_INPUT" || strings.Join(problemPaths(errs), ",") != tc.paths {
					t.Fatalf("code %q, problems at %v; want BAD_USER_INPUT at %s (%+v)", code(errs), problemPaths(errs), tc.paths, errs)
				}
				if fmt.Sprint(errs[0].Path) != "[auditEvents]" {
					t.Errorf("error path %v, want [auditEvents]", errs[0].Path)
				}
			})
		}
		_, errs := a.do("alice", `{ application(name: "shop") { auditEvents(first: 5000) { totalCount } } }`, nil)
		if code(errs) != "BAD_USER_INPUT" || fmt.Sprint(problemPaths(errs)) != "[first]" || fmt.Sprint(errs[0].Path) != "[application auditEvents]" {
			t.Fatalf("nested first 5000: %+v; want BAD_USER_INPUT at first, on application.auditEvents", errs)
		}
		_, errs = a.do("alice", `{ application(name: "shop") { auditEvents(after: "garbage") { totalCount } } }`, nil)
		if code(errs) != "BAD_USER_INPUT" || fmt.Sprint(problemPaths(errs)) != "[after]" {
			t.Fatalf("nested bad cursor: %+v; want BAD_USER_INPUT at after", errs)
		}
	})
}

// TestAuditEventsForbidden: reading the log asks the authorizer for READ on the applications
// shown; a caller who may read shop alone reads shop's events and nothing else.
func TestAuditEventsForbidden(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		a := newAuditAPI(t, s)
		fx := mutate(t, a, s)
		for _, tc := range []struct {
			name, user, query string
			vars              map[string]any
			want              string
		}{
			{"shop's events", "mallory", listAudit, map[string]any{"f": map[string]any{"application": "shop"}}, ""},
			{"shop's own connection", "mallory", `{ application(name: "shop") { auditEvents { totalCount } } }`, nil, ""},
			{"shop's pipeline", "mallory", listAudit, map[string]any{"f": map[string]any{"targetId": fx.ship}}, ""},
			{"blog's events", "mallory", listAudit, map[string]any{"f": map[string]any{"application": "blog"}}, "FORBIDDEN"},
			{"every application's", "mallory", listAudit, nil, "FORBIDDEN"},
			{"blog's pipeline, by target", "mallory", listAudit, map[string]any{"f": map[string]any{"targetId": fx.post}}, "FORBIDDEN"},
			{"blog's own connection", "mallory", `{ application(name: "blog") { auditEvents { totalCount } } }`, nil, "FORBIDDEN"},
			{"no caller", "", listAudit, map[string]any{"f": map[string]any{"application": "shop"}}, "FORBIDDEN"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				_, errs := a.do(tc.user, tc.query, tc.vars)
				if code(errs) != tc.want {
					t.Fatalf("code %q, want %q (%+v)", code(errs), tc.want, errs)
				}
			})
		}
		// node(id:) of an event is checked too.
		all := events(t, dig(a.ok("alice", listAudit, map[string]any{"f": map[string]any{"application": "blog"}}), "auditEvents"))
		_, errs := a.do("mallory", `query($id: ID!) { node(id: $id) { id } }`, map[string]any{"id": all[0].ID})
		if code(errs) != "FORBIDDEN" {
			t.Fatalf("node of blog's event for mallory: %+v, want FORBIDDEN", errs)
		}
	})
}

// TestAuditEventsStatements: the audit events of a list of applications cost the same
// statements for 2 applications as for 6.
func TestAuditEventsStatements(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		a := newAuditAPI(t, s)
		create := func(names ...string) {
			for _, n := range names {
				a.ok("alice", createApp, map[string]any{"in": map[string]any{"name": n, "ownerEmail": "o@x.io"}})
				for i := range 3 {
					a.ok("alice", `mutation($n: ID!, $d: String!) { updateApplication(input: {id: $n, description: $d}) { application { id } } }`,
						map[string]any{"n": appID(t, a, n), "d": fmt.Sprint(i)})
				}
			}
		}
		q := `query($first: Int) { applications(first: 50) { edges { node { name
			auditEvents(first: $first) { totalCount edges { node { action actor } } } } } } }`
		count := func() (int64, map[string]any) {
			before := s.Statements()
			d := a.ok("alice", q, map[string]any{"first": 2})
			return s.Statements() - before, d
		}
		create("a", "b")
		two, _ := count()
		create("c", "d", "e", "f")
		six, d := count()
		if two != six {
			t.Fatalf("statements: %d for 2 applications, %d for 6; want equal", two, six)
		}
		if six > 4 {
			t.Errorf("statements: %d, want at most 4 (count and list the applications, count and list their events)", six)
		}
		edges := dig(d, "applications", "edges").([]any)
		for _, e := range edges {
			conn := dig(e, "node", "auditEvents")
			got := joined(events2(conn))
			if got != "alice updateApplication, alice updateApplication" || dig(conn, "totalCount") != float64(4) {
				t.Errorf("%v: %s (total %v)", dig(e, "node", "name"), got, dig(conn, "totalCount"))
			}
		}
		if !slices.ContainsFunc(edges, func(e any) bool { return dig(e, "node", "name") == "f" }) || len(edges) != 6 {
			t.Fatalf("applications: %d, want 6", len(edges))
		}
	})
}

func appID(t *testing.T, a *auditAPI, name string) string {
	t.Helper()
	return dig(a.ok("alice", `query($n: String!) { application(name: $n) { id } }`, map[string]any{"n": name}), "application", "id").(string)
}

// events2 reads the actor and action of a connection that selected only those.
func events2(conn any) []event {
	var out []event
	for _, e := range dig(conn, "edges").([]any) {
		out = append(out, event{Actor: dig(e, "node", "actor").(string), Action: dig(e, "node", "action").(string)})
	}
	return out
}
