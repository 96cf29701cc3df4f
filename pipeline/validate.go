package pipeline

import (
	"fmt"
	"strings"

	"github.com/robfig/cron/v3"
)

// Validate checks a definition before it is saved and returns nil or a
// *ValidationError listing every problem found, in the order of the
// definition: name, concurrency, stages (each stage's own problems, then
// cycles), triggers, parameters, notifications.
//
// A config value that is a string holding `${...}` skips its kind check (it
// is checked when evaluated) but must compile. Keys a stage type does not
// know are allowed, as Spinnaker allows them. An empty pipeline is valid.
func Validate(d Definition) error {
	var ps problems
	if strings.TrimSpace(d.Name) == "" {
		ps.add("name", CodeEmptyName, "the pipeline needs a name")
	}
	if d.MaxConcurrentExecutions < 0 {
		ps.add("maxConcurrentExecutions", CodeInvalidField, "maxConcurrentExecutions must be 0 (no limit) or more, got %d", d.MaxConcurrentExecutions)
	}
	validateStages(d.Stages, &ps)
	for i, t := range d.Triggers {
		validateTrigger(t, fmt.Sprintf("triggers[%d]", i), &ps)
	}
	validateParameters(d.Parameters, &ps)
	for i, n := range d.Notifications {
		validateNotification(n, fmt.Sprintf("notifications[%d]", i), &ps)
	}
	return ps.err()
}

func validateStages(stages []Stage, ps *problems) {
	first := map[string]int{}
	for i, s := range stages {
		p := fmt.Sprintf("stages[%d]", i)
		switch j, dup := first[s.RefID]; {
		case strings.TrimSpace(s.RefID) == "":
			ps.add(p+".refId", CodeMissingRefID, "stage %q has no refId", s.Name)
		case dup:
			ps.add(p+".refId", CodeDuplicateRefID, "refId %q is already used by stages[%d] (%s)", s.RefID, j, stages[j].Name)
		default:
			first[s.RefID] = i
		}
	}
	for i, s := range stages {
		p := fmt.Sprintf("stages[%d]", i)
		for k, r := range s.RequisiteStageRefIDs {
			rp := fmt.Sprintf("%s.requisiteStageRefIds[%d]", p, k)
			switch _, known := first[r]; {
			case r == s.RefID && r != "":
				ps.add(rp, CodeSelfRequisite, "stage %s requires itself", stageLabel(s))
			case !known:
				ps.add(rp, CodeUnknownRequisite, "stage %s requires refId %q, which no stage has", stageLabel(s), r)
			}
		}
		validateStageConfig(s, p, ps)
	}
	for _, cyc := range findCycles(stages) {
		ps.add(fmt.Sprintf("stages[%d].requisiteStageRefIds", cyc[0]), CodeCycle, "%s", cycleMessage(stages, cyc))
	}
}

// stageLabel names a stage in messages: "Deploy (2)", or "(2)" without a name.
func stageLabel(s Stage) string {
	if s.Name == "" {
		return "(" + s.RefID + ")"
	}
	return fmt.Sprintf("%s (%s)", s.Name, s.RefID)
}

// commonBoolOptions are the stage options every type shares that are booleans.
var commonBoolOptions = []string{"failPipeline", "continuePipeline", "completeOtherBranchesThenFail", "restrictExecutionDuringTimeWindow"}

func validateStageConfig(s Stage, p string, ps *problems) {
	cp := p + ".config"
	t, known := LookupStageType(s.Type)
	switch {
	case strings.TrimSpace(s.Type) == "":
		ps.add(p+".type", CodeMissingField, "stage %s has no type", stageLabel(s))
	case !known:
		msg := fmt.Sprintf("unknown stage type %q", s.Type)
		if near := nearestStageType(s.Type); near != "" {
			msg += fmt.Sprintf("; did you mean %q?", near)
		}
		ps.add(p+".type", CodeUnknownStageType, "%s", msg)
	}
	cfg := s.Config
	if cfg == nil {
		cfg = map[string]any{}
	}
	checkExpressions(cfg, cp, ps)
	for _, name := range commonBoolOptions {
		if v, present := cfg[name]; present && v != nil && !isExpr(v) {
			if _, ok := asBool(v); !ok {
				ps.add(cp+"."+name, CodeInvalidField, "%s must be true or false, got %s", name, describe(v))
			}
		}
	}
	if v, present := cfg["stageTimeoutMs"]; present && v != nil && !isExpr(v) {
		if n, ok := asInt(v); !ok || n < 0 {
			ps.add(cp+".stageTimeoutMs", CodeInvalidField, "stageTimeoutMs must be a whole number of milliseconds ≥ 0, got %s", describe(v))
		}
	}
	if v, present := cfg["stageEnabled"]; present && v != nil {
		validateStageEnabled(v, cp+".stageEnabled", ps)
	}
	restrict, _ := asBool(cfg["restrictExecutionDuringTimeWindow"])
	w, hasWindow := cfg["restrictedExecutionWindow"]
	_, isObject := asObject(w)
	switch {
	case isObject:
		parseWindow(w, cp+".restrictedExecutionWindow", ps)
	case hasWindow && w != nil && s.Type != "restrictExecutionDuringTimeWindow":
		// for that type the field's kind check reports it
		ps.add(cp+".restrictedExecutionWindow", CodeInvalidWindow, "restrictedExecutionWindow must be an object, got %s", describe(w))
	case restrict && s.Type != "restrictExecutionDuringTimeWindow":
		ps.add(cp+".restrictedExecutionWindow", CodeMissingField, "restrictedExecutionWindow is required when restrictExecutionDuringTimeWindow is true")
	}
	if known {
		checkFields(t, cfg, cp, ps)
	}
}

