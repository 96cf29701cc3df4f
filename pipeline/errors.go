package pipeline

import (
	"errors"
	"fmt"
	"strings"
)

// Sentinel errors. Use errors.Is: a *ValidationError matches ErrInvalid
// always, and ErrCycle when one of its problems is a CYCLE; an
// *ExpressionError matches ErrExpression.
var (
	// ErrInvalid reports a definition or a set of parameters that breaks one
	// or more rules; the error is a *ValidationError listing them.
	ErrInvalid = errors.New("pipeline: invalid")
	// ErrCycle reports a stage graph that is not acyclic.
	ErrCycle = errors.New("pipeline: stage graph has a cycle")
	// ErrExpression reports a `${...}` expression that does not compile or
	// fails when evaluated; the error is an *ExpressionError.
	ErrExpression = errors.New("pipeline: expression failed")
)

// Problem codes, found in Problem.Code. They are stable: the API maps them to
// GraphQL error extensions and the dashboard to form fields.
const (
	CodeDuplicateRefID    = "DUPLICATE_REF_ID"        // two stages share a refId
	CodeMissingRefID      = "MISSING_REF_ID"          // a stage has no refId
	CodeUnknownRequisite  = "UNKNOWN_REQUISITE"       // a requisiteStageRefIds entry names no stage
	CodeSelfRequisite     = "SELF_REQUISITE"          // a stage requires itself
	CodeCycle             = "CYCLE"                   // stages require each other in a loop
	CodeUnknownStageType  = "UNKNOWN_STAGE_TYPE"      // type is not in StageTypes()
	CodeMissingField      = "MISSING_FIELD"           // a required field is absent or empty
	CodeInvalidField      = "INVALID_FIELD"           // a field has the wrong kind or value
	CodeInvalidParameter  = "INVALID_PARAMETER"       // a parameter definition is wrong
	CodeInvalidTrigger    = "INVALID_TRIGGER"         // a trigger is wrong
	CodeInvalidNotify     = "INVALID_NOTIFICATION"    // a notification is wrong
	CodeInvalidExpression = "INVALID_EXPRESSION"      // a `${...}` does not compile
	CodeInvalidWindow     = "INVALID_WINDOW"          // an execution window is wrong
	CodeEmptyName         = "EMPTY_NAME"              // the pipeline has no name
	CodeMissingParameter  = "MISSING_PARAMETER"       // a required parameter has no value
	CodeInvalidParamValue = "INVALID_PARAMETER_VALUE" // a value is not one of the options
	CodeUnknownParameter  = "UNKNOWN_PARAMETER"       // a value was given for no declared parameter
)

// Problem is one broken rule: where (a JSON-ish path into the definition,
// such as `stages[1].config.waitTime`), which rule (a Code* constant) and a
// sentence for a person.
type Problem struct {
	Path    string `json:"path"`
	Code    string `json:"code"`
	Message string `json:"message"`
}

// String renders the problem as "path: message (CODE)".
func (p Problem) String() string {
	if p.Path == "" {
		return fmt.Sprintf("%s (%s)", p.Message, p.Code)
	}
	return fmt.Sprintf("%s: %s (%s)", p.Path, p.Message, p.Code)
}

// ValidationError lists every problem found, in a deterministic order (the
// order of the definition: name, stages, triggers, parameters, notifications).
type ValidationError struct {
	Problems []Problem
}

// Error joins all problems on one line.
func (e *ValidationError) Error() string {
	parts := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		parts[i] = p.String()
	}
	noun := "problems"
	if len(parts) == 1 {
		noun = "problem"
	}
	return fmt.Sprintf("pipeline: %d %s: %s", len(parts), noun, strings.Join(parts, "; "))
}

// Is reports whether target is ErrInvalid, or ErrCycle when a problem has the
// CYCLE code.
func (e *ValidationError) Is(target error) bool {
	switch target {
	case ErrInvalid:
		return true
	case ErrCycle:
		return e.Has(CodeCycle)
	}
	return false
}

// Has reports whether any problem carries code.
func (e *ValidationError) Has(code string) bool {
	for _, p := range e.Problems {
		if p.Code == code {
			return true
		}
	}
	return false
}

// ExpressionError is a `${...}` expression that failed to compile or to
// evaluate. Expression is the text as written (with `${` and `}`), Path where
// it was found in the evaluated value ("" for the root), Err the cause.
type ExpressionError struct {
	Expression string
	Path       string
	Err        error
}

// Error names the failing expression and, when known, where it was found;
// expr's own messages carry a drawing of the source on more lines; only the
// first line (with the position) is kept.
func (e *ExpressionError) Error() string {
	cause := "<nil>"
	if e.Err != nil {
		cause, _, _ = strings.Cut(e.Err.Error(), "\n")
	}
	if e.Path == "" {
		return fmt.Sprintf("evaluating %q: %s", e.Expression, cause)
	}
	return fmt.Sprintf("evaluating %q at %s: %s", e.Expression, e.Path, cause)
}

// Unwrap returns the cause.
func (e *ExpressionError) Unwrap() error { return e.Err }

// Is reports whether target is ErrExpression.
func (e *ExpressionError) Is(target error) bool { return target == ErrExpression }

// problems accumulates Problems; its zero value is ready to use.
type problems []Problem

func (ps *problems) add(path, code, format string, args ...any) {
	*ps = append(*ps, Problem{Path: path, Code: code, Message: fmt.Sprintf(format, args...)})
}

// err returns nil when empty, else a *ValidationError.
func (ps problems) err() error {
	if len(ps) == 0 {
		return nil
	}
	return &ValidationError{Problems: ps}
}
