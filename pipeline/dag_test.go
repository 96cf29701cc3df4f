package pipeline_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/gennaker/gennaker/pipeline"
)

// diamond: 1 → (2, 3) → 4, plus an independent 5 → 6.
func diamond() pipeline.Definition {
	return def(wait("1"), wait("2", "1"), wait("3", "1"), wait("4", "2", "3"), wait("5"), wait("6", "5"))
}

func TestInitialStages(t *testing.T) {
	equalStrings(t, "diamond", diamond().InitialStages(), []string{"1", "5"})
	equalStrings(t, "empty", pipeline.Definition{}.InitialStages(), nil)
}

func TestDownstream(t *testing.T) {
	tests := []struct {
		ref  string
		want []string
	}{
		{"1", []string{"2", "3", "4"}},
		{"2", []string{"4"}},
		{"4", nil},
		{"5", []string{"6"}},
		{"nope", nil},
	}
	for _, tc := range tests {
		t.Run(tc.ref, func(t *testing.T) {
			equalStrings(t, "downstream", pipeline.Downstream(diamond(), tc.ref), tc.want)
		})
	}
	// A cycle must not loop forever.
	equalStrings(t, "cycle", pipeline.Downstream(def(wait("a", "b"), wait("b", "a")), "a"), []string{"b"})
}

func TestTopologicalOrder(t *testing.T) {
	tests := []struct {
		name string
		d    pipeline.Definition
		want []string
	}{
		{"diamond", diamond(), []string{"1", "2", "3", "4", "5", "6"}},
		{"defined backwards", def(wait("c", "b"), wait("b", "a"), wait("a")), []string{"a", "b", "c"}},
		{"definition order breaks ties", def(wait("z"), wait("y", "z"), wait("x")), []string{"z", "y", "x"}},
		{"empty", pipeline.Definition{}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := pipeline.TopologicalOrder(tc.d)
			if err != nil {
				t.Fatalf("got error %v, want nil", err)
			}
			equalStrings(t, "order", got, tc.want)
		})
	}
	_, err := pipeline.TopologicalOrder(def(wait("a"), wait("b", "a", "c"), wait("c", "b")))
	if !errors.Is(err, pipeline.ErrCycle) {
		t.Errorf("cycle: got %v, want an error matching ErrCycle", err)
	}
}

type statuses = map[string]pipeline.Status

func TestReadyStages(t *testing.T) {
	S, R, T := pipeline.Succeeded, pipeline.Running, pipeline.Terminal
	tests := []struct {
		name   string
		d      pipeline.Definition
		status statuses
		want   []string
	}{
		{"start", diamond(), nil, []string{"1", "5"}},
		{"first done", diamond(), statuses{"1": S, "5": R}, []string{"2", "3"}},
		{"join waits for both", diamond(), statuses{"1": S, "2": S, "3": R, "5": S, "6": S}, nil},
		{"join after both", diamond(), statuses{"1": S, "2": S, "3": S, "5": S, "6": S}, []string{"4"}},
		{"failed-continue and skipped count as done", diamond(), statuses{"1": S, "2": pipeline.FailedContinue, "3": pipeline.Skipped, "5": S, "6": S}, []string{"4"}},
		{"stopped upstream blocks its branch only", diamond(), statuses{"1": S, "2": pipeline.Stopped, "3": S, "5": S}, []string{"6"}},
		{"terminal halts every branch", diamond(), statuses{"1": S, "2": T, "3": S, "5": S}, nil},
		{"canceled halts every branch", diamond(), statuses{"1": pipeline.Canceled, "5": S}, nil},
		{"running is not ready again", diamond(), statuses{"1": R, "5": R}, nil},
		{"empty status means not started", diamond(), statuses{"1": "", "5": S}, []string{"1", "6"}},
		{"unknown requisite never ready", def(wait("1"), wait("2", "9")), nil, []string{"1"}},
		{"empty pipeline", pipeline.Definition{}, nil, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			equalStrings(t, "ready", pipeline.ReadyStages(tc.d, tc.status), tc.want)
		})
	}
}

