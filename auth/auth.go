// Package auth knows who the caller is and whether they may do what they ask. It is the one
// authorisation point every mutation goes through; each allowed mutation is then recorded
// in the audit table with the caller's name.
//
// Until real authentication lands, `gennaker up` runs every request as the anonymous
// identity "dev", allowed everything.
package auth

import (
	"context"
	"errors"
	"fmt"
	"net/http"
)

// ErrForbidden is returned when the caller may not do what they ask.
var ErrForbidden = errors.New("forbidden")

// Identity is the caller.
type Identity struct {
	// Name is what the audit table records.
	Name  string
	Email string
	Roles []string
}

// Action names what a caller asks to do, in Fiat's words.
type Action string

// Actions.
const (
	Read    Action = "READ"
	Write   Action = "WRITE"
	Execute Action = "EXECUTE"
	Create  Action = "CREATE"
)

// Resource names what an action is done to.
type Resource struct {
	// Type is Application, Account, Pipeline, Execution or ServerGroup.
	Type string
	// Name is the application (or account) name the permission hangs on.
	Name string
}

// Authorizer decides whether an identity may act on a resource.
type Authorizer interface {
	// Authorize returns nil when allowed, or an error wrapping ErrForbidden that says why.
	Authorize(ctx context.Context, who Identity, action Action, on Resource) error
}

type ctxKey struct{}

// WithIdentity returns a context carrying the caller.
func WithIdentity(ctx context.Context, id Identity) context.Context {
	return context.WithValue(ctx, ctxKey{}, id)
}

// FromContext returns the caller, and false when the request carries none.
func FromContext(ctx context.Context) (Identity, bool) {
	id, ok := ctx.Value(ctxKey{}).(Identity)
	return id, ok
}

// Anonymous is the identity of `gennaker up` while authentication is off.
var Anonymous = Identity{Name: "dev", Email: "dev@localhost"}

// AnonymousMiddleware gives every request the Anonymous identity.
func AnonymousMiddleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		next.ServeHTTP(w, r.WithContext(WithIdentity(r.Context(), Anonymous)))
	})
}

// AllowAll allows every identified caller everything: the policy of `gennaker up`.
type AllowAll struct{}

// Authorize implements Authorizer.
func (AllowAll) Authorize(_ context.Context, who Identity, action Action, on Resource) error {
	if who.Name == "" {
		return fmt.Errorf("%w: %s on %s %q needs an identified caller", ErrForbidden, action, on.Type, on.Name)
	}
	return nil
}

var _ Authorizer = AllowAll{}
