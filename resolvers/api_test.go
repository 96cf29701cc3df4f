package resolvers_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gennaker/gennaker/auth"
	"github.com/gennaker/gennaker/resolvers"
	"github.com/gennaker/gennaker/store"
	"github.com/gennaker/gennaker/store/storetest"
)

// api is an in-process GraphQL server over a real store.
type api struct {
	t     *testing.T
	store *store.Store
	h     http.Handler
}

type gqlError struct {
	Message    string         `json:"message"`
	Path       []any          `json:"path"`
	Extensions map[string]any `json:"extensions"`
}

func newAPI(t *testing.T, s *store.Store, lim resolvers.Limits) *api {
	r := &resolvers.Resolver{Store: s, Auth: auth.AllowAll{}, Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	return &api{t: t, store: s, h: auth.AnonymousMiddleware(resolvers.NewHandler(r, lim))}
}

// do posts a query and returns its data and errors.
func (a *api) do(query string, vars map[string]any) (map[string]any, []gqlError) {
	a.t.Helper()
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	req := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
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

// ok posts a query that must succeed.
func (a *api) ok(query string, vars map[string]any) map[string]any {
	a.t.Helper()
	data, errs := a.do(query, vars)
	if len(errs) > 0 {
		a.t.Fatalf("query failed: %+v", errs)
	}
	return data
}

func dig(v any, path ...string) any {
	for _, p := range path {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[p]
	}
	return v
}

func code(errs []gqlError) string {
	if len(errs) == 0 {
		return ""
	}
	c, _ := errs[0].Extensions["code"].(string)
	return c
}

func problemPaths(errs []gqlError) []string {
	var out []string
	for _, e := range errs {
		ps, _ := e.Extensions["problems"].([]any)
		for _, p := range ps {
			out = append(out, fmt.Sprint(dig(p, "path")))
		}
	}
	return out
}

const createApp = `mutation($in: CreateApplicationInput!) { createApplication(input: $in) { application { id name version criticality } } }`

func TestApplications(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		a := newAPI(t, s, resolvers.Limits{})
		data := a.ok(createApp, map[string]any{"in": map[string]any{"name": "shop", "ownerEmail": "o@x.io", "criticality": "HIGH"}})
		id := dig(data, "createApplication", "application", "id").(string)

		// Bad input: every problem listed at its path, nothing written.
		_, errs := a.do(createApp, map[string]any{"in": map[string]any{"name": "Bad-Name", "ownerEmail": "nope", "cloudProviders": []any{"AWS!"}}})
		if code(errs) != "BAD_USER_INPUT" {
			t.Fatalf("bad input: code %q, want BAD_USER_INPUT (%+v)", code(errs), errs)
		}
		if got, want := strings.Join(problemPaths(errs), ","), "input.name,input.ownerEmail,input.cloudProviders[0]"; got != want {
			t.Fatalf("problem paths %s, want %s", got, want)
		}
		if fmt.Sprint(errs[0].Path) != "[createApplication]" {
			t.Errorf("error path %v, want [createApplication]", errs[0].Path)
		}
		_, _, total, _ := s.ListApplications(t.Context(), store.ApplicationFilter{}, store.Page{First: 10})
		if total != 1 {
			t.Fatalf("after refused input: %d applications, want 1", total)
		}

		// Duplicate name is a CONFLICT.
		_, errs = a.do(createApp, map[string]any{"in": map[string]any{"name": "shop", "ownerEmail": "o@x.io"}})
		if code(errs) != "CONFLICT" {
			t.Fatalf("duplicate: code %q, want CONFLICT", code(errs))
		}

		// Update with the version read; a stale version is a CONFLICT.
		upd := `mutation($in: UpdateApplicationInput!) { updateApplication(input: $in) { application { version description } } }`
		data = a.ok(upd, map[string]any{"in": map[string]any{"id": id, "version": 1, "description": "the shop"}})
		if v := dig(data, "updateApplication", "application", "version"); v != float64(2) {
			t.Fatalf("version after update %v, want 2", v)
		}
		_, errs = a.do(upd, map[string]any{"in": map[string]any{"id": id, "version": 1, "description": "again"}})
		if code(errs) != "CONFLICT" {
			t.Fatalf("stale update: code %q, want CONFLICT", code(errs))
		}
		_, errs = a.do(upd, map[string]any{"in": map[string]any{"id": "bm9wZQ", "description": "x"}})
		if code(errs) != "BAD_USER_INPUT" {
			t.Fatalf("malformed id: code %q, want BAD_USER_INPUT", code(errs))
		}

		// Queries: by name, list with filter, node.
		data = a.ok(`query($id: ID!) { application(name: "shop") { name description }
			applications(filter: {search: "SHO"}) { totalCount edges { cursor node { name } } pageInfo { hasNextPage } }
			node(id: $id) { id ... on Application { name } } }`, map[string]any{"id": id})
		if dig(data, "application", "description") != "the shop" || dig(data, "applications", "totalCount") != float64(1) ||
			dig(data, "node", "name") != "shop" {
			t.Fatalf("queries returned %v", data)
		}
		if data := a.ok(`{ application(name: "none") { name } }`, nil); data["application"] != nil {
			t.Fatalf("unknown application: %v, want null", data["application"])
		}

		// Every mutation is audited with the caller.
		evs, _ := s.AuditEvents(t.Context(), "Application", strings.TrimPrefix(decode(t, id), "Application:"), 10)
		if len(evs) != 2 || evs[0].Actor != "dev" || evs[0].Action != "updateApplication" || evs[1].Action != "createApplication" {
			t.Fatalf("audit %+v; want update then create by dev", evs)
		}

		del := `mutation($id: ID!) { deleteApplication(input: {id: $id}) { deletedId } }`
		a.ok(del, map[string]any{"id": id})
		_, errs = a.do(del, map[string]any{"id": id})
		if code(errs) != "NOT_FOUND" {
			t.Fatalf("second delete: code %q, want NOT_FOUND", code(errs))
		}
	})
}

func decode(t *testing.T, gid string) string {
	t.Helper()
	b, err := b64raw(gid)
	if err != nil {
		t.Fatalf("decoding id %q: %v", gid, err)
	}
	return string(b)
}
