package pipeline

import "slices"

// Status is the state of an execution, a stage or a task: Spinnaker's set.
type Status string

// Spinnaker's statuses.
const (
	NotStarted     Status = "NOT_STARTED"
	Buffered       Status = "BUFFERED" // waiting for a concurrency slot
	Running        Status = "RUNNING"
	Paused         Status = "PAUSED"
	Suspended      Status = "SUSPENDED" // waiting, e.g. for an execution window
	Succeeded      Status = "SUCCEEDED"
	FailedContinue Status = "FAILED_CONTINUE"
	Terminal       Status = "TERMINAL"
	Canceled       Status = "CANCELED"
	Redirect       Status = "REDIRECT"
	Stopped        Status = "STOPPED"
	Skipped        Status = "SKIPPED"
)

// Statuses returns every known status, in Spinnaker's order.
func Statuses() []Status { return slices.Clone(statuses) }

var statuses = []Status{
	NotStarted, Buffered, Running, Paused, Suspended, Succeeded,
	FailedContinue, Terminal, Canceled, Redirect, Stopped, Skipped,
}

// IsComplete reports whether s is final: SUCCEEDED, FAILED_CONTINUE,
// TERMINAL, CANCELED, STOPPED or SKIPPED.
func (s Status) IsComplete() bool {
	switch s {
	case Succeeded, FailedContinue, Terminal, Canceled, Stopped, Skipped:
		return true
	}
	return false
}

// IsSuccessful reports whether s lets downstream stages run: SUCCEEDED,
// FAILED_CONTINUE or SKIPPED. (Orca's SUCCESSFUL set also holds STOPPED;
// here STOPPED halts its branch, so it is not successful.)
func (s Status) IsSuccessful() bool {
	switch s {
	case Succeeded, FailedContinue, Skipped:
		return true
	}
	return false
}

// IsHalt reports whether s stops what comes after it: TERMINAL, CANCELED or
// STOPPED.
func (s Status) IsHalt() bool {
	switch s {
	case Terminal, Canceled, Stopped:
		return true
	}
	return false
}

// isActive reports whether a stage in s is still in progress.
func (s Status) isActive() bool {
	switch s {
	case Running, Paused, Suspended, Buffered, Redirect:
		return true
	}
	return false
}
