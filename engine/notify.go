package engine

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/gennaker/gennaker/bus"
	"github.com/gennaker/gennaker/pipeline"
	"github.com/gennaker/gennaker/store"
)

// Notifications: a pipeline's `notifications` are sent when their events happen
// (pipeline.starting|complete|failed, stage.starting|complete|failed, manualJudgment). The
// step that commits a change notes its events; a Notify command per event then sends them
// outside the commit path, at least once, each with an Idempotency-Key, retried with
// back-off up to maxNotifyDeliveries. Types: `webhook` (the event as JSON) and `slack` (a
// Slack incoming-webhook message); others are logged as not sent.

const maxNotifyDeliveries = 5

type notice struct {
	Event   string `json:"event"`
	StageID string `json:"stageId,omitempty"`
}

// noteExec records the execution-level event of a status change.
func (s *step) noteExec(status pipeline.Status) {
	switch {
	case status == pipeline.Succeeded:
		s.notices = append(s.notices, notice{Event: "pipeline.complete"})
	case status == pipeline.Terminal, status == pipeline.Canceled, status == pipeline.Stopped:
		s.notices = append(s.notices, notice{Event: "pipeline.failed"})
	}
}

// noteStage records the stage-level events of a status change.
func (s *step) noteStage(st *store.Stage, from, to pipeline.Status) {
	switch {
	case to == pipeline.Running && from != pipeline.Running:
		s.notices = append(s.notices, notice{Event: "stage.starting", StageID: st.ID})
		if st.Type == "manualJudgment" {
			s.notices = append(s.notices, notice{Event: "manualJudgment", StageID: st.ID})
		}
	case to == pipeline.Succeeded:
		s.notices = append(s.notices, notice{Event: "stage.complete", StageID: st.ID})
	case to == pipeline.Terminal, to == pipeline.FailedContinue, to == pipeline.Stopped:
		s.notices = append(s.notices, notice{Event: "stage.failed", StageID: st.ID})
	}
}

// queueNotices turns the step's events that some notification listens to into commands.
func (s *step) queueNotices() {
	for _, n := range s.notices {
		wanted := false
		for _, def := range s.def.Notifications {
			wanted = wanted || slices.Contains(def.When, n.Event)
		}
		if !wanted {
			continue
		}
		attempt := 0
		if st := s.stage(n.StageID); st != nil {
			attempt = st.Attempt
		}
		payload, _ := json.Marshal(n)
		s.next = append(s.next, bus.Command{ID: fmt.Sprintf("Notify/%s/%s/%s/%d", s.ex.ID, n.Event, n.StageID, attempt),
			Type: bus.Notify, ExecutionID: s.ex.ID, StageID: n.StageID, Payload: payload})
	}
	s.notices = nil
}

type deliveriesKey struct{}

// notify sends the notifications of one event.
func (e *Engine) notify(ctx context.Context, s *step, cmd bus.Command) (outcome, error) {
	var n notice
	if err := json.Unmarshal(cmd.Payload, &n); err != nil {
		return outcome{drop: "undecodable notice"}, nil
	}
	msg := e.message(s, n)
	var failed []string
	for i, def := range s.def.Notifications {
		if !slices.Contains(def.When, n.Event) {
			continue
		}
		var body any
		switch def.Type {
		case "webhook":
			body = msg
		case "slack":
			body = map[string]any{"text": msg["text"]}
		default:
			e.log.Warn("notification type not supported; not sent", "type", def.Type, "execution_id", s.ex.ID, "event", n.Event)
			continue
		}
		if err := e.post(ctx, def.Address, fmt.Sprintf("%s/%d", cmd.ID, i), body); err != nil {
			failed = append(failed, err.Error())
		}
	}
	if len(failed) == 0 {
		return outcome{}, nil
	}
	if d, _ := ctx.Value(deliveriesKey{}).(uint64); d >= maxNotifyDeliveries {
		e.log.Error("giving up on notifications", "execution_id", s.ex.ID, "event", n.Event, "errors", strings.Join(failed, "; "))
		return outcome{drop: "notification failed " + fmt.Sprint(maxNotifyDeliveries) + " times"}, nil
	}
	return outcome{}, fmt.Errorf("sending notifications: %s", strings.Join(failed, "; "))
}

// message describes an event in words (text) and as data.
func (e *Engine) message(s *step, n notice) map[string]any {
	ex := s.ex
	gid := base64.RawURLEncoding.EncodeToString([]byte("Execution:" + ex.ID))
	out := map[string]any{"event": n.Event, "application": ex.ApplicationName, "pipeline": ex.Name,
		"execution": map[string]any{"id": gid, "status": ex.Status, "triggeredBy": ex.TriggeredBy}}
	text := fmt.Sprintf("%s %s: %s", ex.ApplicationName, ex.Name, strings.ToLower(ex.Status))
	if st := s.stage(n.StageID); st != nil {
		sm := map[string]any{"id": base64.RawURLEncoding.EncodeToString([]byte("Stage:" + st.ID)), "name": st.Name,
			"type": st.Type, "status": st.Status}
		if st.Error != nil {
			sm["error"] = *st.Error
		}
		text = fmt.Sprintf("%s %s: stage %q is %s", ex.ApplicationName, ex.Name, st.Name, strings.ToLower(st.Status))
		if n.Event == "manualJudgment" {
			ins, _ := st.Context["instructions"].(string)
			text = fmt.Sprintf("%s %s: %q waits for a judgment. %s (answer: gennaker judge %s --continue|--stop)",
				ex.ApplicationName, ex.Name, st.Name, ins, sm["id"])
			sm["instructions"] = ins
		}
		out["stage"] = sm
	}
	out["text"] = text
	return out
}

func (e *Engine) post(ctx context.Context, url, key string, body any) error {
	b, err := json.Marshal(body)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(b))
	if err != nil {
		return fmt.Errorf("%s: %w", url, err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Idempotency-Key", key)
	resp, err := e.cfg.HTTP.Do(req)
	if err != nil {
		return fmt.Errorf("%s: %w", url, err)
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<16))
	if resp.StatusCode >= 300 {
		return fmt.Errorf("%s answered %d", url, resp.StatusCode)
	}
	return nil
}
