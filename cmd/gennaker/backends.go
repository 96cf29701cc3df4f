package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"

	"github.com/gennaker/gennaker/bus"
	"github.com/gennaker/gennaker/providers"
	"github.com/gennaker/gennaker/store"
)

// backends are what every command connects to: the database (migrated, with the accounts
// of the accounts file mirrored in it) and NATS.
type backends struct {
	store    *store.Store
	bus      *bus.Bus
	accounts []providers.Account
}

// connect opens the database and NATS named by c; withLocal adds the built-in local
// account. close releases both.
func connect(ctx context.Context, c *config, name string, withLocal bool) (*backends, error) {
	accounts, err := loadAccounts(c.AccountsFile, withLocal)
	if err != nil {
		return nil, err
	}
	st, err := store.Open(ctx, c.DatabaseURL)
	if err != nil {
		return nil, err
	}
	if len(accounts) > 0 {
		if err := st.SyncAccounts(ctx, storeAccounts(accounts)); err != nil {
			st.Close()
			return nil, err
		}
	}
	b, err := bus.Connect(ctx, c.NATSURL, name, bus.Options{})
	if err != nil {
		st.Close()
		return nil, err
	}
	return &backends{store: st, bus: b, accounts: accounts}, nil
}

// connectExternal is connect for `api` and `engine`, which need an external database and
// NATS: it checks both are named, and builds the logger.
func connectExternal(ctx context.Context, c *config, name string) (*slog.Logger, *backends, error) {
	if c.DatabaseURL == "" || c.NATSURL == "" {
		return nil, nil, fmt.Errorf("--database-url and --nats-url are required")
	}
	log, err := c.logger(os.Stderr)
	if err != nil {
		return nil, nil, err
	}
	be, err := connect(ctx, c, name, false)
	return log, be, err
}

func (b *backends) close() {
	b.bus.Close()
	b.store.Close()
}
