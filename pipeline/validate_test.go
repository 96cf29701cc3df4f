package pipeline_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/gennaker/gennaker/pipeline"
)

func TestValidateAcceptsValidDefinitions(t *testing.T) {
	full := pipeline.Definition{
		Name:            "ship",
		LimitConcurrent: true,
		Stages: []pipeline.Stage{
			st("1", "findImage", "Find", map[string]any{"account": "test", "region": "r", "cluster": "app-web", "selectionStrategy": "NEWEST"}),
			st("2", "deploy", "Deploy", validDeploy(), "1"),
			st("3", "manualJudgment", "Judge", map[string]any{"judgmentInputs": []any{map[string]any{"value": "go"}}}, "2"),
			st("4", "wait", "Wait", map[string]any{"waitTime": "${parameters.delay}", "stageEnabled": map[string]any{"type": "expression", "expression": "parameters.wait == 'yes'"}}, "3"),
			st("5", "checkPreconditions", "Check", map[string]any{"preconditions": []any{
				map[string]any{"type": "expression", "context": map[string]any{"expression": "${ stage('Judge').status == 'SUCCEEDED' }"}, "failPipeline": true},
			}}, "3"),
			st("6", "webhook", "Hook", map[string]any{"url": "https://x/${trigger.user}", "method": "POST", "waitForCompletion": true, "statusUrlResolution": "webhookResponse", "statusUrlJsonPath": "$.status", "failFastStatusCodes": []any{500.0, 404}}, "4", "5"),
			st("7", "restrictExecutionDuringTimeWindow", "Window", map[string]any{"restrictedExecutionWindow": map[string]any{
				"days": []any{2, 3, 4, 5, 6}, "whitelist": []any{map[string]any{"startHour": 9, "startMin": 0, "endHour": 17, "endMin": 0}}, "timeZone": "Europe/Paris"}}, "6"),
			st("8", "resizeServerGroup", "Resize", map[string]any{"account": "a", "region": "r", "cluster": "c", "target": "current_asg_dynamic", "action": "scale_up", "scalePct": 50}, "7"),
			st("9", "deploy", "Rolling", func() map[string]any {
				c := validDeploy()
				c["strategy"], c["targetPercentages"] = "rollingredblack", []any{10, 50, 100}
				return c
			}(), "8"),
		},
		Triggers: []pipeline.Trigger{
			{Type: "manual", Enabled: true},
			{Type: "cron", Enabled: true, Config: map[string]any{"cronExpression": "0 0 10 ? * MON-FRI"}},
			{Type: "cron", Config: map[string]any{"cronExpression": "*/5 * * * *"}},
			{Type: "webhook", Config: map[string]any{"source": "build-done"}},
			{Type: "pipeline", Config: map[string]any{"application": "app", "pipeline": "build", "status": []any{"successful"}}},
		},
		Parameters:    []pipeline.Parameter{{Name: "delay", Default: "30"}, {Name: "wait", Options: []string{"yes", "no"}, Default: "no"}},
		Notifications: []pipeline.Notification{{Type: "slack", Address: "#deploys", When: []string{"pipeline.failed", "manualJudgment"}}},
	}
	for name, d := range map[string]pipeline.Definition{
		"empty pipeline": {Name: "nothing"},
		"one wait":       def(wait("1")),
		"diamond":        def(wait("a"), wait("b", "a"), wait("c", "a"), wait("d", "b", "c")),
		"every feature":  full,
	} {
		t.Run(name, func(t *testing.T) {
			if err := pipeline.Validate(d); err != nil {
				t.Errorf("got %v, want nil", err)
			}
		})
	}
}

