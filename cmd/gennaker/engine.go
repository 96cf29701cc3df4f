package main

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/gennaker/gennaker/bus"
	"github.com/gennaker/gennaker/engine"
	"github.com/gennaker/gennaker/providers"
	"github.com/gennaker/gennaker/store"
)

// runningEngine is an engine started in this process.
type runningEngine struct {
	cancel    context.CancelFunc
	done      chan struct{}
	providers *providers.Registry
	engine    *engine.Engine
}

func (r *runningEngine) stop() {
	r.cancel()
	<-r.done
	// Closing a local driver leaves its processes running: the next start adopts them.
	_ = r.providers.Close()
}

func startEngine(ctx context.Context, c *config, log *slog.Logger, st *store.Store, b *bus.Bus, reg prometheus.Registerer, accounts []providers.Account, stateDir string) (*runningEngine, error) {
	ackWait, err := time.ParseDuration(c.AckWait)
	if err != nil {
		return nil, fmt.Errorf("--engine-ack-wait: %w", err)
	}
	stale, err := time.ParseDuration(c.StaleAfter)
	if err != nil {
		return nil, fmt.Errorf("--engine-stale-after: %w", err)
	}
	catchUp, err := time.ParseDuration(c.CronCatchUp)
	if err != nil || catchUp < 0 {
		return nil, fmt.Errorf("--cron-catch-up: want a duration of 0 or more, like 30m (%q)", c.CronCatchUp)
	}
	ctx, cancel := context.WithCancel(ctx)
	provs, err := providers.NewRegistry(ctx, accounts, providers.Host{Logger: log.With("component", "provider"),
		StateDir: stateDir, Registerer: reg})
	if err != nil {
		cancel()
		return nil, fmt.Errorf("starting providers: %w", err)
	}
	eng := engine.New(engine.Config{Store: st, Bus: b, Log: log.With("component", "engine"), Registerer: reg,
		Workers: c.Workers, AckWait: ackWait, Providers: provs, StaleAfter: stale, WatchdogInterval: min(stale/3, 10*time.Second),
		CronCatchUp: catchUp})
	r := &runningEngine{cancel: cancel, done: make(chan struct{}), providers: provs, engine: eng}
	started := make(chan error, 1)
	go func() {
		defer close(r.done)
		if err := eng.Run(ctx, started); err != nil {
			log.Error("engine stopped", "error", err)
		}
	}()
	if err := <-started; err != nil {
		cancel()
		<-r.done
		_ = provs.Close()
		return nil, err
	}
	return r, nil
}

func runEngine(ctx context.Context, args []string) error {
	fs, c := newFlags("engine", "Runs an engine worker: consumes commands from JetStream and advances executions.\nRun as many as wanted against the same NATS and database.")
	c.databaseFlag(fs, "")
	c.natsFlag(fs, "NATS server URL (required)")
	c.accountsFlag(fs)
	c.engineFlags(fs)
	fs.str(&c.StateDir, "state-dir", "GENNAKER_STATE_DIR", "./.gennaker", "directory for the local provider's state")
	var metricsAddr string
	fs.str(&metricsAddr, "metrics-addr", "GENNAKER_METRICS_ADDR", "", "address to serve /metrics on (empty: none)")
	if err := fs.parse(args, c); err != nil {
		return err
	}
	log, be, err := connectExternal(ctx, c, "gennaker-engine")
	if err != nil {
		return err
	}
	defer be.close()
	reg := newRegistry()
	if metricsAddr != "" {
		if err := serveMetrics(ctx, metricsAddr, reg); err != nil {
			return err
		}
	}
	stateDir := c.StateDir
	if stateDir == "" {
		stateDir = "./.gennaker"
	}
	eng, err := startEngine(ctx, c, log, be.store, be.bus, reg, be.accounts, stateDir)
	if err != nil {
		return err
	}
	log.Info("engine ready", "database", redactURL(c.DatabaseURL), "nats", c.NATSURL, "workers", c.Workers)
	<-ctx.Done()
	eng.stop()
	return nil
}
