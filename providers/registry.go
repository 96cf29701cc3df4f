package providers

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"sort"
	"sync"

	"github.com/prometheus/client_golang/prometheus"
)

// Host is what a Factory is given besides the account: the platform's
// shared facilities. Zero values are valid.
type Host struct {
	// Logger for the driver; nil discards.
	Logger *slog.Logger
	// StateDir is the platform's state directory; a driver keeps its own
	// files under a sub-directory named after its kind.
	StateDir string
	// Registerer receives the driver's metrics; nil registers nowhere.
	Registerer prometheus.Registerer
}

// Factory builds the Provider of one account of a kind. It validates the
// account's Settings and returns an ErrInvalidSpec error when they are wrong.
type Factory func(ctx context.Context, account Account, host Host) (Provider, error)

var (
	kindsMu sync.RWMutex
	kinds   = map[string]Factory{}
)

// RegisterKind makes a driver kind available to NewRegistry, usually from
// the driver package's init function. It panics when kind is empty, f is nil
// or the kind is registered twice: these are programming errors.
func RegisterKind(kind string, f Factory) {
	kindsMu.Lock()
	defer kindsMu.Unlock()
	if kind == "" || f == nil {
		panic("providers: RegisterKind with an empty kind or nil factory")
	}
	if _, dup := kinds[kind]; dup {
		panic("providers: RegisterKind called twice for kind " + kind)
	}
	kinds[kind] = f
}

// Kinds returns the registered kinds, sorted.
func Kinds() []string {
	kindsMu.RLock()
	defer kindsMu.RUnlock()
	out := make([]string, 0, len(kinds))
	for k := range kinds {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// Registry maps account names to their Provider. It is safe for concurrent
// use.
type Registry struct {
	accounts  map[string]Account
	providers map[string]Provider
}

// NewRegistry builds one Provider per account with the factory of its kind.
// It returns an ErrInvalidSpec error for a duplicate account name, an
// ErrUnsupported error for an unregistered kind, or the first factory error;
// on error the providers already built are closed.
func NewRegistry(ctx context.Context, accounts []Account, host Host) (*Registry, error) {
	r := &Registry{accounts: map[string]Account{}, providers: map[string]Provider{}}
	for _, a := range accounts {
		if _, dup := r.accounts[a.Name]; dup {
			r.Close()
			return nil, Errorf(CodeInvalidSpec, "building providers: account %q appears twice", a.Name)
		}
		kindsMu.RLock()
		f := kinds[a.Kind]
		kindsMu.RUnlock()
		if f == nil {
			r.Close()
			return nil, Errorf(CodeUnsupported, "building providers: account %q: kind %q is not registered (known: %v)", a.Name, a.Kind, Kinds())
		}
		p, err := f(ctx, a, host)
		if err != nil {
			r.Close()
			return nil, fmt.Errorf("building provider for account %q: %w", a.Name, err)
		}
		r.accounts[a.Name] = a
		r.providers[a.Name] = p
	}
	return r, nil
}

// Provider returns the account's Provider, or an ErrAccountUnknown error.
func (r *Registry) Provider(account string) (Provider, error) {
	p, ok := r.providers[account]
	if !ok {
		return nil, Errorf(CodeAccountUnknown, "looking up provider: account %q is not configured", account)
	}
	return p, nil
}

// Account returns the named account and whether it is configured.
func (r *Registry) Account(name string) (Account, bool) {
	a, ok := r.accounts[name]
	return a, ok
}

// Accounts returns the configured accounts, sorted by name.
func (r *Registry) Accounts() []Account {
	out := make([]Account, 0, len(r.accounts))
	for _, a := range r.accounts {
		out = append(out, a)
	}
	slices.SortFunc(out, func(a, b Account) int {
		switch {
		case a.Name < b.Name:
			return -1
		case a.Name > b.Name:
			return 1
		}
		return 0
	})
	return out
}

// Close closes every provider that is an io.Closer and returns their errors
// joined. Closing a provider releases it; it does not destroy what it
// created.
func (r *Registry) Close() error {
	var errs []error
	for name, p := range r.providers {
		if c, ok := p.(io.Closer); ok {
			if err := c.Close(); err != nil {
				errs = append(errs, fmt.Errorf("closing provider for account %q: %w", name, err))
			}
		}
	}
	return errors.Join(errs...)
}