func TestStageStatusAfterFailure(t *testing.T) {
	tests := []struct {
		cfg      map[string]any
		wantMode pipeline.FailureMode
		want     pipeline.Status
	}{
		{nil, pipeline.FailPipeline, pipeline.Terminal},
		{map[string]any{"failPipeline": true}, pipeline.FailPipeline, pipeline.Terminal},
		{map[string]any{"failPipeline": false}, pipeline.StopBranch, pipeline.Stopped},
		{map[string]any{"failPipeline": "false"}, pipeline.StopBranch, pipeline.Stopped},
		{map[string]any{"continuePipeline": true}, pipeline.ContinuePipeline, pipeline.FailedContinue},
		{map[string]any{"failPipeline": true, "continuePipeline": true}, pipeline.ContinuePipeline, pipeline.FailedContinue},
		{map[string]any{"failPipeline": false, "completeOtherBranchesThenFail": true}, pipeline.CompleteOtherBranchesThenFail, pipeline.Stopped},
		// failPipeline (default true) outranks completeOtherBranchesThenFail, as in orca.
		{map[string]any{"completeOtherBranchesThenFail": true}, pipeline.FailPipeline, pipeline.Terminal},
		{map[string]any{"failPipeline": false, "continuePipeline": true, "completeOtherBranchesThenFail": true}, pipeline.ContinuePipeline, pipeline.FailedContinue},
		{map[string]any{"failPipeline": "nonsense"}, pipeline.FailPipeline, pipeline.Terminal},
	}
	for _, tc := range tests {
		t.Run(fmt.Sprint(tc.cfg), func(t *testing.T) {
			s := st("1", "wait", "w", tc.cfg)
			if got := s.FailureMode(); got != tc.wantMode {
				t.Errorf("FailureMode: got %v, want %v", got, tc.wantMode)
			}
			if got := pipeline.StageStatusAfterFailure(s); got != tc.want {
				t.Errorf("StageStatusAfterFailure: got %s, want %s", got, tc.want)
			}
		})
	}
}

func TestExecutionOutcome(t *testing.T) {
	S, R, T, C := pipeline.Succeeded, pipeline.Running, pipeline.Terminal, pipeline.Canceled
	P, X := pipeline.Stopped, pipeline.Skipped
	cobtf := func() pipeline.Definition {
		d := diamond()
		d.Stages[1].Config = map[string]any{"waitTime": 1, "failPipeline": false, "completeOtherBranchesThenFail": true}
		return d
	}
	tests := []struct {
		name     string
		d        pipeline.Definition
		status   statuses
		wantDone bool
		want     pipeline.Status
	}{
		{"empty pipeline succeeds", pipeline.Definition{}, nil, true, S},
		{"nothing started", diamond(), nil, false, R},
		{"all succeeded", diamond(), statuses{"1": S, "2": S, "3": S, "4": S, "5": S, "6": S}, true, S},
		{"continue and skipped succeed", diamond(), statuses{"1": S, "2": pipeline.FailedContinue, "3": X, "4": S, "5": S, "6": X}, true, S},
		{"half way", diamond(), statuses{"1": S, "2": S, "3": S, "5": S, "6": S}, false, R},
		{"paused is not done", diamond(), statuses{"1": S, "2": S, "3": S, "4": pipeline.Paused, "5": S, "6": S}, false, R},
		{"suspended is not done", diamond(), statuses{"1": S, "2": S, "3": S, "4": pipeline.Suspended, "5": S, "6": S}, false, R},
		{"terminal waits for running stages", diamond(), statuses{"1": S, "2": T, "3": R, "5": S}, false, R},
		{"terminal once nothing runs", diamond(), statuses{"1": S, "2": T, "3": C, "5": S}, true, T},
		{"terminal even with unstarted stages", diamond(), statuses{"1": T}, true, T},
		{"terminal outranks canceled", diamond(), statuses{"1": S, "2": C, "3": T, "5": S}, true, T},
		{"canceled", diamond(), statuses{"1": C, "5": S, "6": S}, true, C},
		{"stopped branch, other branch still to run", diamond(), statuses{"1": P}, false, R},
		{"stopped branch, others done: succeeds", diamond(), statuses{"1": P, "5": S, "6": S}, true, S},
		{"stopped mid diamond: the join never runs", diamond(), statuses{"1": S, "2": P, "3": S, "5": S, "6": S}, true, S},
		{"completeOtherBranchesThenFail waits for others", cobtf(), statuses{"1": S, "2": P, "3": R, "5": S, "6": S}, false, R},
		{"completeOtherBranchesThenFail ends terminal", cobtf(), statuses{"1": S, "2": P, "3": S, "5": S, "6": S}, true, T},
		{"completeOtherBranchesThenFail with other branch unstarted", cobtf(), statuses{"1": S, "2": P, "3": S, "5": S}, false, R},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			done, got := pipeline.ExecutionOutcome(tc.d, tc.status)
			if done != tc.wantDone || got != tc.want {
				t.Errorf("got (%t, %s), want (%t, %s)", done, got, tc.wantDone, tc.want)
			}
		})
	}
}

