package resolvers_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gennaker/gennaker/resolvers"
	"github.com/gennaker/gennaker/store/storetest"
)

func TestLimits(t *testing.T) {
	s := storetest.Open(t, "sqlite")
	a := newAPI(t, s, resolvers.Limits{MaxDepth: 6, MaxBodyBytes: 4096})
	cheap := newAPI(t, s, resolvers.Limits{MaxComplexity: 5000})

	deep := `{ applications { edges { node { clusters { edges { node { serverGroups { edges { node { name } } } } } } } } } }`
	_, errs := a.do(deep, nil)
	if code(errs) != "DEPTH_LIMIT_EXCEEDED" {
		t.Fatalf("deep query: %+v, want DEPTH_LIMIT_EXCEEDED", errs)
	}
	costly := `{ applications(first: 1000) { edges { node { name description ownerEmail } } } }`
	_, errs = cheap.do(costly, nil)
	if code(errs) != "COMPLEXITY_LIMIT_EXCEEDED" {
		t.Fatalf("costly query: %+v, want COMPLEXITY_LIMIT_EXCEEDED", errs)
	}
	if _, errs := cheap.do(`{ applications(first: 10) { edges { node { name } } } }`, nil); len(errs) > 0 {
		t.Fatalf("a modest query was refused: %+v", errs)
	}
	// Introspection is not counted in the depth.
	if _, errs := a.do(`{ __schema { types { name fields { name type { name ofType { name ofType { name } } } } } } }`, nil); len(errs) > 0 {
		t.Fatalf("introspection refused: %+v", errs)
	}

	big := `{"query":"{ applications { totalCount } }","variables":{"pad":"` + strings.Repeat("x", 5000) + `"}}`
	req := httptest.NewRequest(http.MethodPost, "/graphql", strings.NewReader(big))
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	a.h.ServeHTTP(rec, req)
	if rec.Code != http.StatusRequestEntityTooLarge || !strings.Contains(rec.Body.String(), "limit is 4096") {
		t.Fatalf("big body: %d %s, want 413 naming the limit", rec.Code, rec.Body.String())
	}
	_, errs = a.do(`{ applications(first: -1) { totalCount } }`, nil)
	if code(errs) != "BAD_USER_INPUT" {
		t.Fatalf("negative first: %+v", errs)
	}
}
