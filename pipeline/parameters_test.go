package pipeline_test

import (
	"maps"
	"testing"

	"github.com/gennaker/gennaker/pipeline"
)

func TestResolveParameters(t *testing.T) {
	defs := []pipeline.Parameter{
		{Name: "env", Required: true, Options: []string{"test", "prod"}},
		{Name: "version", Default: "latest"},
		{Name: "region", Required: true, Default: "eu-west-1"},
		{Name: "note"},
	}
	tests := []struct {
		name     string
		given    map[string]string
		want     map[string]string
		problems []string
	}{
		{"defaults fill in", map[string]string{"env": "prod"},
			map[string]string{"env": "prod", "version": "latest", "region": "eu-west-1", "note": ""}, nil},
		{"given values win", map[string]string{"env": "test", "version": "1.2", "region": "us-east-1", "note": "hi"},
			map[string]string{"env": "test", "version": "1.2", "region": "us-east-1", "note": "hi"}, nil},
		{"empty value takes the default", map[string]string{"env": "test", "version": ""},
			map[string]string{"env": "test", "version": "latest", "region": "eu-west-1", "note": ""}, nil},
		{"missing required", nil, nil, []string{"parameters.env MISSING_PARAMETER"}},
		{"every problem, sorted by path", map[string]string{"env": "staging", "zone": "a", "colour": "red"}, nil, []string{
			"parameters.colour UNKNOWN_PARAMETER", "parameters.env INVALID_PARAMETER_VALUE", "parameters.zone UNKNOWN_PARAMETER",
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := pipeline.ResolveParameters(defs, tc.given)
			equalStrings(t, "problems", pathCodes(problemsOf(t, err)), tc.problems)
			if !maps.Equal(got, tc.want) {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
}

func TestResolveParametersWithoutDefinitions(t *testing.T) {
	got, err := pipeline.ResolveParameters(nil, nil)
	if err != nil || len(got) != 0 {
		t.Errorf("got %v, %v, want an empty map and nil", got, err)
	}
}
