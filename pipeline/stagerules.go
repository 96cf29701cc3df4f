package pipeline

import (
	"fmt"
	"strings"
)

// The rules below tie a stage type's fields together. Each runs after the
// per-field checks, so a field of the wrong kind has already been reported;
// the rules skip such values instead of reporting them twice.

func checkManualJudgment(cfg map[string]any, path string, ps *problems) {
	inputs, _ := asList(cfg["judgmentInputs"])
	seen := map[string]bool{}
	for i, in := range inputs {
		p := fmt.Sprintf("%s.judgmentInputs[%d]", path, i)
		m, ok := asObject(in)
		if !ok {
			ps.add(p, CodeInvalidField, "a judgment input must be an object {value}, got %s", describe(in))
			continue
		}
		v, ok := m["value"].(string)
		switch {
		case !ok || v == "":
			ps.add(p+".value", CodeMissingField, "a judgment input needs a value")
		case seen[v]:
			ps.add(p+".value", CodeInvalidField, "judgment input %q is offered twice", v)
		}
		seen[v] = true
	}
}

func checkPreconditions(cfg map[string]any, path string, ps *problems) {
	list, _ := asList(cfg["preconditions"])
	for i, pre := range list {
		p := fmt.Sprintf("%s.preconditions[%d]", path, i)
		m, ok := asObject(pre)
		if !ok {
			ps.add(p, CodeInvalidField, "a precondition must be an object, got %s", describe(pre))
			continue
		}
		if t, present := m["type"]; present && t != "expression" {
			ps.add(p+".type", CodeInvalidField, "precondition type must be \"expression\", got %s", describe(t))
		}
		if fp, present := m["failPipeline"]; present && !isExpr(fp) {
			if _, ok := asBool(fp); !ok {
				ps.add(p+".failPipeline", CodeInvalidField, "failPipeline must be true or false, got %s", describe(fp))
			}
		}
		ctx, _ := asObject(m["context"])
		e, present := ctx["expression"]
		if !present || isAbsent(e) {
			ps.add(p+".context.expression", CodeMissingField, "a precondition needs context.expression")
			continue
		}
		if _, ok := e.(string); !ok {
			ps.add(p+".context.expression", CodeInvalidField, "context.expression must be a string, got %s", describe(e))
			continue
		}
		checkBareExpression(e, p+".context.expression", ps)
	}
}

func checkVariables(cfg map[string]any, path string, ps *problems) {
	list, _ := asList(cfg["variables"])
	seen := map[string]bool{}
	for i, v := range list {
		p := fmt.Sprintf("%s.variables[%d]", path, i)
		m, ok := asObject(v)
		if !ok {
			ps.add(p, CodeInvalidField, "a variable must be an object {key, value}, got %s", describe(v))
			continue
		}
		key, ok := m["key"].(string)
		switch {
		case !ok || key == "":
			ps.add(p+".key", CodeMissingField, "a variable needs a key")
		case seen[key]:
			ps.add(p+".key", CodeInvalidField, "variable %q is defined twice", key)
		}
		seen[key] = true
		if _, present := m["value"]; !present {
			ps.add(p+".value", CodeMissingField, "variable %q needs a value", key)
		}
	}
}

func checkWebhook(cfg map[string]any, path string, ps *problems) {
	for _, name := range []string{"failFastStatusCodes", "retryStatusCodes"} {
		list, _ := asList(cfg[name])
		for i, c := range list {
			if isExpr(c) {
				continue
			}
			if n, ok := asInt(c); !ok || n < 100 || n > 599 {
				ps.add(fmt.Sprintf("%s.%s[%d]", path, name, i), CodeInvalidField, "%s must hold HTTP status codes (100–599), got %s", name, describe(c))
			}
		}
	}
	if wait, _ := asBool(cfg["waitForCompletion"]); wait {
		res, _ := cfg["statusUrlResolution"].(string)
		if res == "" {
			ps.add(path+".statusUrlResolution", CodeMissingField, "statusUrlResolution is required when waitForCompletion is true")
		}
		if res == "webhookResponse" && isAbsent(cfg["statusUrlJsonPath"]) {
			ps.add(path+".statusUrlJsonPath", CodeMissingField, "statusUrlJsonPath is required when statusUrlResolution is webhookResponse")
		}
	}
	checkBareExpression(cfg["successExpression"], path+".successExpression", ps)
	checkBareExpression(cfg["failureExpression"], path+".failureExpression", ps)
}

