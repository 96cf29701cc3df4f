package engine

import (
	"context"
	"fmt"
	"time"

	"github.com/gennaker/gennaker/bus"
	"github.com/gennaker/gennaker/pipeline"
)

// watchdog re-queues executions that nothing is moving (no command of theirs is in the
// stream), and notifications that nothing is sending: NOT_STARTED ones whose start was lost,
// RUNNING ones whose commands were lost (JetStream's file store syncs every two minutes; the
// database is the truth). Spinnaker's stuck "zombie" executions come from
// exactly this gap. A task polling with a long back-off is not stuck: its next run is
// recorded, and only a run overdue by StaleAfter counts.
func (e *Engine) watchdog(ctx context.Context) {
	t := time.NewTicker(e.cfg.WatchdogInterval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if n, err := e.Repair(ctx); err != nil {
				e.log.Warn("watchdog pass failed", "error", err)
			} else if n > 0 {
				e.log.Info("watchdog re-queued stuck executions", "count", n)
			}
		}
	}
}

// Repair re-queues stuck executions and notifications once and returns how many it touched.
func (e *Engine) Repair(ctx context.Context) (int, error) {
	now := time.Now().UTC()
	stale, err := e.cfg.Store.StaleExecutions(ctx, now.Add(-e.cfg.StaleAfter), 200)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, row := range stale {
		// A command of its own waits in the stream (a backlog, a poll with a long back-off):
		// the execution is slow, not stuck. Re-queuing it would only add to the backlog.
		if live, err := e.cfg.Bus.HasCommands(ctx, row.ID, ""); err != nil {
			return n, err
		} else if live {
			_ = e.cfg.Store.Touch(ctx, row.ID) // looked at: the next pass starts with others
			continue
		}
		ex, err := e.cfg.Store.Execution(ctx, row.ID)
		if err != nil {
			continue
		}
		s, err := newStep(ex)
		if err != nil {
			continue
		}
		if !e.repairCommands(s, now) {
			continue
		}
		n++
		e.metrics.repairs.Inc()
		for _, c := range s.next {
			if err := e.cfg.Bus.Send(ctx, c); err != nil {
				return n, err
			}
		}
		_ = e.cfg.Store.Touch(ctx, ex.ID)
	}
	sent, err := e.resendNotifications(ctx, now)
	return n + sent, err
}

// resendNotifications sends again the outbox rows that nothing has tried for StaleAfter:
// their command was lost between the commit and the send. Ids are made of the row's last
// touch, so two passes over the same state send one command.
func (e *Engine) resendNotifications(ctx context.Context, now time.Time) (int, error) {
	stale, err := e.cfg.Store.StaleNotifications(ctx, now.Add(-e.cfg.StaleAfter), 200)
	if err != nil {
		return 0, err
	}
	sent := 0
	for _, n := range stale {
		if live, err := e.cfg.Bus.HasCommands(ctx, n.ExecutionID, bus.Notify); err != nil {
			return sent, err
		} else if live {
			_ = e.cfg.Store.TouchNotification(ctx, n.ID)
			continue
		}
		if err := e.cfg.Bus.Send(ctx, notifyCommand(n, fmt.Sprintf("/watchdog/%d", n.UpdatedAt.UnixNano()))); err != nil {
			return sent, err
		}
		sent++
		e.metrics.repairs.Inc()
		_ = e.cfg.Store.TouchNotification(ctx, n.ID)
	}
	return sent, nil
}

// repairCommands queues what would move a stuck execution on; false when it is not stuck.
// Ids are made of the stuck state, so two passes over the same state send one command.
func (e *Engine) repairCommands(s *step, now time.Time) bool {
	mark := s.ex.UpdatedAt.UnixNano()
	switch pipeline.Status(s.ex.Status) {
	case pipeline.NotStarted, pipeline.Buffered:
		// A BUFFERED one re-checks for a slot (in order: ClaimSlot lets no younger one pass).
		s.next = append(s.next, bus.Command{ID: fmt.Sprintf("StartExecution/%s/watchdog/%d", s.ex.ID, mark),
			Type: bus.StartExecution, ExecutionID: s.ex.ID})
		return true
	case pipeline.Running:
	default:
		return false
	}
	for i := range s.ex.Stages {
		st := &s.ex.Stages[i]
		switch pipeline.Status(st.Status) {
		case pipeline.Running:
			if at, ok := engineState(st)["nextRunAt"].(string); ok {
				if t, err := time.Parse(time.RFC3339Nano, at); err == nil && now.Sub(t) < e.cfg.StaleAfter {
					return false // a poll is scheduled and not overdue
				}
			}
			if t := currentTask(st); t != nil {
				if t.Status == string(pipeline.NotStarted) {
					s.send(bus.StartTask, st, t.ID, "watchdog", mark)
				} else {
					s.send(bus.RunTask, st, t.ID, "watchdog", mark)
				}
			} else {
				s.send(bus.CompleteStage, st, "", "watchdog", mark)
			}
		case pipeline.Suspended:
			s.send(bus.StartStage, st, "", "watchdog", mark)
		}
	}
	for _, ref := range pipeline.ReadyStages(s.def, s.statuses()) {
		if st := s.stageByRef(ref); st != nil {
			s.send(bus.StartStage, st, "", "watchdog", mark)
		}
	}
	if len(s.next) == 0 {
		s.send(bus.CompleteExecution, nil, "", "watchdog", mark)
	}
	return true
}
