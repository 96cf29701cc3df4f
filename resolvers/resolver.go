// Package resolvers is Gennaker's GraphQL layer: thin resolvers that authorise, validate,
// and then read the store, send a command to the engine, or subscribe to events. The
// Resolver struct is the dependency root; gqlgen generates the execution code in graph/.
package resolvers

import (
	"context"
	"log/slog"
	"sync"

	"github.com/gennaker/gennaker/auth"
	"github.com/gennaker/gennaker/store"
)

// Resolver holds what every resolver needs.
type Resolver struct {
	Store *store.Store
	Auth  auth.Authorizer
	Log   *slog.Logger
	// Engine accepts commands (run a pipeline, answer a judgment, resize …); nil means this
	// API server cannot change executions and such mutations fail with an error that says so.
	Engine Engine
	// Events streams committed changes for subscriptions; nil disables subscriptions.
	Events Events

	hubOnce sync.Once
	hub     *hub
}

// authorize is the one authorisation point of every mutation: it names the caller, asks the
// authorizer, and returns the audit record the store writes in the mutation's transaction.
func (r *Resolver) authorize(ctx context.Context, action auth.Action, on auth.Resource, mutation string, detail map[string]any) (store.Audit, error) {
	who, ok := auth.FromContext(ctx)
	if !ok {
		who = auth.Identity{}
	}
	if err := r.Auth.Authorize(ctx, who, action, on); err != nil {
		r.Log.WarnContext(ctx, "mutation refused", "mutation", mutation, "user", who.Name, "resource", on.Name, "error", err)
		return store.Audit{}, err
	}
	return store.Audit{Actor: who.Name, Action: mutation, Detail: detail}, nil
}
