package pipeline_test

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/gennaker/gennaker/pipeline"
)

func testEnv() pipeline.Env {
	return pipeline.Env{
		Trigger:    map[string]any{"user": "ana", "type": "manual"},
		Parameters: map[string]any{"env": "prod", "count": "3", "deploy": "true"},
		Execution:  map[string]any{"id": "ex-1", "application": "shop"},
		Stages: []pipeline.StageView{
			{RefID: "1", Name: "Find", Type: "findImage", Status: "SUCCEEDED", Context: map[string]any{"cluster": "shop-web"},
				Outputs: map[string]any{"image": "shop:1.0", "version": 1}},
			{RefID: "2", Name: "Approve", Type: "manualJudgment", Status: "SUCCEEDED",
				Context: map[string]any{"judgmentStatus": "continue"}, Outputs: map[string]any{"judgmentInput": "canary"}},
			{RefID: "3", Name: "Gate", Type: "manualJudgment", Status: "SUCCEEDED", Context: map[string]any{"judgmentStatus": "stop"}},
			{RefID: "4", Name: "Deploy", Type: "deploy", Status: "RUNNING", Outputs: map[string]any{"version": 2, "serverGroup": "shop-web-v002"}},
		},
	}
}

func TestEvaluate(t *testing.T) {
	tests := []struct {
		name string
		in   any
		want any
	}{
		{"plain string unchanged", "hello", "hello"},
		{"non-string unchanged", 42, 42},
		{"nil unchanged", nil, nil},
		{"typed result", "${ 1 + 2 }", 3},
		{"typed bool", "${parameters.deploy == 'true'}", true},
		{"typed map", "${ {'a': 1} }", map[string]any{"a": 1}},
		{"interpolated", "deploy ${parameters.env} by ${trigger.user}", "deploy prod by ana"},
		{"interpolated number and nil", "v${version}-${trigger.nope}!", "v2-!"},
		{"interpolated float", "${ 1.5 * 2 } and ${ 0.1 }", "3 and 0.1"},
		{"interpolated list as JSON", "items: ${ [1, 'a'] }", `items: [1,"a"]`},
		{"spaces around make it text", " ${1} ", " 1 "},
		{"braces in strings", `${ {"a": "}"}.a }`, "}"},
		{"later stage output wins", "${version}", 2},
		{"stage()", "${ stage('Find').context.cluster }", "shop-web"},
		{"stage() status and outputs", "${ stage('Deploy').status + ':' + stage('Deploy').outputs.serverGroup }", "RUNNING:shop-web-v002"},
		{"stageByRefId()", "${ stageByRefId('1').outputs.image }", "shop:1.0"},
		{"judgment input", "${ judgment('Approve') }", "canary"},
		{"judgment status when no input", "${ judgment('Gate') }", "stop"},
		{"execution", "${execution.application}", "shop"},
		{"builtins", "${ upper(parameters.env) }", "PROD"},
		{"walks maps and lists", map[string]any{
			"a": []any{"${parameters.count}", 1, map[string]any{"b": "${trigger.user}"}},
			"s": []string{"x", "${execution.id}"},
		}, map[string]any{
			"a": []any{"3", 1, map[string]any{"b": "ana"}},
			"s": []any{"x", "ex-1"},
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := pipeline.Evaluate(tc.in, testEnv())
			if err != nil {
				t.Fatalf("got error %v, want %v", err, tc.want)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got %#v, want %#v", got, tc.want)
			}
		})
	}
}

func TestEvaluateDoesNotChangeItsInput(t *testing.T) {
	in := map[string]any{"a": "${1}", "l": []any{"${2}"}}
	if _, err := pipeline.Evaluate(in, testEnv()); err != nil {
		t.Fatal(err)
	}
	if in["a"] != "${1}" || in["l"].([]any)[0] != "${2}" {
		t.Errorf("input changed to %v", in)
	}
}