func TestValidateStructure(t *testing.T) {
	tests := []struct {
		name string
		d    pipeline.Definition
		want []string // "path CODE", in order
	}{
		{"empty name", pipeline.Definition{Name: " "}, []string{"name EMPTY_NAME"}},
		{"missing refId", def(wait("")), []string{"stages[0].refId MISSING_REF_ID"}},
		{"duplicate refId", def(wait("1"), wait("1")), []string{"stages[1].refId DUPLICATE_REF_ID"}},
		{"unknown requisite", def(wait("1"), wait("2", "1", "9")), []string{"stages[1].requisiteStageRefIds[1] UNKNOWN_REQUISITE"}},
		{"self requisite", def(wait("1", "1")), []string{"stages[0].requisiteStageRefIds[0] SELF_REQUISITE"}},
		{"two-stage cycle", def(wait("1", "2"), wait("2", "1")), []string{"stages[0].requisiteStageRefIds CYCLE"}},
		{"two separate cycles", def(wait("0"), wait("a", "b"), wait("b", "a"), wait("x", "z"), wait("y", "x"), wait("z", "y")),
			[]string{"stages[1].requisiteStageRefIds CYCLE", "stages[3].requisiteStageRefIds CYCLE"}},
		{"negative concurrency", pipeline.Definition{Name: "n", MaxConcurrentExecutions: -1}, []string{"maxConcurrentExecutions INVALID_FIELD"}},
		{"missing type", def(st("1", "", "x", nil)), []string{"stages[0].type MISSING_FIELD"}},
		{"unknown type", def(st("1", "frobnicate", "x", nil)), []string{"stages[0].type UNKNOWN_STAGE_TYPE"}},
		{"every problem at once", pipeline.Definition{Stages: []pipeline.Stage{
			wait("1", "1"), st("1", "wiat", "w", nil), st("3", "wait", "neg", map[string]any{"waitTime": -1}),
		}}, []string{
			"name EMPTY_NAME",
			"stages[1].refId DUPLICATE_REF_ID",
			"stages[0].requisiteStageRefIds[0] SELF_REQUISITE",
			"stages[1].type UNKNOWN_STAGE_TYPE",
			"stages[2].config.waitTime INVALID_FIELD",
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			equalStrings(t, "problems", pathCodes(problemsOf(t, pipeline.Validate(tc.d))), tc.want)
		})
	}
}

func TestValidateCycleMessage(t *testing.T) {
	d := def(
		st("a", "wait", "Bake", map[string]any{"waitTime": 1}, "c"),
		st("b", "wait", "Deploy", map[string]any{"waitTime": 1}, "a"),
		st("c", "wait", "Verify", map[string]any{"waitTime": 1}, "b"),
	)
	err := pipeline.Validate(d)
	if !errors.Is(err, pipeline.ErrCycle) {
		t.Fatalf("errors.Is(err, ErrCycle) = false for %v, want true", err)
	}
	got := problemsOf(t, err)[0].Message
	want := "cycle: Bake (a) → Deploy (b) → Verify (c) → Bake (a)"
	if got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	if errors.Is(pipeline.Validate(def(wait("1", "1"))), pipeline.ErrCycle) {
		t.Errorf("a self requisite matches ErrCycle, want only SELF_REQUISITE")
	}
}

func TestValidateSuggestsNearestType(t *testing.T) {
	tests := []struct{ typ, want string }{
		{"wiat", `did you mean "wait"?`},
		{"manualjudgement", `did you mean "manualJudgment"?`},
		{"resizeServergroup", `did you mean "resizeServerGroup"?`},
		{"kubernetesApply", ""},
	}
	for _, tc := range tests {
		t.Run(tc.typ, func(t *testing.T) {
			ps := problemsOf(t, pipeline.Validate(def(st("1", tc.typ, "x", nil))))
			if len(ps) != 1 {
				t.Fatalf("got %d problems %v, want 1", len(ps), ps)
			}
			msg := ps[0].Message
			if tc.want == "" && strings.Contains(msg, "did you mean") {
				t.Errorf("got %q, want no suggestion", msg)
			}
			if tc.want != "" && !strings.Contains(msg, tc.want) {
				t.Errorf("got %q, want it to contain %q", msg, tc.want)
			}
		})
	}
}

