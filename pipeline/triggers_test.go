package pipeline

import (
	"testing"
	"time"
)

func TestCronSchedule(t *testing.T) {
	tests := []struct {
		name, expr, tz, after, want string
	}{
		{"every 5 minutes", "*/5 * * * *", "", "2026-11-26T10:02:00Z", "2026-11-26T10:05:00Z"},
		{"quartz with seconds", "0 30 9 * * ?", "", "2026-11-26T10:00:00Z", "2026-11-27T09:30:00Z"},
		{"in a time zone", "0 9 * * *", "Europe/Paris", "2026-11-26T07:00:00Z", "2026-11-26T08:00:00Z"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cfg := map[string]any{"cronExpression": tc.expr}
			if tc.tz != "" {
				cfg["timeZone"] = tc.tz
			}
			next, err := CronSchedule(Trigger{Type: "cron", Enabled: true, Config: cfg})
			if err != nil {
				t.Fatal(err)
			}
			after, _ := time.Parse(time.RFC3339, tc.after)
			if got := next(after).Format(time.RFC3339); got != tc.want {
				t.Fatalf("got %s, want %s", got, tc.want)
			}
		})
	}
	if _, err := CronSchedule(Trigger{Type: "cron", Config: map[string]any{"cronExpression": "nope"}}); err == nil {
		t.Fatal("a bad expression gave no error")
	}
}

func TestPipelineTriggerFires(t *testing.T) {
	trig := func(status ...any) Trigger {
		cfg := map[string]any{"application": "shop", "pipeline": "build"}
		if status != nil {
			cfg["status"] = status
		}
		return Trigger{Type: "pipeline", Enabled: true, Config: cfg}
	}
	tests := []struct {
		name   string
		t      Trigger
		status Status
		want   bool
	}{
		{"default fires on success", trig(), Succeeded, true},
		{"default ignores failure", trig(), Terminal, false},
		{"failed listed", trig("failed"), Terminal, true},
		{"canceled listed", trig("successful", "canceled"), Canceled, true},
		{"still running", trig(), Running, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := PipelineTriggerFires(tc.t, "shop", "id-1", "build", tc.status); got != tc.want {
				t.Fatalf("got %v, want %v", got, tc.want)
			}
		})
	}
	if PipelineTriggerFires(trig(), "other", "id-1", "build", Succeeded) {
		t.Fatal("fired for another application")
	}
	disabled := trig()
	disabled.Enabled = false
	if PipelineTriggerFires(disabled, "shop", "id-1", "build", Succeeded) {
		t.Fatal("a disabled trigger fired")
	}
}

func TestWebhookTriggerFires(t *testing.T) {
	trig := Trigger{Type: "webhook", Enabled: true, Config: map[string]any{"source": "ci",
		"payloadConstraints": map[string]any{"branch": "main", "repo.name": "shop"}}}
	ok := map[string]any{"branch": "main", "repo": map[string]any{"name": "shop"}}
	if !WebhookTriggerFires(trig, "ci", ok) {
		t.Fatal("a matching payload did not fire")
	}
	if WebhookTriggerFires(trig, "ci", map[string]any{"branch": "dev", "repo": map[string]any{"name": "shop"}}) {
		t.Fatal("a payload breaking a constraint fired")
	}
	if WebhookTriggerFires(trig, "other", ok) {
		t.Fatal("another source fired")
	}
}
