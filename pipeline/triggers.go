package pipeline

import (
	"fmt"
	"strings"
	"time"
)

// CronSchedule returns, for an enabled cron trigger, a function giving its next firing
// time after a given time, in the trigger's time zone (UTC by default).
func CronSchedule(t Trigger) (func(time.Time) time.Time, error) {
	if t.Type != "cron" {
		return nil, fmt.Errorf("%w: a %s trigger has no schedule", ErrInvalid, t.Type)
	}
	expr, _ := t.Config["cronExpression"].(string)
	sched, err := cronParser.Parse(strings.TrimSpace(expr))
	if err != nil {
		return nil, fmt.Errorf("%w: cron expression %q: %v", ErrInvalid, expr, err)
	}
	loc := time.UTC
	if tz, _ := t.Config["timeZone"].(string); tz != "" {
		if loc, err = loadLocation(tz); err != nil {
			return nil, fmt.Errorf("%w: time zone %q: %v", ErrInvalid, tz, err)
		}
	}
	return func(after time.Time) time.Time { return sched.Next(after.In(loc)).UTC() }, nil
}

// PipelineTriggerFires tells whether a pipeline trigger fires when an execution of the
// pipeline (application, id, name) ends with status: the trigger names the pipeline by id or
// name, and its status list (default ["successful"]) holds the outcome.
func PipelineTriggerFires(t Trigger, application, pipelineID, pipelineName string, status Status) bool {
	if t.Type != "pipeline" || !t.Enabled {
		return false
	}
	app, _ := t.Config["application"].(string)
	p, _ := t.Config["pipeline"].(string)
	if app != application || (p != pipelineID && p != pipelineName) {
		return false
	}
	outcome := ""
	switch status {
	case Succeeded:
		outcome = "successful"
	case Terminal, Stopped:
		outcome = "failed"
	case Canceled:
		outcome = "canceled"
	default:
		return false
	}
	list, ok := asList(t.Config["status"])
	if !ok || len(list) == 0 {
		return outcome == "successful"
	}
	for _, s := range list {
		if s == outcome {
			return true
		}
	}
	return false
}

// WebhookTriggerFires tells whether a webhook trigger listens on source and accepts the
// payload: every key of its payloadConstraints must equal the payload's value at that key
// (dotted paths reach into objects).
func WebhookTriggerFires(t Trigger, source string, payload map[string]any) bool {
	if t.Type != "webhook" || !t.Enabled {
		return false
	}
	if s, _ := t.Config["source"].(string); s != source {
		return false
	}
	constraints, _ := t.Config["payloadConstraints"].(map[string]any)
	for path, want := range constraints {
		var v any = payload
		for _, k := range strings.Split(path, ".") {
			m, ok := v.(map[string]any)
			if !ok {
				return false
			}
			v = m[k]
		}
		if fmt.Sprint(v) != fmt.Sprint(want) {
			return false
		}
	}
	return true
}
