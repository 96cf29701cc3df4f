package engine_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gennaker/gennaker/engine"
	"github.com/gennaker/gennaker/pipeline"
)

// receiver records notifications, failing its first `fail` calls.
type receiver struct {
	mu     sync.Mutex
	events []map[string]any
	keys   map[string]bool
	calls  int
	fail   int
}

func (r *receiver) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.calls++
	if r.calls <= r.fail {
		http.Error(w, "busy", http.StatusServiceUnavailable)
		return
	}
	key := req.Header.Get("Idempotency-Key")
	if r.keys[key] {
		return // a repeat: the receiver honours the key
	}
	r.keys[key] = true
	var m map[string]any
	_ = json.NewDecoder(req.Body).Decode(&m)
	r.events = append(r.events, m)
}

func (r *receiver) waitFor(t *testing.T, match func(map[string]any) bool, what string) map[string]any {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		r.mu.Lock()
		for _, e := range r.events {
			if match(e) {
				r.mu.Unlock()
				return e
			}
		}
		r.mu.Unlock()
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("no notification %s; got %v", what, r.events)
	return nil
}

func TestNotifications(t *testing.T) {
	eachWorld(t, engine.Config{}, func(t *testing.T, w *world) {
		hook := &receiver{keys: map[string]bool{}, fail: 2}
		slack := &receiver{keys: map[string]bool{}}
		hs, ss := httptest.NewServer(hook), httptest.NewServer(slack)
		defer hs.Close()
		defer ss.Close()
		p := w.pipelineOf(pipeline.Definition{Name: "noisy",
			Notifications: []pipeline.Notification{
				{Type: "webhook", Address: hs.URL, When: []string{"pipeline.starting", "manualJudgment", "pipeline.complete"}},
				{Type: "slack", Address: ss.URL, When: []string{"pipeline.complete"}},
				{Type: "email", Address: "team@example.com", When: []string{"pipeline.complete"}},
			},
			Stages: []pipeline.Stage{stage("1", "manualJudgment", "approve", nil, map[string]any{"instructions": "look at the graphs"})}})
		id := w.start(p, nil)
		hook.waitFor(t, func(m map[string]any) bool { return m["event"] == "pipeline.starting" }, "pipeline.starting (after two 503s)")
		j := hook.waitFor(t, func(m map[string]any) bool { return m["event"] == "manualJudgment" }, "manualJudgment")
		if !strings.Contains(j["text"].(string), "look at the graphs") || dig(j, "stage", "name") != "approve" {
			t.Fatalf("judgment notification %v", j)
		}
		st := w.stageOf(id, "approve")
		w.judge(id, st, "t", map[string]any{"judgment": "CONTINUE"})
		w.waitStatus(id, pipeline.Succeeded)
		done := hook.waitFor(t, func(m map[string]any) bool { return m["event"] == "pipeline.complete" }, "pipeline.complete")
		if dig(done, "execution", "status") != "SUCCEEDED" || done["pipeline"] != "noisy" {
			t.Fatalf("completion notification %v", done)
		}
		s := slack.waitFor(t, func(m map[string]any) bool { return m["text"] != nil }, "on slack")
		if !strings.Contains(s["text"].(string), "noisy: succeeded") {
			t.Fatalf("slack text %q", s["text"])
		}
		hook.mu.Lock()
		defer hook.mu.Unlock()
		if len(hook.events) != 3 {
			t.Fatalf("the webhook got %d notifications, want 3: %v", len(hook.events), hook.events)
		}
	})
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
