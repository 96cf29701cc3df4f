package pipeline_test

import (
	"encoding/json"
	"reflect"
	"testing"
	"time"

	"github.com/gennaker/gennaker/pipeline"
)

func TestDefinitionJSONUsesSpinnakerNames(t *testing.T) {
	src := `{
	  "name": "ship", "limitConcurrent": true, "keepWaitingPipelines": true, "maxConcurrentExecutions": 2,
	  "parameterConfig": [{"name": "env", "required": true, "options": ["test", "prod"]}],
	  "triggers": [{"type": "cron", "enabled": true, "config": {"cronExpression": "0 0 * * *"}}],
	  "notifications": [{"type": "slack", "address": "#ops", "when": ["pipeline.failed"]}],
	  "stages": [{"refId": "1", "type": "wait", "name": "Wait", "requisiteStageRefIds": [], "config": {"waitTime": 30}}]
	}`
	var d pipeline.Definition
	if err := json.Unmarshal([]byte(src), &d); err != nil {
		t.Fatal(err)
	}
	if err := pipeline.Validate(d); err != nil {
		t.Errorf("Validate: got %v, want nil", err)
	}
	if !d.LimitConcurrent || !d.KeepWaitingPipelines || d.MaxConcurrentExecutions != 2 || len(d.Parameters) != 1 || d.Parameters[0].Options[1] != "prod" {
		t.Errorf("got %+v, want the fields decoded", d)
	}
	if n, ok := d.Stages[0].Int("waitTime"); !ok || n != 30 {
		t.Errorf("waitTime: got %d, %t, want 30, true", n, ok)
	}
	out, err := json.Marshal(d)
	if err != nil {
		t.Fatal(err)
	}
	var back pipeline.Definition
	if err := json.Unmarshal(out, &back); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(back, d) {
		t.Errorf("round trip: got %+v, want %+v", back, d)
	}
}

func TestStageAccessors(t *testing.T) {
	s := st("1", "pipeline", "child", map[string]any{
		"application":    "app",
		"stageTimeoutMs": 90000.0,
		"count":          "12",
		"delay":          "90s",
		"secs":           45,
		"bad":            1.5,
		"stageEnabled":   map[string]any{"type": "expression", "expression": "  ${ parameters.go }  "},
	})
	if got := s.Timeout(); got != 90*time.Second {
		t.Errorf("Timeout: got %v, want 1m30s", got)
	}
	if got := s.EnabledExpression(); got != "${ parameters.go }" {
		t.Errorf("EnabledExpression: got %q, want %q", got, "${ parameters.go }")
	}
	if got := s.String("application"); got != "app" {
		t.Errorf("String: got %q, want app", got)
	}
	// waitForCompletion is absent: the pipeline stage type's default is true.
	if b, ok := s.Bool("waitForCompletion"); !b || !ok {
		t.Errorf("Bool default: got %t, %t, want true, true", b, ok)
	}
	if n, ok := s.Int("count"); n != 12 || !ok {
		t.Errorf("Int from digits: got %d, %t, want 12, true", n, ok)
	}
	if _, ok := s.Int("bad"); ok {
		t.Errorf("Int(1.5): got ok, want not ok")
	}
	durations := map[string]time.Duration{"delay": 90 * time.Second, "secs": 45 * time.Second, "count": 12 * time.Second}
	for field, want := range durations {
		if got, ok := s.Duration(field); got != want || !ok {
			t.Errorf("Duration(%s): got %v, %t, want %v, true", field, got, ok, want)
		}
	}
	if got := wait("1").Timeout(); got != 0 {
		t.Errorf("no timeout: got %v, want 0", got)
	}
	if got := st("1", "wait", "w", map[string]any{"stageEnabled": map[string]any{"type": "other", "expression": "x"}}).EnabledExpression(); got != "" {
		t.Errorf("EnabledExpression of another type: got %q, want empty", got)
	}
	if n, ok := st("1", "shrinkCluster", "s", nil).Int("shrinkToSize"); n != 1 || !ok {
		t.Errorf("Int default: got %d, %t, want 1, true", n, ok)
	}
}

func TestFailureModeString(t *testing.T) {
	for m, want := range map[pipeline.FailureMode]string{
		pipeline.FailPipeline: "failPipeline", pipeline.ContinuePipeline: "continuePipeline",
		pipeline.StopBranch: "stopBranch", pipeline.CompleteOtherBranchesThenFail: "completeOtherBranchesThenFail",
		pipeline.FailureMode(9): "FailureMode(9)",
	} {
		if got := m.String(); got != want {
			t.Errorf("got %q, want %q", got, want)
		}
	}
}

func TestStageTypes(t *testing.T) {
	want := []string{
		"wait", "manualJudgment", "checkPreconditions", "evaluateVariables", "webhook", "pipeline", "restrictExecutionDuringTimeWindow",
		"deploy", "cloneServerGroup", "resizeServerGroup", "terminateInstances", "enableServerGroup", "disableServerGroup", "destroyServerGroup",
		"disableCluster", "scaleDownCluster", "shrinkCluster", "rollbackCluster", "findImage",
	}
	types := pipeline.StageTypes()
	var names []string
	for _, st := range types {
		names = append(names, st.Name)
		if st.Description == "" || (st.Category != "flow" && st.Category != "cluster") {
			t.Errorf("%s: got description %q and category %q, want both set", st.Name, st.Description, st.Category)
		}
		for _, f := range st.Fields {
			if f.Doc == "" || f.Kind == "" {
				t.Errorf("%s.%s: got doc %q and kind %q, want both set", st.Name, f.Name, f.Doc, f.Kind)
			}
		}
	}
	equalStrings(t, "names", names, want)

	types[0].Fields[0].Required = false // a copy: must not change the table
	w, ok := pipeline.LookupStageType("wait")
	if !ok || !w.Fields[0].Required {
		t.Errorf("LookupStageType(wait) after changing StageTypes' result: got %+v, want waitTime still required", w)
	}
	if f, ok := w.Field("waitTime"); !ok || f.Kind != pipeline.KindDuration || *f.Min != 0 {
		t.Errorf("wait.waitTime: got %+v, want a required duration ≥ 0", f)
	}
	if _, ok := pipeline.LookupStageType("Wait"); ok {
		t.Errorf("LookupStageType(Wait): got ok, want names to be case-sensitive")
	}
}