func validateStageEnabled(v any, p string, ps *problems) {
	m, ok := asObject(v)
	if !ok {
		ps.add(p, CodeInvalidField, "stageEnabled must be an object {type: expression, expression}, got %s", describe(v))
		return
	}
	if t, present := m["type"]; present && t != "expression" {
		ps.add(p+".type", CodeInvalidField, "stageEnabled.type must be \"expression\", got %s", describe(t))
	}
	e, ok := m["expression"].(string)
	if !ok || strings.TrimSpace(e) == "" {
		ps.add(p+".expression", CodeMissingField, "stageEnabled needs an expression")
		return
	}
	checkBareExpression(e, p+".expression", ps)
}

// cronParser reads both 5-field crontab and Spinnaker's Quartz-style 6-field
// expressions (with seconds, `?` for "no specific value"), and @descriptors.
var cronParser = cron.NewParser(cron.SecondOptional | cron.Minute | cron.Hour | cron.Dom | cron.Month | cron.Dow | cron.Descriptor)

// pipelineTriggerStatuses are the parent statuses a pipeline trigger can wait for.
var pipelineTriggerStatuses = []string{"successful", "failed", "canceled"}

func validateTrigger(t Trigger, p string, ps *problems) {
	cp := p + ".config"
	str := func(key string) string {
		s, _ := t.Config[key].(string)
		return strings.TrimSpace(s)
	}
	switch t.Type {
	case "manual":
	case "cron":
		expr := str("cronExpression")
		if expr == "" {
			ps.add(cp+".cronExpression", CodeInvalidTrigger, "a cron trigger needs config.cronExpression")
		} else if _, err := cronParser.Parse(expr); err != nil {
			ps.add(cp+".cronExpression", CodeInvalidTrigger, "cron expression %q: %v", expr, err)
		}
		if tz := str("timeZone"); tz != "" {
			if _, err := loadLocation(tz); err != nil {
				ps.add(cp+".timeZone", CodeInvalidTrigger, "unknown time zone %q", tz)
			}
		}
	case "webhook":
		if str("source") == "" {
			ps.add(cp+".source", CodeInvalidTrigger, "a webhook trigger needs config.source, the path it listens on")
		}
	case "pipeline":
		if str("application") == "" {
			ps.add(cp+".application", CodeInvalidTrigger, "a pipeline trigger needs config.application")
		}
		if str("pipeline") == "" {
			ps.add(cp+".pipeline", CodeInvalidTrigger, "a pipeline trigger needs config.pipeline")
		}
		statuses, ok := asList(t.Config["status"])
		if v, present := t.Config["status"]; present && !ok {
			ps.add(cp+".status", CodeInvalidTrigger, "status must be a list of %s, got %s", quoteList(pipelineTriggerStatuses), describe(v))
		}
		for i, s := range statuses {
			if str, ok := s.(string); !ok || !contains(pipelineTriggerStatuses, str) {
				ps.add(fmt.Sprintf("%s.status[%d]", cp, i), CodeInvalidTrigger, "status must be one of %s, got %s", quoteList(pipelineTriggerStatuses), describe(s))
			}
		}
	case "":
		ps.add(p+".type", CodeInvalidTrigger, "the trigger has no type (manual, cron, webhook or pipeline)")
	default:
		ps.add(p+".type", CodeInvalidTrigger, "unknown trigger type %q (manual, cron, webhook or pipeline)", t.Type)
	}
}

func validateParameters(params []Parameter, ps *problems) {
	seen := map[string]int{}
	for i, prm := range params {
		p := fmt.Sprintf("parameters[%d]", i)
		name := strings.TrimSpace(prm.Name)
		switch j, dup := seen[name]; {
		case name == "":
			ps.add(p+".name", CodeInvalidParameter, "a parameter needs a name")
		case dup:
			ps.add(p+".name", CodeInvalidParameter, "parameter %q is already defined by parameters[%d]", name, j)
		default:
			seen[name] = i
		}
		if prm.Default != "" && len(prm.Options) > 0 && !contains(prm.Options, prm.Default) {
			ps.add(p+".default", CodeInvalidParameter, "default %q of parameter %q is not one of its options %s", prm.Default, name, quoteList(prm.Options))
		}
		opts := map[string]bool{}
		for k, o := range prm.Options {
			if opts[o] {
				ps.add(fmt.Sprintf("%s.options[%d]", p, k), CodeInvalidParameter, "option %q of parameter %q is listed twice", o, name)
			}
			opts[o] = true
		}
	}
}

func validateNotification(n Notification, p string, ps *problems) {
	if strings.TrimSpace(n.Type) == "" {
		ps.add(p+".type", CodeInvalidNotify, "a notification needs a type (slack, email, webhook …)")
	}
	if strings.TrimSpace(n.Address) == "" {
		ps.add(p+".address", CodeInvalidNotify, "a notification needs an address")
	}
	if len(n.When) == 0 {
		ps.add(p+".when", CodeInvalidNotify, "a notification needs at least one event in when (%s)", strings.Join(notificationEvents, ", "))
	}
	for i, w := range n.When {
		if !contains(notificationEvents, w) {
			ps.add(fmt.Sprintf("%s.when[%d]", p, i), CodeInvalidNotify, "unknown event %q (%s)", w, strings.Join(notificationEvents, ", "))
		}
	}
}
