package pipeline_test

import (
	"strings"
	"testing"

	"github.com/gennaker/gennaker/pipeline"
)

func warningCodes(ws []pipeline.Warning) []string {
	out := make([]string, len(ws))
	for i, w := range ws {
		out[i] = w.Path + " " + w.Code
	}
	return out
}

// guarded is what a HIGH application should look like: no warnings.
func guarded() pipeline.Definition {
	dep := validDeploy()
	dep["rollback"] = map[string]any{"onFailure": true}
	dep["maxRemainingAsgs"] = 2
	return pipeline.Definition{
		Name: "ship", LimitConcurrent: true,
		Stages: []pipeline.Stage{
			st("1", "manualJudgment", "Approve", nil),
			st("2", "wait", "Soak", map[string]any{"waitTime": 60}, "1"),
			st("3", "deploy", "Deploy prod", dep, "2"),
		},
		Notifications: []pipeline.Notification{{Type: "slack", Address: "#ops", When: []string{"pipeline.failed"}}},
	}
}

func TestLint(t *testing.T) {
	with := func(change func(d *pipeline.Definition)) pipeline.Definition {
		d := guarded()
		change(&d)
		return d
	}
	deployCfg := func(d *pipeline.Definition) map[string]any {
		for _, s := range d.Stages {
			if s.Type == "deploy" {
				return s.Config
			}
		}
		t.Fatal("no deploy stage")
		return nil
	}
	tests := []struct {
		name        string
		d           pipeline.Definition
		criticality string
		want        []string
	}{
		{"guarded HIGH", guarded(), "HIGH", nil},
		{"guarded CRITICAL, lower case", guarded(), "critical", nil},
		{"unknown criticality", guarded(), "urgent", []string{" UNKNOWN_CRITICALITY"}},
		{"empty pipeline", pipeline.Definition{Name: "n"}, "LOW", []string{"stages EMPTY_PIPELINE"}},
		{"LOW does not nag", with(func(d *pipeline.Definition) {
			d.LimitConcurrent, d.Notifications = false, nil
			d.Stages = d.Stages[2:]
			d.Stages[0].RequisiteStageRefIDs = nil
			deployCfg(d)["strategy"] = "highlander"
			delete(deployCfg(d), "rollback")
		}), "LOW", nil},
		{"HIGH wants every guardrail", with(func(d *pipeline.Definition) {
			d.LimitConcurrent, d.Notifications = false, nil
			d.Stages = d.Stages[2:]
			d.Stages[0].RequisiteStageRefIDs = nil
			deployCfg(d)["strategy"] = "highlander"
			delete(deployCfg(d), "rollback")
		}), "HIGH", []string{
			"limitConcurrent CONCURRENT_EXECUTIONS",
			"notifications NO_FAILURE_NOTIFICATION",
			"stages[0] NO_JUDGMENT_BEFORE_PROD",
			"stages[0].config.rollback.onFailure NO_AUTOMATIC_ROLLBACK",
			"stages[0].config.strategy HIGHLANDER_NO_QUICK_ROLLBACK",
		}},
		{"judgment on another branch does not count", with(func(d *pipeline.Definition) {
			d.Stages[2].RequisiteStageRefIDs = nil
		}), "HIGH", []string{"stages[2] NO_JUDGMENT_BEFORE_PROD"}},
		{"HIGH: test account needs no judgment", with(func(d *pipeline.Definition) {
			d.Stages[2].RequisiteStageRefIDs = nil
			deployCfg(d)["account"] = "test-aws"
		}), "HIGH", nil},
		{"HIGH: unnamed environment needs no judgment", with(func(d *pipeline.Definition) {
			d.Stages[2].RequisiteStageRefIDs = nil
			deployCfg(d)["account"] = "aws-main"
		}), "HIGH", nil},
		{"CRITICAL: unnamed environment needs a judgment", with(func(d *pipeline.Definition) {
			d.Stages[2].RequisiteStageRefIDs = nil
			deployCfg(d)["account"] = "aws-main"
		}), "CRITICAL", []string{"stages[2] NO_JUDGMENT_BEFORE_PROD"}},
		{"CRITICAL: staging needs no judgment", with(func(d *pipeline.Definition) {
			d.Stages[2].RequisiteStageRefIDs = nil
			deployCfg(d)["account"] = "aws"
			deployCfg(d)["stack"] = "staging"
		}), "CRITICAL", nil},
		{"redblack without rollback target, at any criticality", with(func(d *pipeline.Definition) {
			deployCfg(d)["maxRemainingAsgs"] = 1
		}), "LOW", []string{"stages[2].config.maxRemainingAsgs NO_ROLLBACK_TARGET"}},
		{"no strategy", with(func(d *pipeline.Definition) { deployCfg(d)["strategy"] = "none" }), "HIGH", []string{"stages[2].config.strategy NO_DEPLOY_STRATEGY"}},
		{"ignored deploy failure from MEDIUM", with(func(d *pipeline.Definition) { deployCfg(d)["continuePipeline"] = true }), "MEDIUM",
			[]string{"stages[2].config.continuePipeline IGNORED_DEPLOY_FAILURE"}},
		{"duplicate stage names", with(func(d *pipeline.Definition) { d.Stages[1].Name = "Approve" }), "LOW", []string{"stages[1].name DUPLICATE_STAGE_NAME"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			equalStrings(t, "warnings", warningCodes(pipeline.Lint(tc.d, tc.criticality)), tc.want)
		})
	}
}

func TestLintMessagesGiveContext(t *testing.T) {
	d := guarded()
	d.Stages[2].Config["strategy"] = "highlander"
	ws := pipeline.Lint(d, "HIGH")
	if len(ws) != 1 {
		t.Fatalf("got %v, want one warning", ws)
	}
	for _, want := range []string{"Deploy prod (3)", "highlander", "HIGH", "redblack"} {
		if !strings.Contains(ws[0].Message, want) {
			t.Errorf("got %q, want it to mention %q", ws[0].Message, want)
		}
	}
}
