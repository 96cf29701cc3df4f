package resolvers_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/gennaker/gennaker/client/clienttest"
	"github.com/gennaker/gennaker/store"
	"github.com/gennaker/gennaker/store/storetest"
)

func TestWebhookTriggers(t *testing.T) {
	for _, dialect := range storetest.Dialects(t) {
		t.Run(dialect, func(t *testing.T) {
			stack := clienttest.StartWith(t, clienttest.Options{Dialect: dialect})
			c := stack.Client()
			ctx := context.Background()
			if err := c.Do(ctx, `mutation { createApplication(input: {name: "hooked", ownerEmail: "o@x.io"}) { application { id } } }`, nil, nil); err != nil {
				t.Fatal(err)
			}
			err := c.Do(ctx, `mutation($in: SavePipelineInput!) { savePipeline(input: $in) { pipeline { id } } }`, map[string]any{"in": map[string]any{
				"application": "hooked", "name": "on-push",
				"parameters": []any{map[string]any{"name": "version", "required": true}},
				"triggers":   []any{map[string]any{"type": "webhook", "config": map[string]any{"source": "ci", "payloadConstraints": map[string]any{"branch": "main"}}}},
				"stages":     []any{map[string]any{"refId": "1", "type": "wait", "name": "w", "config": map[string]any{"waitTime": 0}}},
			}}, nil)
			if err != nil {
				t.Fatal(err)
			}
			post := func(body, delivery string) (int, map[string]any) {
				t.Helper()
				req, _ := http.NewRequest(http.MethodPost, stack.URL+"/webhooks/ci", strings.NewReader(body))
				if delivery != "" {
					req.Header.Set("X-Gennaker-Delivery", delivery)
				}
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				defer resp.Body.Close()
				var out map[string]any
				_ = json.NewDecoder(resp.Body).Decode(&out)
				return resp.StatusCode, out
			}
			count := func() int {
				_, _, n, err := stack.Store.ListExecutions(ctx, store.ExecutionFilter{}, store.Page{First: 10})
				if err != nil {
					t.Fatal(err)
				}
				return int(n)
			}
			code, out := post(`{"branch": "main", "parameters": {"version": "v7"}}`, "d-1")
			if code != http.StatusAccepted || len(out["started"].([]any)) != 1 {
				t.Fatalf("push on main: %d %v, want one started", code, out)
			}
			id := dig(out["started"].([]any)[0], "execution").(string)
			eventually(t, c, "webhook execution succeeded", execQuery, map[string]any{"id": id}, func(o map[string]any) bool {
				return dig(o, "execution", "status") == "SUCCEEDED"
			})
			var ex map[string]any
			if err := c.Do(ctx, `query($id: ID!) { execution(id: $id) { parameters trigger { type payload } } }`, map[string]any{"id": id}, &ex); err != nil {
				t.Fatal(err)
			}
			if dig(ex, "execution", "parameters", "version") != "v7" || dig(ex, "execution", "trigger", "type") != "webhook" ||
				dig(ex, "execution", "trigger", "payload", "branch") != "main" {
				t.Fatalf("execution %v", ex)
			}
			if code, _ := post(`{"branch": "main", "parameters": {"version": "v7"}}`, "d-1"); code != http.StatusAccepted || count() != 1 {
				t.Fatalf("the same delivery again: %d, %d executions; want still 1", code, count())
			}
			if _, out := post(`{"branch": "dev", "parameters": {"version": "v8"}}`, ""); len(out["started"].([]any)) != 0 || count() != 1 {
				t.Fatalf("a push on dev started %v", out)
			}
			if _, out := post(`{"branch": "main"}`, ""); len(out["skipped"].([]any)) != 1 || !strings.Contains(dig(out["skipped"].([]any)[0], "reason").(string), "version") {
				t.Fatalf("a push without the required parameter: %v, want it skipped naming the parameter", out)
			}
			if code, _ := post(`not json`, ""); code != http.StatusBadRequest {
				t.Fatalf("a bad payload: %d, want 400", code)
			}
			resp, _ := http.Get(stack.URL + "/webhooks/ci")
			resp.Body.Close()
			if resp.StatusCode != http.StatusMethodNotAllowed || count() != 1 {
				t.Fatalf("GET: %d, %d executions", resp.StatusCode, count())
			}
		})
	}
}
