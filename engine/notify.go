package engine

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
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
// step that commits a change notes its events and writes, in the same transaction, one
// outbox row per event that some notification listens to (store.Notification), with the
// message rendered from the committed state. A Notify command per row then sends it outside
// the commit path, at least once, each target with an Idempotency-Key, retried with back-off
// up to maxNotifyDeliveries. A row whose command was lost (a crash between the commit and
// the send) is sent again by the watchdog, so no event is lost. Types: `webhook` (the event
// as JSON) and `slack` (a Slack incoming-webhook message); others are logged as not sent.

const maxNotifyDeliveries = 5

type notice struct {
	Event   string
	StageID string
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

// outbox turns the step's events that some notification listens to into outbox rows, to be
// committed with the step's change. Ids are made of the event, so an event noted again by a
// redelivered command names the row already written.
func (e *Engine) outbox(s *step) []store.Notification {
	var out []store.Notification
	for _, n := range s.notices {
		var targets []pipeline.Notification
		for _, def := range s.def.Notifications {
			if !slices.Contains(def.When, n.Event) {
				continue
			}
			if def.Type != "webhook" && def.Type != "slack" {
				e.log.Warn("notification type not supported; not sent", "type", def.Type, "execution_id", s.ex.ID, "event", n.Event)
				continue
			}
			targets = append(targets, def)
		}
		if len(targets) == 0 {
			continue
		}
		attempt := 0
		if st := s.stage(n.StageID); st != nil {
			attempt = st.Attempt
		}
		tb, _ := json.Marshal(targets)
		row := store.Notification{ID: fmt.Sprintf("Notify/%s/%s/%s/%d", s.ex.ID, n.Event, n.StageID, attempt),
			ExecutionID: s.ex.ID, Event: n.Event, Targets: tb, Message: e.message(s, n)}
		if n.StageID != "" {
			row.StageID = &n.StageID
		}
		out = append(out, row)
	}
	s.notices = nil
	return out
}

// notifyCommand is the command that sends an outbox row; suffix tells a re-send apart.
func notifyCommand(n store.Notification, suffix string) bus.Command {
	payload, _ := json.Marshal(map[string]string{"notification": n.ID})
	return bus.Command{ID: n.ID + suffix, Type: bus.Notify, ExecutionID: n.ExecutionID, Payload: payload}
}

// notify sends one outbox row to each of its targets and records the attempt.
func (e *Engine) notify(ctx context.Context, cmd bus.Command) (outcome, error) {
	var p struct {
		Notification string `json:"notification"`
	}
	if err := json.Unmarshal(cmd.Payload, &p); err != nil || p.Notification == "" {
		return outcome{drop: "undecodable notification command"}, nil
	}
	n, err := e.cfg.Store.Notification(ctx, p.Notification)
	if errors.Is(err, store.ErrNotFound) {
		return outcome{drop: "no such notification"}, nil
	}
	if err != nil {
		return outcome{}, err
	}
	if n.Status != store.NotificationPending {
		return outcome{drop: "notification already " + strings.ToLower(n.Status)}, nil
	}
	var targets []pipeline.Notification
	if err := json.Unmarshal(n.Targets, &targets); err != nil {
		_, _ = e.cfg.Store.RecordNotificationAttempt(ctx, n.ID, fmt.Errorf("undecodable targets: %w", err), true)
		return outcome{drop: "undecodable notification targets"}, nil
	}
	var failed []error
	for i, def := range targets {
		var body any = map[string]any(n.Message)
		if def.Type == "slack" {
			body = map[string]any{"text": n.Message["text"]}
		}
		if err := e.post(ctx, def.Address, fmt.Sprintf("%s/%d", n.ID, i), body); err != nil {
			failed = append(failed, err)
		}
	}
	sendErr := errors.Join(failed...)
	final := sendErr != nil && n.Attempts+1 >= maxNotifyDeliveries
	if _, err := e.cfg.Store.RecordNotificationAttempt(ctx, n.ID, sendErr, final); err != nil {
		return outcome{}, fmt.Errorf("recording a notification attempt: %w", err)
	}
	switch {
	case sendErr == nil:
		return outcome{}, nil
	case final:
		e.log.Error("giving up on a notification", "execution_id", n.ExecutionID, "event", n.Event,
			"attempts", n.Attempts+1, "error", sendErr)
		return outcome{drop: fmt.Sprintf("notification failed %d times", maxNotifyDeliveries)}, nil
	}
	return outcome{}, fmt.Errorf("sending notifications: %w", sendErr)
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
