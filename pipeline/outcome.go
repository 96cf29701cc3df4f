package pipeline

// The decisions the engine takes after every stage transition. status maps a
// refId to its stage's status; a stage missing from the map is NOT_STARTED.

// StageStatusAfterFailure is the status a failed stage takes, from its
// FailureMode: TERMINAL (FailPipeline), FAILED_CONTINUE (ContinuePipeline),
// or STOPPED (StopBranch and CompleteOtherBranchesThenFail; the latter turns
// the execution TERMINAL once the other branches finish, see ExecutionOutcome).
func StageStatusAfterFailure(s Stage) Status {
	switch s.FailureMode() {
	case ContinuePipeline:
		return FailedContinue
	case StopBranch, CompleteOtherBranchesThenFail:
		return Stopped
	}
	return Terminal
}

func statusOf(status map[string]Status, refID string) Status {
	if s, ok := status[refID]; ok && s != "" {
		return s
	}
	return NotStarted
}

// ReadyStages returns, in definition order, the refIds of the NOT_STARTED
// stages whose requisites are all successful (SUCCEEDED, FAILED_CONTINUE or
// SKIPPED): the stages to start now. A stage below a halted one (TERMINAL,
// STOPPED, CANCELED) is never ready. Once any stage is TERMINAL or CANCELED
// the whole execution is halting, so nothing is ready, even on other
// branches: orca cancels them in that case.
func ReadyStages(d Definition, status map[string]Status) []string {
	if pipelineHalted(d, status) {
		return nil
	}
	g := newGraph(d.Stages)
	var out []string
	for i, s := range d.Stages {
		if g.index[s.RefID] != i || statusOf(status, s.RefID) != NotStarted || g.missingRequisite(i) {
			continue
		}
		ready := true
		for _, j := range g.up[i] {
			if !statusOf(status, d.Stages[j].RefID).IsSuccessful() {
				ready = false
				break
			}
		}
		if ready {
			out = append(out, s.RefID)
		}
	}
	return out
}

func pipelineHalted(d Definition, status map[string]Status) bool {
	for _, s := range d.Stages {
		if st := statusOf(status, s.RefID); st == Terminal || st == Canceled {
			return true
		}
	}
	return false
}

// ExecutionOutcome decides whether an execution is finished and, if so, its
// status. While it is not done, result is RUNNING. The rules, after orca's
// CompleteExecutionHandler:
//
//   - any stage still active (RUNNING, PAUSED, SUSPENDED, BUFFERED,
//     REDIRECT): not done;
//   - else any TERMINAL stage: done, TERMINAL; else any CANCELED: CANCELED;
//   - else a NOT_STARTED stage that can still run (no halted stage above
//     it): not done;
//   - else every stage that ran is complete: when a STOPPED stage has
//     completeOtherBranchesThenFail, TERMINAL; otherwise SUCCEEDED — a
//     stopped branch (failPipeline=false) does not fail the execution, and
//     the stages below it simply never run.
//
// An empty pipeline is done and SUCCEEDED.
func ExecutionOutcome(d Definition, status map[string]Status) (done bool, result Status) {
	g := newGraph(d.Stages)
	var terminal, canceled, failLater bool
	for i, s := range d.Stages {
		if g.index[s.RefID] != i {
			continue
		}
		st := statusOf(status, s.RefID)
		switch {
		case st.isActive():
			return false, Running
		case st == Terminal:
			terminal = true
		case st == Canceled:
			canceled = true
		case st == Stopped && s.FailureMode() == CompleteOtherBranchesThenFail:
			failLater = true
		}
	}
	switch {
	case terminal:
		return true, Terminal
	case canceled:
		return true, Canceled
	}
	if len(runnable(g, status)) > 0 {
		return false, Running
	}
	if failLater {
		return true, Terminal
	}
	return true, Succeeded
}

// runnable returns the NOT_STARTED stages that may still start: every
// requisite is successful, runnable itself, or active.
func runnable(g graph, status map[string]Status) []int {
	order, err := TopologicalOrder(Definition{Stages: g.stages})
	if err != nil {
		order = nil // a cycle can never start; treat its stages as blocked
	}
	can := map[int]bool{}
	var out []int
	for _, ref := range order {
		i := g.index[ref]
		st := statusOf(status, ref)
		switch {
		case st.IsSuccessful() || st.isActive():
			can[i] = true
		case st == NotStarted && !g.missingRequisite(i):
			ok := true
			for _, j := range g.up[i] {
				ok = ok && can[j]
			}
			if ok {
				can[i] = true
				out = append(out, i)
			}
		}
	}
	return out
}
