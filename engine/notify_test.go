package engine_test

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gennaker/gennaker/client"
	"github.com/gennaker/gennaker/engine"
	"github.com/gennaker/gennaker/pipeline"
	"github.com/gennaker/gennaker/store"
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
		// The outbox: one row per event listened to, each SENT; the two 503s cost two more
		// attempts, shared by the rows sent at once.
		waitNotifications(t, w, id, func(rows []store.Notification) bool {
			if len(rows) != 3 {
				return false
			}
			attempts := 0
			for _, r := range rows {
				if r.Status != store.NotificationSent {
					return false
				}
				attempts += r.Attempts
			}
			return attempts == 5
		}, "three rows SENT after 5 attempts in all")

		// The API shows them, targets by host only.
		api := httptest.NewServer(apiHandler(w.store, w.bus))
		defer api.Close()
		var res struct {
			Execution struct {
				Notifications []struct {
					Event, Status string
					Attempts      int
					Stage         *struct{ Name string }
					Targets       []struct{ Type, Host string }
				}
			}
		}
		gid := base64.RawURLEncoding.EncodeToString([]byte("Execution:" + id))
		if err := client.New(api.URL).Do(t.Context(), `query($id: ID!) { execution(id: $id) { notifications {
			event status attempts stage { name } targets { type host } } } }`, map[string]any{"id": gid}, &res); err != nil {
			t.Fatal(err)
		}
		got := map[string]string{}
		for _, n := range res.Execution.Notifications {
			desc := n.Status
			for _, tg := range n.Targets {
				desc += " " + tg.Type + "@" + tg.Host
			}
			if n.Stage != nil {
				desc += " stage " + n.Stage.Name
			}
			got[n.Event] = desc
		}
		hookHost, slackHost := strings.TrimPrefix(hs.URL, "http://"), strings.TrimPrefix(ss.URL, "http://")
		want := map[string]string{
			"pipeline.starting": "SENT webhook@" + hookHost,
			"manualJudgment":    "SENT webhook@" + hookHost + " stage approve",
			"pipeline.complete": "SENT webhook@" + hookHost + " slack@" + slackHost,
		}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Fatalf("execution.notifications = %v, want %v", got, want)
		}
	})
}

// TestLostNotificationIsSentByTheWatchdog: a notification committed with its change whose
// command never went out (the engine died in between) is sent by the watchdog, once; a
// row written again for the same event changes nothing.
func TestLostNotificationIsSentByTheWatchdog(t *testing.T) {
	eachWorld(t, engine.Config{WatchdogInterval: time.Hour, StaleAfter: time.Millisecond}, func(t *testing.T, w *world) {
		hook := &receiver{keys: map[string]bool{}}
		hs := httptest.NewServer(hook)
		defer hs.Close()
		p := w.pipelineOf(pipeline.Definition{Name: "quiet", Stages: []pipeline.Stage{wait0("1", "only")}})
		id := w.create(p, nil)
		targets, _ := json.Marshal([]pipeline.Notification{{Type: "webhook", Address: hs.URL, When: []string{"pipeline.complete"}}})
		row := store.Notification{ID: "Notify/" + id + "/pipeline.complete//0", ExecutionID: id, Event: "pipeline.complete",
			Targets: targets, Message: store.JSONMap{"event": "pipeline.complete", "text": "quiet: succeeded"}}
		commit := func() {
			ex, err := w.store.Execution(t.Context(), id)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := w.store.CommitExecution(t.Context(), store.ExecutionChange{Execution: ex,
				Notifications: []store.Notification{row}}, ex.Version); err != nil {
				t.Fatal(err)
			}
		}
		commit() // committed; its Notify command is "lost"
		time.Sleep(5 * time.Millisecond)
		if _, err := w.engine.Repair(t.Context()); err != nil {
			t.Fatal(err)
		}
		hook.waitFor(t, func(m map[string]any) bool { return m["text"] == "quiet: succeeded" }, "sent by the watchdog")
		waitNotifications(t, w, id, func(rows []store.Notification) bool {
			return len(rows) == 1 && rows[0].Status == store.NotificationSent && rows[0].Attempts == 1
		}, "one row, SENT once")
		w.waitStatus(id, pipeline.Succeeded) // the watchdog started the execution too
		commit()                             // the same event decided again
		time.Sleep(5 * time.Millisecond)
		if _, err := w.engine.Repair(t.Context()); err != nil {
			t.Fatal(err)
		}
		rows, _ := w.store.NotificationsOf(t.Context(), id)
		hook.mu.Lock()
		defer hook.mu.Unlock()
		if hook.calls != 1 || len(rows) != 1 || rows[0].Status != store.NotificationSent {
			t.Fatalf("after a repeat: %d calls, rows %+v; want one call and the row SENT", hook.calls, rows)
		}
	})
}

// waitNotifications waits until an execution's outbox rows satisfy ok.
func waitNotifications(t *testing.T, w *world, id string, ok func([]store.Notification) bool, what string) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		rows, err := w.store.NotificationsOf(t.Context(), id)
		if err != nil {
			t.Fatal(err)
		}
		if ok(rows) {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("outbox of %s: want %s, have %+v", id, what, rows)
		}
		time.Sleep(20 * time.Millisecond)
	}
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