func TestValidateStageFields(t *testing.T) {
	dep := func(change func(map[string]any)) map[string]any {
		c := validDeploy()
		change(c)
		return c
	}
	tests := []struct {
		name string
		typ  string
		cfg  map[string]any
		want []string // paths and codes, relative to stages[0].config
	}{
		{"wait missing", "wait", nil, []string{"waitTime MISSING_FIELD"}},
		{"wait not a number", "wait", map[string]any{"waitTime": true}, []string{"waitTime INVALID_FIELD"}},
		{"wait as duration string", "wait", map[string]any{"waitTime": "5m"}, nil},
		{"wait negative", "wait", map[string]any{"waitTime": -5.0}, []string{"waitTime INVALID_FIELD"}},
		{"wait expression skips type check", "wait", map[string]any{"waitTime": "${parameters.seconds}"}, nil},
		{"wait bad expression", "wait", map[string]any{"waitTime": "${parameters.seconds + }"}, []string{"waitTime INVALID_EXPRESSION"}},
		{"nested bad expression", "wait", map[string]any{"waitTime": 1, "extra": map[string]any{"list": []any{"ok", "${ ( }"}}}, []string{"extra.list[1] INVALID_EXPRESSION"}},
		{"common options of the wrong kind", "wait", map[string]any{"waitTime": 1, "failPipeline": "yes", "stageTimeoutMs": -1, "stageEnabled": map[string]any{"type": "expression"}},
			[]string{"failPipeline INVALID_FIELD", "stageTimeoutMs INVALID_FIELD", "stageEnabled.expression MISSING_FIELD"}},
		{"stageEnabled bare expression that does not compile", "wait", map[string]any{"waitTime": 1, "stageEnabled": map[string]any{"expression": "a =="}}, []string{"stageEnabled.expression INVALID_EXPRESSION"}},
		{"window required when restricted", "wait", map[string]any{"waitTime": 1, "restrictExecutionDuringTimeWindow": true}, []string{"restrictedExecutionWindow MISSING_FIELD"}},
		{"window invalid", "wait", map[string]any{"waitTime": 1, "restrictExecutionDuringTimeWindow": true, "restrictedExecutionWindow": map[string]any{
			"days": []any{0, 8}, "whitelist": []any{map[string]any{"startHour": 25, "startMin": 0, "endHour": 3, "endMin": 0}}, "timeZone": "Mars/Olympus"}},
			[]string{"restrictedExecutionWindow.days[0] INVALID_WINDOW", "restrictedExecutionWindow.days[1] INVALID_WINDOW", "restrictedExecutionWindow.whitelist[0].startHour INVALID_WINDOW", "restrictedExecutionWindow.timeZone INVALID_WINDOW"}},
		{"window stage without window", "restrictExecutionDuringTimeWindow", nil, []string{"restrictedExecutionWindow MISSING_FIELD"}},
		{"window stage with a string", "restrictExecutionDuringTimeWindow", map[string]any{"restrictedExecutionWindow": "9-5"}, []string{"restrictedExecutionWindow INVALID_FIELD"}},
		{"judgment input without value", "manualJudgment", map[string]any{"judgmentInputs": []any{map[string]any{"value": "a"}, map[string]any{}, map[string]any{"value": "a"}}},
			[]string{"judgmentInputs[1].value MISSING_FIELD", "judgmentInputs[2].value INVALID_FIELD"}},
		{"preconditions empty", "checkPreconditions", map[string]any{"preconditions": []any{}}, []string{"preconditions MISSING_FIELD"}},
		{"precondition wrong", "checkPreconditions", map[string]any{"preconditions": []any{
			map[string]any{"type": "clusterSize", "context": map[string]any{"expression": "true"}},
			map[string]any{"context": map[string]any{}},
			map[string]any{"context": map[string]any{"expression": "1 +"}, "failPipeline": "maybe"},
		}}, []string{"preconditions[0].type INVALID_FIELD", "preconditions[1].context.expression MISSING_FIELD", "preconditions[2].failPipeline INVALID_FIELD", "preconditions[2].context.expression INVALID_EXPRESSION"}},
		{"variables", "evaluateVariables", map[string]any{"variables": []any{map[string]any{"key": "a", "value": 1}, map[string]any{"key": "a", "value": 2}, map[string]any{"value": 3}, map[string]any{"key": "b"}}},
			[]string{"variables[1].key INVALID_FIELD", "variables[2].key MISSING_FIELD", "variables[3].value MISSING_FIELD"}},
		{"webhook", "webhook", map[string]any{"method": "GET ", "waitForCompletion": true, "retryStatusCodes": []any{503, 99}, "successExpression": "status =="},
			[]string{"url MISSING_FIELD", "method INVALID_FIELD", "retryStatusCodes[1] INVALID_FIELD", "statusUrlResolution MISSING_FIELD", "successExpression INVALID_EXPRESSION"}},
		{"webhook needs json path for webhookResponse", "webhook", map[string]any{"url": "http://x", "waitForCompletion": true, "statusUrlResolution": "webhookResponse"}, []string{"statusUrlJsonPath MISSING_FIELD"}},
		{"pipeline stage", "pipeline", map[string]any{"application": "app", "waitForCompletion": "sometimes"}, []string{"pipeline MISSING_FIELD", "waitForCompletion INVALID_FIELD"}},
		{"deploy missing everything", "deploy", map[string]any{}, []string{"account MISSING_FIELD", "capacity MISSING_FIELD", "artifact MISSING_FIELD"}},
		{"deploy capacity out of order", "deploy", dep(func(c map[string]any) { c["capacity"] = map[string]any{"min": 3, "desired": 2, "max": 1} }), []string{"capacity INVALID_FIELD"}},
		{"deploy desired outside", "deploy", dep(func(c map[string]any) { c["capacity"] = map[string]any{"min": 1, "desired": 5, "max": 3} }), []string{"capacity.desired INVALID_FIELD"}},
		{"deploy capacity partial", "deploy", dep(func(c map[string]any) { c["capacity"] = map[string]any{"min": 1, "max": "${parameters.max}"} }), []string{"capacity.desired MISSING_FIELD"}},
		{"deploy unknown strategy", "deploy", dep(func(c map[string]any) { c["strategy"] = "blue-green" }), []string{"strategy INVALID_FIELD"}},
		{"deploy targetPercentages without rolling", "deploy", dep(func(c map[string]any) { c["targetPercentages"] = []any{50} }), []string{"targetPercentages INVALID_FIELD"}},
		{"deploy targetPercentages not increasing", "deploy", dep(func(c map[string]any) {
			c["strategy"], c["targetPercentages"] = "rollingredblack", []any{10, 10, 0, 101, 50}
		}), []string{"targetPercentages[1] INVALID_FIELD", "targetPercentages[2] INVALID_FIELD", "targetPercentages[3] INVALID_FIELD"}},
		{"deploy small fields", "deploy", dep(func(c map[string]any) {
			c["maxRemainingAsgs"], c["delayBeforeDisableSec"], c["rollback"], c["loadBalancers"], c["artifact"] = 0, "soon", map[string]any{"onFailure": 1}, []any{"lb", ""}, map[string]any{}
		}), []string{"artifact MISSING_FIELD", "maxRemainingAsgs INVALID_FIELD", "delayBeforeDisableSec INVALID_FIELD", "rollback.onFailure INVALID_FIELD", "loadBalancers[1] INVALID_FIELD"}},
		{"server group without target", "disableServerGroup", map[string]any{"account": "a", "region": "r", "cluster": "c"}, []string{"target MISSING_FIELD"}},
		{"server group with both", "destroyServerGroup", map[string]any{"account": "a", "region": "r", "cluster": "c", "target": "oldest_asg_dynamic", "serverGroupName": "c-v001"}, []string{"serverGroupName INVALID_FIELD"}},
		{"server group bad target", "enableServerGroup", map[string]any{"account": "a", "region": "r", "cluster": "c", "target": "newest"}, []string{"target INVALID_FIELD"}},
		{"resize needs capacity", "resizeServerGroup", map[string]any{"account": "a", "region": "r", "cluster": "c", "serverGroupName": "c-v001"}, []string{"capacity MISSING_FIELD"}},
		{"resize scale up needs amount", "resizeServerGroup", map[string]any{"account": "a", "region": "r", "cluster": "c", "target": "current_asg_dynamic", "action": "scale_up"}, []string{"scalePct MISSING_FIELD"}},
		{"resize exact", "resizeServerGroup", map[string]any{"account": "a", "region": "r", "cluster": "c", "target": "current_asg_dynamic", "capacity": map[string]any{"min": 0, "desired": 0, "max": 0}}, nil},
		{"terminate needs instances", "terminateInstances", map[string]any{"account": "a", "region": "r", "cluster": "c", "serverGroupName": "c-v001", "instanceIds": []any{}}, []string{"instanceIds MISSING_FIELD"}},
		{"terminate without target nor ids", "terminateInstances", map[string]any{"account": "a", "region": "r", "cluster": "c"}, []string{"instanceIds MISSING_FIELD", "target MISSING_FIELD"}},
		{"terminate bad ids", "terminateInstances", map[string]any{"account": "a", "region": "r", "cluster": "c", "serverGroupName": "c-v001", "instanceIds": []any{"i-1", "", 3}}, []string{"instanceIds[1] INVALID_FIELD", "instanceIds[2] INVALID_FIELD"}},
		{"terminate", "terminateInstances", map[string]any{"account": "a", "region": "r", "cluster": "c", "target": "current_asg_dynamic", "instanceIds": []any{"i-1"}}, nil},
		{"cluster stage missing location", "shrinkCluster", map[string]any{"shrinkToSize": -1}, []string{"account MISSING_FIELD", "region MISSING_FIELD", "cluster MISSING_FIELD", "shrinkToSize INVALID_FIELD"}},
		{"rollback percentage", "rollbackCluster", map[string]any{"account": "a", "region": "r", "cluster": "c", "targetHealthyRollbackPercentage": 120}, []string{"targetHealthyRollbackPercentage INVALID_FIELD"}},
		{"findImage strategy", "findImage", map[string]any{"account": "a", "region": "r", "cluster": "c", "selectionStrategy": "newest"}, []string{"selectionStrategy INVALID_FIELD"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ps := problemsOf(t, pipeline.Validate(def(st("1", tc.typ, "s", tc.cfg))))
			var want []string
			for _, w := range tc.want {
				want = append(want, "stages[0].config."+w)
			}
			equalStrings(t, "problems", pathCodes(ps), want)
		})
	}
}

