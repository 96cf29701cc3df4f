package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/gennaker/gennaker/bus"
)

func runUp(ctx context.Context, args []string) error {
	start := time.Now()
	fs, c := newFlags("up", "Runs everything in one process for a laptop: the migrations, an embedded NATS server with\nJetStream and an embedded SQLite database under the state directory (unless given URLs),\nthe GraphQL API, the engine with the local provider, and the dashboard.")
	c.serverFlags(fs)
	fs.str(&c.StateDir, "state-dir", "GENNAKER_STATE_DIR", "./.gennaker", "directory for the embedded database, NATS and local processes")
	c.databaseFlag(fs, "")
	c.natsFlag(fs, "NATS server URL; empty runs an embedded one")
	c.accountsFlag(fs)
	c.engineFlags(fs)
	var demo bool
	var demoArt, demoLB string
	fs.BoolVar(&demo, "demo", os.Getenv("GENNAKER_DEMO") == "1", "seed the demo: application hello, its load balancer, pipeline ship (GENNAKER_DEMO=1)")
	fs.str(&demoArt, "demo-artifact", "GENNAKER_DEMO_ARTIFACT", "", "the examples/hello binary the demo deploys (default: hello beside gennaker)")
	fs.str(&demoLB, "demo-lb-addr", "GENNAKER_DEMO_LB_ADDR", "127.0.0.1:8081", "where the demo's load balancer listens")
	if err := fs.parse(args, c); err != nil {
		return err
	}
	log, err := c.logger(os.Stderr)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(c.StateDir, 0o755); err != nil {
		return fmt.Errorf("creating state directory: %w", err)
	}
	stateDir, _ := filepath.Abs(c.StateDir)
	if c.DatabaseURL == "" {
		c.DatabaseURL = "sqlite://" + filepath.Join(stateDir, "gennaker.db")
	}
	if c.NATSURL == "" {
		ns, err := bus.StartEmbedded(filepath.Join(stateDir, "nats"), 0)
		if err != nil {
			return err
		}
		defer ns.Shutdown()
		c.NATSURL = ns.URL()
	}
	be, err := connect(ctx, c, "gennaker-up", true)
	if err != nil {
		return err
	}
	defer be.close()
	st, b := be.store, be.bus
	reg := newRegistry()
	eng, err := startEngine(ctx, c, log, st, b, reg, be.accounts, stateDir)
	if err != nil {
		return err
	}
	defer eng.stop()
	srv, err := startAPI(ctx, c, log, st, b, reg)
	if err != nil {
		return err
	}
	if demo {
		bin, err := demoArtifact(demoArt)
		if err != nil {
			return err
		}
		if err := seedDemo(ctx, st, eng, bin, demoLB); err != nil {
			return fmt.Errorf("seeding the demo: %w", err)
		}
		log.Info("demo ready", "application", "hello", "load_balancer", "http://"+demoLB, "pipeline", "ship")
	}
	log.Info("Gennaker is ready", "url", srv.URL(), "playground", srv.URL()+"/playground",
		"database", redactURL(c.DatabaseURL), "nats", c.NATSURL, "ready_in", time.Since(start).Round(time.Millisecond).String())
	fmt.Printf("Gennaker is ready at %s (dashboard), %s/graphql (API), in %s\n", srv.URL(), srv.URL(), time.Since(start).Round(time.Millisecond))
	<-ctx.Done()
	log.Info("shutting down")
	srv.shutdown()
	return nil
}
