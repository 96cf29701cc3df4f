package main

import (
	"context"
	"fmt"

	"github.com/gennaker/gennaker/store"
)

func runAPI(ctx context.Context, args []string) error {
	fs, c := newFlags("api", "Runs the GraphQL API server (and the dashboard) against an external NATS server and database.\nRun as many as wanted: they keep nothing another replica would need.")
	c.serverFlags(fs)
	c.databaseFlag(fs, "")
	c.natsFlag(fs, "NATS server URL (required)")
	c.accountsFlag(fs)
	if err := fs.parse(args, c); err != nil {
		return err
	}
	log, be, err := connectExternal(ctx, c, "gennaker-api")
	if err != nil {
		return err
	}
	defer be.close()
	srv, err := startAPI(ctx, c, log, be.store, be.bus, newRegistry())
	if err != nil {
		return err
	}
	log.Info("API server ready", "url", srv.URL(), "database", redactURL(c.DatabaseURL), "nats", c.NATSURL)
	<-ctx.Done()
	srv.shutdown()
	return nil
}

func runMigrate(ctx context.Context, args []string) error {
	fs, c := newFlags("migrate", "gennaker migrate [up|status]: applies pending schema migrations (up, the default)\nor lists every migration and whether it is applied (status).")
	c.databaseFlag(fs, "sqlite://./.gennaker/gennaker.db")
	if err := fs.parse(args, c); err != nil {
		return err
	}
	action := "up"
	if fs.NArg() > 0 {
		action = fs.Arg(0)
	}
	switch action {
	case "up":
		// Open applies the pending migrations.
		st, err := store.Open(ctx, c.DatabaseURL)
		if err != nil {
			return err
		}
		defer st.Close()
		fmt.Println("migrations applied")
		return printStatus(ctx, st)
	case "status":
		st, err := store.OpenNoMigrate(ctx, c.DatabaseURL)
		if err != nil {
			return err
		}
		defer st.Close()
		return printStatus(ctx, st)
	}
	return fmt.Errorf("unknown action %q: want up or status", action)
}

func printStatus(ctx context.Context, st *store.Store) error {
	list, err := st.MigrationStatus(ctx)
	if err != nil {
		return err
	}
	for _, m := range list {
		state := "pending"
		if m.Applied {
			state = "applied"
		}
		fmt.Printf("%05d  %-8s %s\n", m.Version, state, m.Source)
	}
	return nil
}

// redactURL hides a password in a URL for logs.
func redactURL(raw string) string { return store.Redact(raw) }
