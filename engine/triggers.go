package engine

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/gennaker/gennaker/pipeline"
	"github.com/gennaker/gennaker/store"
)

// Triggers other than a person: cron schedules and the completion of another pipeline.
// (Webhook triggers arrive through the API.) Each firing has an execution id derived from
// what fired it — the schedule and its time, or the finished execution — so any number of
// engine replicas firing the same trigger start one execution.

var (
	cronNamespace     = uuid.MustParse("0b6f3a52-3c0e-4d53-9f7f-6b2a9c1e4d10")
	pipelineNamespace = uuid.MustParse("5d2e8c47-1a3b-4f6e-8c9d-2e7f0a1b3c58")
)

// runCron fires cron triggers every CronInterval. The first pass looks back CronCatchUp (at
// least one interval), so that the latest firing missed while no engine ran starts once.
func (e *Engine) runCron(ctx context.Context) {
	t := time.NewTicker(e.cfg.CronInterval)
	defer t.Stop()
	last := time.Now().UTC().Add(-max(e.cfg.CronInterval, e.cfg.CronCatchUp))
	for {
		select {
		case <-ctx.Done():
			return
		case now := <-t.C:
			now = now.UTC()
			if err := e.FireCron(ctx, last, now); err != nil {
				e.log.Warn("cron triggers: a pass failed", "error", err)
			}
			last = now
		}
	}
}

// FireCron starts, for every enabled cron trigger of every enabled pipeline, the execution
// of its latest firing time in (from, to], if it has one there and the pipeline was saved
// before it (a pipeline never runs for a time before it had that schedule).
func (e *Engine) FireCron(ctx context.Context, from, to time.Time) error {
	pls, err := e.triggeredPipelines(ctx, "cron", "")
	if err != nil {
		return err
	}
	for _, pl := range pls {
		p, d := pl.row, pl.def
		for i, tr := range d.Triggers {
			if tr.Type != "cron" || !tr.Enabled {
				continue
			}
			next, err := pipeline.CronSchedule(tr)
			if err != nil {
				continue
			}
			var fire time.Time
			for t := next(from); !t.After(to); t = next(t) {
				fire = t // several missed in one pass: only the latest runs
			}
			if fire.IsZero() || !fire.After(p.UpdatedAt) {
				continue
			}
			app, err := e.cfg.Store.Application(ctx, p.ApplicationID)
			if err != nil {
				continue
			}
			id := uuid.NewSHA1(cronNamespace, []byte(fmt.Sprintf("%s|%d|%d", p.ID, i, fire.Unix()))).String()
			trig := store.JSONMap{"type": "cron", "user": "gennaker", "cronExpression": tr.Config["cronExpression"],
				"scheduledAt": fire.Format(time.RFC3339)}
			if err := e.startPipeline(ctx, id, app, p, nil, trig, "cron"); err != nil {
				e.log.Warn("cron trigger: starting the pipeline failed", "pipeline", p.Name, "application", app.Name, "error", err)
			}
		}
	}
	return nil
}

// fireDownstream starts the pipelines whose pipeline trigger waits for this execution's
// pipeline to end as it did.
func (e *Engine) fireDownstream(ctx context.Context, ex *store.Execution) error {
	if ex.PipelineID == nil || !pipeline.Status(ex.Status).IsComplete() {
		return nil
	}
	pls, err := e.triggeredPipelines(ctx, "pipeline", ex.ApplicationName)
	if err != nil {
		return err
	}
	for _, pl := range pls {
		p, d := pl.row, pl.def
		for _, tr := range d.Triggers {
			if !pipeline.PipelineTriggerFires(tr, ex.ApplicationName, *ex.PipelineID, ex.Name, pipeline.Status(ex.Status)) {
				continue
			}
			app, err := e.cfg.Store.Application(ctx, p.ApplicationID)
			if err != nil {
				return err
			}
			id := uuid.NewSHA1(pipelineNamespace, []byte(ex.ID+"|"+p.ID)).String()
			trig := store.JSONMap{"type": "pipeline", "user": "gennaker", "parentExecution": ex.ID,
				"parentPipeline": ex.Name, "parentApplication": ex.ApplicationName, "parentStatus": ex.Status}
			if err := e.startPipeline(ctx, id, app, p, nil, trig, "pipeline:"+ex.ID); err != nil {
				return fmt.Errorf("starting %s after %s: %w", p.Name, ex.Name, err)
			}
			break
		}
	}
	return nil
}

type enabledPipeline struct {
	row store.Pipeline
	def pipeline.Definition
}

// triggeredPipelines lists the enabled pipelines with an enabled trigger of that type and
// key (store.PipelinesWithTriggers), with their definitions decoded.
func (e *Engine) triggeredPipelines(ctx context.Context, typ, key string) ([]enabledPipeline, error) {
	ps, err := e.cfg.Store.PipelinesWithTriggers(ctx, typ, key)
	if err != nil {
		return nil, err
	}
	out := make([]enabledPipeline, 0, len(ps))
	for _, p := range ps {
		var d pipeline.Definition
		if json.Unmarshal(p.Definition, &d) == nil && !d.Disabled {
			out = append(out, enabledPipeline{row: p, def: d})
		}
	}
	return out, nil
}