// TestRunToCompletion drives ReadyStages and ExecutionOutcome the way the
// engine will, over every combination of stage results of a small DAG, and
// checks that an execution always finishes and that its result agrees with
// the stage statuses.
func TestRunToCompletion(t *testing.T) {
	results := []pipeline.Status{pipeline.Succeeded, pipeline.FailedContinue, pipeline.Terminal, pipeline.Stopped, pipeline.Skipped}
	d := diamond()
	n := len(d.Stages)
	total := 1
	for range n {
		total *= len(results)
	}
	for combo := range total {
		outcome := map[string]pipeline.Status{}
		c := combo
		for _, s := range d.Stages {
			outcome[s.RefID] = results[c%len(results)]
			c /= len(results)
		}
		status := statuses{}
		for step := 0; ; step++ {
			if step > n {
				t.Fatalf("combo %v: not done after %d steps: %v", outcome, step, status)
			}
			ready := pipeline.ReadyStages(d, status)
			for _, ref := range ready {
				status[ref] = outcome[ref]
			}
			done, result := pipeline.ExecutionOutcome(d, status)
			if !done {
				if len(ready) == 0 {
					t.Fatalf("combo %v: stuck with %v", outcome, status)
				}
				continue
			}
			var terminal bool
			for _, st := range status {
				terminal = terminal || st == pipeline.Terminal
			}
			if terminal != (result == pipeline.Terminal) {
				t.Fatalf("combo %v: got %s with statuses %v", outcome, result, status)
			}
			if !terminal && result != pipeline.Succeeded {
				t.Fatalf("combo %v: got %s, want SUCCEEDED", outcome, result)
			}
			break
		}
	}
}

func TestStatusPredicates(t *testing.T) {
	tests := []struct {
		s                          pipeline.Status
		complete, successful, halt bool
	}{
		{pipeline.NotStarted, false, false, false},
		{pipeline.Buffered, false, false, false},
		{pipeline.Running, false, false, false},
		{pipeline.Paused, false, false, false},
		{pipeline.Suspended, false, false, false},
		{pipeline.Succeeded, true, true, false},
		{pipeline.FailedContinue, true, true, false},
		{pipeline.Terminal, true, false, true},
		{pipeline.Canceled, true, false, true},
		{pipeline.Redirect, false, false, false},
		{pipeline.Stopped, true, false, true},
		{pipeline.Skipped, true, true, false},
	}
	if len(tests) != len(pipeline.Statuses()) {
		t.Fatalf("got %d cases, want one per status (%d)", len(tests), len(pipeline.Statuses()))
	}
	for _, tc := range tests {
		t.Run(string(tc.s), func(t *testing.T) {
			if got := tc.s.IsComplete(); got != tc.complete {
				t.Errorf("IsComplete: got %t, want %t", got, tc.complete)
			}
			if got := tc.s.IsSuccessful(); got != tc.successful {
				t.Errorf("IsSuccessful: got %t, want %t", got, tc.successful)
			}
			if got := tc.s.IsHalt(); got != tc.halt {
				t.Errorf("IsHalt: got %t, want %t", got, tc.halt)
			}
		})
	}
}
