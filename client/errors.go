package client

import (
	"errors"
	"fmt"
	"strings"
)

// Error is an error the server reported in a response's errors, with its
// extensions.code and, for BAD_USER_INPUT, the problems found in the input.
type Error struct {
	Message string `json:"message"`
	// Path is the response field the error belongs to, such as ["triggerPipeline"].
	Path []any `json:"path,omitempty"`
	// Extensions holds extensions.code and extensions.problems.
	Extensions Extensions `json:"extensions"`
	// Others are the response's further errors, when it had more than one.
	Others []*Error `json:"-"`
}

// Extensions are the parts of an error's extensions that Gennaker documents.
type Extensions struct {
	// Code is BAD_USER_INPUT, NOT_FOUND, CONFLICT, FORBIDDEN, INTERNAL, or one of
	// gqlgen's own (GRAPHQL_VALIDATION_FAILED, GRAPHQL_PARSE_FAILED, …).
	Code string `json:"code,omitempty"`
	// Problems come with BAD_USER_INPUT.
	Problems []Problem `json:"problems,omitempty"`
}

// Problem is one thing wrong with an input, at its path (such as "stages[1].waitTime").
type Problem struct {
	Path    string `json:"path"`
	Code    string `json:"code"`
	Message string `json:"message"`
}

// Sentinels for errors.Is, one per code the API documents.
var (
	ErrBadUserInput = &Error{Message: "bad user input", Extensions: Extensions{Code: "BAD_USER_INPUT"}}
	ErrNotFound     = &Error{Message: "not found", Extensions: Extensions{Code: "NOT_FOUND"}}
	ErrConflict     = &Error{Message: "conflict", Extensions: Extensions{Code: "CONFLICT"}}
	ErrForbidden    = &Error{Message: "forbidden", Extensions: Extensions{Code: "FORBIDDEN"}}
	ErrInternal     = &Error{Message: "internal error", Extensions: Extensions{Code: "INTERNAL"}}
)

// Code is extensions.code, such as BAD_USER_INPUT or NOT_FOUND; empty when the server
// sent none.
func (e *Error) Code() string { return e.Extensions.Code }

// Problems are extensions.problems: what is wrong with the input, each at its path.
func (e *Error) Problems() []Problem { return e.Extensions.Problems }

// PathString is the path as the server's field path reads, such as
// "application.pipelines.edges[0]".
func (e *Error) PathString() string {
	var b strings.Builder
	for _, p := range e.Path {
		switch v := p.(type) {
		case float64:
			fmt.Fprintf(&b, "[%d]", int(v))
		default:
			if b.Len() > 0 {
				b.WriteByte('.')
			}
			fmt.Fprint(&b, v)
		}
	}
	return b.String()
}

// Error reads "message (CODE at path): problem path: message; …", with the parts that
// are known.
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.Message)
	var tags []string
	if c := e.Code(); c != "" {
		tags = append(tags, c)
	}
	if p := e.PathString(); p != "" {
		tags = append(tags, "at "+p)
	}
	if len(tags) > 0 {
		fmt.Fprintf(&b, " (%s)", strings.Join(tags, " "))
	}
	// A single problem is already the message; list them when there are several.
	if ps := e.Problems(); len(ps) > 1 {
		b.WriteString(": ")
		for i, p := range ps {
			if i > 0 {
				b.WriteString("; ")
			}
			fmt.Fprintf(&b, "%s: %s [%s]", p.Path, p.Message, p.Code)
		}
	}
	if len(e.Others) > 0 {
		fmt.Fprintf(&b, " (and %d more errors)", len(e.Others))
	}
	return b.String()
}

// Is reports whether target is one of the sentinels (or any *Error with only a code) with
// the same code as e, or as one of e's Others.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	if !ok || t.Code() == "" || len(t.Path) > 0 {
		return false
	}
	if t.Code() == e.Code() {
		return true
	}
	for _, o := range e.Others {
		if o.Code() == t.Code() {
			return true
		}
	}
	return false
}

// joinErrors returns nil for none, or the first error with the others attached.
func joinErrors(errs []*Error) error {
	if len(errs) == 0 {
		return nil
	}
	first := *errs[0]
	first.Others = errs[1:]
	return &first
}

// Errors of subscriptions.
var (
	// ErrCompleted is returned by Subscription.Next once the server has completed the
	// subscription and every event before it was read.
	ErrCompleted = errors.New("subscription completed by the server")
	// ErrClosed is returned by Subscription.Next after Close.
	ErrClosed = errors.New("subscription closed")
	// ErrSlowConsumer ends a subscription whose caller fell more than the queue limit
	// behind (see WithQueueLimit).
	ErrSlowConsumer = errors.New("subscription events were not read fast enough")
)

// ProtocolError is a WebSocket message that breaks the sub-protocol, or a connection the
// server refused (connection_error).
type ProtocolError struct {
	Protocol Protocol
	Reason   string
}

func (e *ProtocolError) Error() string {
	return fmt.Sprintf("%s: %s", e.Protocol, e.Reason)
}
