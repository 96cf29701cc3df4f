package resolvers_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"
	"time"

	"github.com/gennaker/gennaker/auth"
	"github.com/gennaker/gennaker/resolvers"
	"github.com/gennaker/gennaker/store/storetest"
)

// BenchmarkClusterView measures the dashboard's cluster view (the clusterView query of
// loaders_test.go) through the real GraphQL handler served over HTTP by httptest, for an
// application of 10 and of 100 clusters × 10 server groups × 10 instances, on SQLite and
// (with GENNAKER_TEST_MYSQL_URL) MariaDB. Besides ns/op it reports the SQL statements each
// query costs (store.Statements) and the p50/p99 of the per-query latencies.
func BenchmarkClusterView(b *testing.B) {
	for _, dialect := range storetest.Dialects(b) {
		b.Run(dialect, func(b *testing.B) {
			s := storetest.Open(b, dialect)
			sizes := []int{10, 100}
			for _, n := range sizes {
				seedClusters(b, s, fmt.Sprintf("cv%d", n), n, 10, 10)
			}
			r := &resolvers.Resolver{Store: s, Auth: auth.AllowAll{}, Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
			srv := httptest.NewServer(auth.AnonymousMiddleware(resolvers.NewHandler(r, resolvers.Limits{})))
			b.Cleanup(srv.Close)
			for _, n := range sizes {
				b.Run(fmt.Sprintf("clusters=%d", n), func(b *testing.B) {
					body, _ := json.Marshal(map[string]any{"query": clusterView, "variables": map[string]any{"app": fmt.Sprintf("cv%d", n)}})
					// One checked query first: the benchmark must measure a correct answer.
					if got := clusterViewOnce(b, srv.URL, body, true); got != n {
						b.Fatalf("clusters: %d, want %d", got, n)
					}
					var lat []time.Duration
					before := s.Statements()
					for b.Loop() {
						start := time.Now()
						clusterViewOnce(b, srv.URL, body, false)
						lat = append(lat, time.Since(start))
					}
					b.ReportMetric(float64(s.Statements()-before)/float64(len(lat)), "statements/op")
					reportPercentiles(b, lat)
				})
			}
		})
	}
}

// clusterViewOnce posts the query and returns how many clusters came back (when check is
// set; otherwise it only drains the body, as a browser would read it).
func clusterViewOnce(b *testing.B, url string, body []byte, check bool) int {
	resp, err := http.Post(url, "application/json", bytes.NewReader(body))
	if err != nil {
		b.Fatal(err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		b.Fatalf("cluster view: status %d, error %v", resp.StatusCode, err)
	}
	if !check {
		return 0
	}
	var out struct {
		Data   map[string]any `json:"data"`
		Errors []gqlError     `json:"errors"`
	}
	if err := json.Unmarshal(raw, &out); err != nil || len(out.Errors) > 0 {
		b.Fatalf("cluster view: %v %+v", err, out.Errors)
	}
	edges, _ := dig(out.Data, "application", "clusters", "edges").([]any)
	if len(edges) > 0 {
		sgs, _ := dig(edges[0], "node", "serverGroups", "edges").([]any)
		inst, _ := dig(sgs[0], "node", "instances", "edges").([]any)
		if len(sgs) != 10 || len(inst) != 10 {
			b.Fatalf("first cluster: %d server groups, %d instances; want 10 and 10", len(sgs), len(inst))
		}
	}
	return len(edges)
}

// reportPercentiles reports the median and 99th percentile of per-iteration latencies in ms.
func reportPercentiles(b *testing.B, lat []time.Duration) {
	if len(lat) == 0 {
		return
	}
	slices.Sort(lat)
	at := func(q float64) float64 {
		return float64(lat[min(len(lat)-1, int(q*float64(len(lat))))]) / float64(time.Millisecond)
	}
	b.ReportMetric(at(0.50), "p50-ms")
	b.ReportMetric(at(0.99), "p99-ms")
}
