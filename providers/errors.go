package providers

import (
	"errors"
	"fmt"
)

// Code classifies a provider error so that callers (the engine, the GraphQL
// error presenter) can react to it without parsing messages.
type Code string

// The codes of the sentinel errors.
const (
	CodeNotFound       Code = "NOT_FOUND"
	CodeInvalidSpec    Code = "INVALID_SPEC"
	CodeUnsupported    Code = "UNSUPPORTED"
	CodeAccountUnknown Code = "ACCOUNT_UNKNOWN"
	CodeConflict       Code = "CONFLICT"
)

// Error is a provider error with a Code. Two Errors match under errors.Is
// when their codes are equal, so a driver's detailed error
// (Errorf(CodeNotFound, "server group %q", name)) matches ErrNotFound.
type Error struct {
	code  Code
	msg   string
	cause error
}

// Sentinel errors. Compare with errors.Is, never with ==: drivers return
// detailed errors of the same code, usually wrapped.
var (
	// ErrNotFound: the server group, load balancer or instance does not exist.
	ErrNotFound = &Error{code: CodeNotFound, msg: "not found"}
	// ErrInvalidSpec: the request can never succeed as given (bad name,
	// capacity, artifact, region); retrying it is pointless.
	ErrInvalidSpec = &Error{code: CodeInvalidSpec, msg: "invalid spec"}
	// ErrUnsupported: the driver does not implement the operation or the
	// artifact type.
	ErrUnsupported = &Error{code: CodeUnsupported, msg: "unsupported"}
	// ErrAccountUnknown: no account of that name is served by this provider
	// or registry.
	ErrAccountUnknown = &Error{code: CodeAccountUnknown, msg: "account unknown"}
	// ErrConflict: the object exists in a state the request contradicts, such
	// as a server group of the same name with a different artifact.
	ErrConflict = &Error{code: CodeConflict, msg: "conflict"}
)

// Errorf returns an Error of the given code whose message is the formatted
// string. A %w verb in format is honoured: the result also unwraps to it.
func Errorf(code Code, format string, args ...any) error {
	err := fmt.Errorf(format, args...)
	return &Error{code: code, msg: err.Error(), cause: errors.Unwrap(err)}
}

// Error returns the message.
func (e *Error) Error() string { return e.msg }

// Code returns the error's code.
func (e *Error) Code() Code { return e.code }

// Unwrap returns the error given to Errorf with %w, if any.
func (e *Error) Unwrap() error { return e.cause }

// Is reports whether target is an *Error with the same code.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.code == e.code
}

// CodeOf returns the Code of the first Error in err's chain, or "" when
// there is none.
func CodeOf(err error) Code {
	var e *Error
	if errors.As(err, &e) {
		return e.code
	}
	return ""
}