func TestEvaluateErrors(t *testing.T) {
	tests := []struct {
		name     string
		in       any
		wantExpr string
		wantPath string
		wantMsg  string
	}{
		{"syntax", "${parameters.foo + }", "${parameters.foo + }", "", `evaluating "${parameters.foo + }": unexpected token EOF`},
		{"path in map", map[string]any{"b": "ok", "a": map[string]any{"x": []any{1, "go ${ nope.deeper }"}}}, "${ nope.deeper }", "a.x[1]", `evaluating "${ nope.deeper }" at a.x[1]: `},
		{"unknown stage", "${ stage('Bake').status }", "${ stage('Bake').status }", "", `no stage with name "Bake"`},
		{"judgment of a non-judgment stage", "${ judgment('Deploy') }", "${ judgment('Deploy') }", "", `no manualJudgment stage named "Deploy"`},
		{"unterminated", "a ${ b", "a ${ b", "", "unterminated ${"},
		{"empty", "${ }", "${ }", "", "empty expression"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := pipeline.Evaluate(tc.in, testEnv())
			var ee *pipeline.ExpressionError
			if !errors.As(err, &ee) {
				t.Fatalf("got %T %v, want *ExpressionError", err, err)
			}
			if !errors.Is(err, pipeline.ErrExpression) {
				t.Errorf("errors.Is(err, ErrExpression) = false, want true")
			}
			if ee.Expression != tc.wantExpr || ee.Path != tc.wantPath {
				t.Errorf("got expression %q at %q, want %q at %q", ee.Expression, ee.Path, tc.wantExpr, tc.wantPath)
			}
			if !strings.Contains(err.Error(), tc.wantMsg) {
				t.Errorf("got message %q, want it to contain %q", err.Error(), tc.wantMsg)
			}
			if strings.Contains(err.Error(), "\n") {
				t.Errorf("got a message on several lines: %q", err.Error())
			}
		})
	}
}

func TestEvaluateBool(t *testing.T) {
	tests := []struct {
		expr    string
		want    bool
		wantErr bool
	}{
		{"${ parameters.env == 'prod' }", true, false},
		{"parameters.env == 'prod'", true, false},
		{"  parameters.env != 'prod'  ", false, false},
		{"${parameters.deploy}", true, false}, // the string "true"
		{"parameters.deploy", true, false},
		{"${ trigger.user }", false, true}, // "ana" is not a boolean
		{"${ parameters.count }", false, true},
		{"len(stage('Approve').outputs) > 0", true, false},
		{"${ 1 + }", false, true},
		{"", false, true},
	}
	for _, tc := range tests {
		t.Run(tc.expr, func(t *testing.T) {
			got, err := pipeline.EvaluateBool(tc.expr, testEnv())
			if (err != nil) != tc.wantErr {
				t.Fatalf("got error %v, want error %t", err, tc.wantErr)
			}
			if got != tc.want {
				t.Errorf("got %t, want %t", got, tc.want)
			}
		})
	}
}

func TestCompileCheck(t *testing.T) {
	tests := []struct {
		in string
		ok bool
	}{
		{"${ a.b.c }", true},
		{"text ${a} and ${ b + 1 }", true},
		{"bare == 1", true},
		{"unknownFunction(1)", true}, // names resolve when run
		{"text ${a} and ${ b + }", false},
		{"${", false},
		{"bare ==", false},
		{"", false},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			err := pipeline.CompileCheck(tc.in)
			if (err == nil) != tc.ok {
				t.Errorf("got %v, want ok=%t", err, tc.ok)
			}
			if err != nil && !errors.Is(err, pipeline.ErrExpression) {
				t.Errorf("got %T, want an error matching ErrExpression", err)
			}
		})
	}
}

// TestEvaluateConcurrently shares one Env and the program cache between
// goroutines; run with -race.
func TestEvaluateConcurrently(t *testing.T) {
	env := testEnv()
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 200 {
				in := fmt.Sprintf("${ %d + %d + len(parameters) }", g, i%50)
				got, err := pipeline.Evaluate(in, env)
				if err != nil || got != g+i%50+3 {
					t.Errorf("%s: got %v, %v, want %d", in, got, err, g+i%50+3)
					return
				}
			}
		}()
	}
	wg.Wait()
}