func checkDeploy(cfg map[string]any, path string, ps *problems) {
	if c, present := cfg["capacity"]; present && !isExpr(c) {
		checkCapacity(c, path+".capacity", ps)
	}
	if r, ok := asObject(cfg["rollback"]); ok {
		if v, present := r["onFailure"]; present && !isExpr(v) {
			if _, ok := asBool(v); !ok {
				ps.add(path+".rollback.onFailure", CodeInvalidField, "rollback.onFailure must be true or false, got %s", describe(v))
			}
		}
	}
	lbs, _ := asList(cfg["loadBalancers"])
	for i, lb := range lbs {
		if s, ok := lb.(string); !ok || s == "" {
			ps.add(fmt.Sprintf("%s.loadBalancers[%d]", path, i), CodeInvalidField, "a load balancer is named by a non-empty string, got %s", describe(lb))
		}
	}
	checkTargetPercentages(cfg, path, ps)
}

func checkTargetPercentages(cfg map[string]any, path string, ps *problems) {
	v, present := cfg["targetPercentages"]
	if !present || v == nil || isExpr(v) {
		return
	}
	if s, _ := cfg["strategy"].(string); s != "rollingredblack" && !isExpr(cfg["strategy"]) {
		ps.add(path+".targetPercentages", CodeInvalidField, "targetPercentages applies only to the rollingredblack strategy, not %q", s)
		return
	}
	list, _ := asList(v)
	last := int64(0)
	for i, p := range list {
		if isExpr(p) {
			continue
		}
		n, ok := asInt(p)
		fp := fmt.Sprintf("%s.targetPercentages[%d]", path, i)
		switch {
		case !ok || n < 1 || n > 100:
			ps.add(fp, CodeInvalidField, "a target percentage must be a whole number from 1 to 100, got %s", describe(p))
		case n <= last:
			ps.add(fp, CodeInvalidField, "target percentages must increase: %d follows %d", n, last)
		default:
			last = n
		}
	}
}

func checkServerGroupTarget(cfg map[string]any, path string, ps *problems) {
	hasTarget, hasName := !isAbsent(cfg["target"]), !isAbsent(cfg["serverGroupName"])
	switch {
	case !hasTarget && !hasName:
		ps.add(path+".target", CodeMissingField, "one of target (%s) or serverGroupName is required", quoteList(serverGroupTargets))
	case hasTarget && hasName:
		ps.add(path+".serverGroupName", CodeInvalidField, "give target or serverGroupName, not both")
	}
}

func checkTerminateInstances(cfg map[string]any, path string, ps *problems) {
	checkServerGroupTarget(cfg, path, ps)
	list, _ := asList(cfg["instanceIds"])
	for i, v := range list {
		if s, ok := v.(string); !ok || strings.TrimSpace(s) == "" {
			ps.add(fmt.Sprintf("%s.instanceIds[%d]", path, i), CodeInvalidField, "an instance id must be a non-empty string, got %s", describe(v))
		}
	}
}

func checkResize(cfg map[string]any, path string, ps *problems) {
	checkServerGroupTarget(cfg, path, ps)
	action, _ := cfg["action"].(string)
	capacity, hasCapacity := cfg["capacity"]
	hasCapacity = hasCapacity && !isAbsent(capacity)
	switch action {
	case "", "scale_exact":
		if !hasCapacity && !isExpr(cfg["action"]) {
			ps.add(path+".capacity", CodeMissingField, "capacity is required to resize to an exact size (or set action scale_up/scale_down)")
		}
	case "scale_up", "scale_down":
		if isAbsent(cfg["scalePct"]) && isAbsent(cfg["scaleNum"]) {
			ps.add(path+".scalePct", CodeMissingField, "%s needs scalePct or scaleNum", action)
		}
	}
	if hasCapacity && !isExpr(capacity) {
		checkCapacity(capacity, path+".capacity", ps)
	}
}
