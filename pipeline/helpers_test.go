package pipeline_test

import (
	"errors"
	"slices"
	"testing"

	"github.com/gennaker/gennaker/pipeline"
)

// st builds a stage; requisites follow the type.
func st(ref, typ, name string, cfg map[string]any, reqs ...string) pipeline.Stage {
	return pipeline.Stage{RefID: ref, Type: typ, Name: name, Config: cfg, RequisiteStageRefIDs: reqs}
}

func wait(ref string, reqs ...string) pipeline.Stage {
	return st(ref, "wait", "Wait "+ref, map[string]any{"waitTime": 30}, reqs...)
}

func def(stages ...pipeline.Stage) pipeline.Definition {
	return pipeline.Definition{Name: "ship", Stages: stages}
}

// validDeploy is a deploy config that Validate accepts.
func validDeploy() map[string]any {
	return map[string]any{
		"account":  "prod-aws",
		"region":   "eu-west-1",
		"capacity": map[string]any{"min": 1, "desired": 2, "max": 3},
		"artifact": map[string]any{"type": "docker/image", "reference": "app:1.2"},
		"strategy": "redblack",
	}
}

// problemsOf returns the problems of a *ValidationError, failing on other errors.
func problemsOf(t *testing.T, err error) []pipeline.Problem {
	t.Helper()
	if err == nil {
		return nil
	}
	var ve *pipeline.ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("got error %T %v, want *pipeline.ValidationError", err, err)
	}
	if !errors.Is(err, pipeline.ErrInvalid) {
		t.Errorf("errors.Is(err, ErrInvalid) = false, want true")
	}
	return ve.Problems
}

// pathCodes renders problems as "path CODE" for comparison.
func pathCodes(ps []pipeline.Problem) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.Path + " " + p.Code
	}
	return out
}

func equalStrings(t *testing.T, what string, got, want []string) {
	t.Helper()
	if !slices.Equal(got, want) {
		t.Errorf("%s: got %q, want %q", what, got, want)
	}
}