func TestValidateTriggersParametersNotifications(t *testing.T) {
	tests := []struct {
		name string
		d    pipeline.Definition
		want []string
	}{
		{"trigger types", pipeline.Definition{Name: "n", Triggers: []pipeline.Trigger{{}, {Type: "git"}}},
			[]string{"triggers[0].type INVALID_TRIGGER", "triggers[1].type INVALID_TRIGGER"}},
		{"cron", pipeline.Definition{Name: "n", Triggers: []pipeline.Trigger{
			{Type: "cron"}, {Type: "cron", Config: map[string]any{"cronExpression": "every day"}}, {Type: "cron", Config: map[string]any{"cronExpression": "@daily", "timeZone": "Nowhere/City"}},
		}}, []string{"triggers[0].config.cronExpression INVALID_TRIGGER", "triggers[1].config.cronExpression INVALID_TRIGGER", "triggers[2].config.timeZone INVALID_TRIGGER"}},
		{"webhook and pipeline", pipeline.Definition{Name: "n", Triggers: []pipeline.Trigger{
			{Type: "webhook", Config: map[string]any{"source": " "}},
			{Type: "pipeline", Config: map[string]any{"status": []any{"successful", "succeeded"}}},
		}}, []string{"triggers[0].config.source INVALID_TRIGGER", "triggers[1].config.application INVALID_TRIGGER", "triggers[1].config.pipeline INVALID_TRIGGER", "triggers[1].config.status[1] INVALID_TRIGGER"}},
		{"parameters", pipeline.Definition{Name: "n", Parameters: []pipeline.Parameter{
			{Name: "env", Options: []string{"test", "prod", "test"}, Default: "staging"}, {Name: ""}, {Name: "env"},
		}}, []string{"parameters[0].default INVALID_PARAMETER", "parameters[0].options[2] INVALID_PARAMETER", "parameters[1].name INVALID_PARAMETER", "parameters[2].name INVALID_PARAMETER"}},
		{"notifications", pipeline.Definition{Name: "n", Notifications: []pipeline.Notification{{}, {Type: "email", Address: "a@b", When: []string{"pipeline.exploded"}}}},
			[]string{"notifications[0].type INVALID_NOTIFICATION", "notifications[0].address INVALID_NOTIFICATION", "notifications[0].when INVALID_NOTIFICATION", "notifications[1].when[0] INVALID_NOTIFICATION"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			equalStrings(t, "problems", pathCodes(problemsOf(t, pipeline.Validate(tc.d))), tc.want)
		})
	}
}

func TestValidationErrorMessage(t *testing.T) {
	err := pipeline.Validate(pipeline.Definition{Stages: []pipeline.Stage{wait("")}})
	got := err.Error()
	want := `pipeline: 2 problems: name: the pipeline needs a name (EMPTY_NAME); stages[0].refId: stage "Wait " has no refId (MISSING_REF_ID)`
	if got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestValidateIsDeterministic(t *testing.T) {
	d := def(st("1", "deploy", "d", map[string]any{"capacity": map[string]any{"min": "x", "desired": "y", "max": "z"}, "a": "${(}", "b": "${)}", "c": "${ }"}))
	first := pipeline.Validate(d).Error()
	for i := 0; i < 20; i++ {
		if got := pipeline.Validate(d).Error(); got != first {
			t.Fatalf("run %d: got %q, want %q", i, got, first)
		}
	}
}
