package resolvers

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/gqlerror"
	"github.com/vikstrous/dataloadgen"

	"github.com/gennaker/gennaker/auth"
	"github.com/gennaker/gennaker/pipeline"
	"github.com/gennaker/gennaker/store"
)

// Error codes in extensions.code.
const (
	CodeBadUserInput = "BAD_USER_INPUT"
	CodeNotFound     = "NOT_FOUND"
	CodeConflict     = "CONFLICT"
	CodeForbidden    = "FORBIDDEN"
	CodeInternal     = "INTERNAL"
)

// inputError is a BAD_USER_INPUT error with the problems found, each at its path.
type inputError struct {
	problems []pipeline.Problem
}

func (e *inputError) Error() string {
	if len(e.problems) == 1 {
		return fmt.Sprintf("%s: %s", e.problems[0].Path, e.problems[0].Message)
	}
	return fmt.Sprintf("%d problems in the input", len(e.problems))
}

func badInput(path, code, format string, args ...any) error {
	return &inputError{problems: []pipeline.Problem{{Path: path, Code: code, Message: fmt.Sprintf(format, args...)}}}
}

// problemsError collects input problems; its err() is nil when there are none.
type problemsError struct{ list []pipeline.Problem }

func (p *problemsError) add(path, code, format string, args ...any) {
	p.list = append(p.list, pipeline.Problem{Path: path, Code: code, Message: fmt.Sprintf(format, args...)})
}

func (p *problemsError) err() error {
	if len(p.list) == 0 {
		return nil
	}
	return &inputError{problems: p.list}
}

// notFound is a NOT_FOUND error naming what was looked for.
func notFound(what string) error { return fmt.Errorf("%s: %w", what, store.ErrNotFound) }

// ErrorPresenter maps domain errors to coded GraphQL errors with the field path. A user
// never sees an internal error's text: it is logged with a reference instead.
func ErrorPresenter(log *slog.Logger) graphql.ErrorPresenterFunc {
	return func(ctx context.Context, err error) *gqlerror.Error {
		gerr := graphql.DefaultErrorPresenter(ctx, err)
		var gqlErr *gqlerror.Error
		if errors.As(err, &gqlErr) && gqlErr.Extensions["code"] != nil && gqlErr.Err == nil {
			return gerr // parse and validation errors from gqlgen keep their own codes
		}
		ext := map[string]any{}
		var in *inputError
		var ve *pipeline.ValidationError
		switch {
		case errors.As(err, &in):
			ext["code"], ext["problems"] = CodeBadUserInput, in.problems
			gerr.Message = in.Error()
		case errors.As(err, &ve):
			ext["code"], ext["problems"] = CodeBadUserInput, ve.Problems
			gerr.Message = ve.Error()
		case errors.Is(err, store.ErrNotFound), errors.Is(err, dataloadgen.ErrNotFound):
			ext["code"] = CodeNotFound
		case errors.Is(err, store.ErrConflict), errors.Is(err, store.ErrInUse):
			ext["code"] = CodeConflict
		case errors.Is(err, auth.ErrForbidden):
			ext["code"] = CodeForbidden
		case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
			ext["code"] = CodeInternal
			gerr.Message = "the request was cancelled or timed out"
		default:
			ref := fmt.Sprintf("%x", fnv(err.Error()))
			log.ErrorContext(ctx, "internal error in GraphQL request", "error", err, "path", gerr.Path.String(), "ref", ref)
			ext["code"] = CodeInternal
			gerr.Message = "internal error (ref " + ref + "); the server log has the details"
		}
		gerr.Extensions = ext
		return gerr
	}
}

func fnv(s string) uint32 {
	h := uint32(2166136261)
	for i := 0; i < len(s); i++ {
		h ^= uint32(s[i])
		h *= 16777619
	}
	return h
}

// RecoverFunc turns a panic in a resolver into an INTERNAL error, logged with its value.
func RecoverFunc(log *slog.Logger) graphql.RecoverFunc {
	return func(ctx context.Context, p any) error {
		log.ErrorContext(ctx, "panic in GraphQL resolver", "error", fmt.Sprint(p))
		return errors.New("internal panic")
	}
}
