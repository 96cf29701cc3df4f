package main

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

// TestRendererRedraws checks the terminal mode: each update moves the cursor back over
// the previous drawing and draws the whole state again.
func TestRendererRedraws(t *testing.T) {
	var buf bytes.Buffer
	t0 := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	r := newRenderer(&buf, true, "")
	r.now = func() time.Time { return t0.Add(12 * time.Second) }
	started, ended := t0, t0.Add(1500*time.Millisecond)
	r.update(executionView{ID: "e", Status: "RUNNING", Stages: []stageView{
		{ID: "s1", Name: "Bake", Type: "wait", Status: "SUCCEEDED", StartedAt: &started, EndedAt: &ended},
		{ID: "s2", Name: "Approve", Type: "manualJudgment", Status: "RUNNING", StartedAt: &ended,
			Context: map[string]any{"instructions": "Look.", "judgmentInputs": []any{map[string]any{"value": "ship"}}}},
	}})
	first := buf.String()
	for _, want := range []string{"\r\x1b[J", "  SUCCEEDED   Bake", "1.5s\n", "  RUNNING     Approve", "11s\n",
		`Manual judgment "Approve" is waiting: Look.`, "choices: ship\n", "gennaker judge s2 --continue --input <choice>\n"} {
		if !strings.Contains(first, want) {
			t.Errorf("first drawing lacks %q:\n%q", want, first)
		}
	}
	if strings.Contains(first, "\x1b[6A") {
		t.Errorf("first drawing moves up over nothing:\n%q", first)
	}
	buf.Reset()
	r.update(executionView{ID: "e", Status: "SUCCEEDED", Stages: []stageView{
		{ID: "s1", Name: "Bake", Type: "wait", Status: "SUCCEEDED", StartedAt: &started, EndedAt: &ended},
		{ID: "s2", Name: "Approve", Type: "manualJudgment", Status: "SUCCEEDED", StartedAt: &ended, EndedAt: &ended},
	}})
	second := buf.String()
	// 2 stage lines + 4 lines of judgment text were drawn.
	if !strings.HasPrefix(second, "\x1b[6A\r\x1b[J") {
		t.Errorf("second drawing does not replace the first 6 lines:\n%q", second)
	}
	if strings.Contains(second, "Manual judgment") {
		t.Errorf("an answered judgment is still shown:\n%q", second)
	}
}
