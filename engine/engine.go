// Package engine runs executions: it consumes commands from the JetStream work queue,
// advances each execution stage by stage, commits state to the store with a version check,
// then sends the next commands and publishes progress events. Every handler is idempotent:
// a redelivered command re-derives what to do from the committed state, so a crash anywhere
// is repaired by redelivery (and, for anything lost, by the watchdog).
package engine

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"os"
	"sync"
	"time"

	"github.com/nats-io/nats.go/jetstream"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/gennaker/gennaker/bus"
	"github.com/gennaker/gennaker/pipeline"
	"github.com/gennaker/gennaker/providers"
	"github.com/gennaker/gennaker/store"
)

// Config wires an engine.
type Config struct {
	Store *store.Store
	Bus   *bus.Bus
	Log   *slog.Logger
	// Registerer receives the engine's metrics; nil skips them.
	Registerer prometheus.Registerer
	// Workers is how many commands are handled at once (default 16).
	Workers int
	// WatchdogInterval is how often stuck executions are looked for (default 10s), and
	// StaleAfter how long without a change or a scheduled poll makes one stuck (default 30s).
	WatchdogInterval time.Duration
	StaleAfter       time.Duration
	// HTTP is the client of webhook stages (default: 30 s timeout).
	HTTP *http.Client
	// AckWait is how long a command may go unacknowledged before JetStream gives it to
	// another replica (default 60s): after a crash, the commands the dead replica held come
	// back this long after. Handlers still running signal progress so they keep theirs.
	AckWait time.Duration
	// Providers reach the deploy accounts; nil runs no cluster stages and no caching agent.
	Providers *providers.Registry
	// CronInterval is how often cron triggers are looked at (default 10s); a trigger fires at
	// most that late.
	CronInterval time.Duration
	// CronCatchUp is how far back the first cron pass of a starting engine looks: the latest
	// firing missed in that window while no engine ran starts once, as Spinnaker's Echo
	// compensates missed triggers (0: none; a firing already started is not started again).
	CronCatchUp time.Duration
	// CacheInterval is how often the caching agent reads every account (default 5s); it
	// also reads at once after each operation and on a driver's change notices.
	CacheInterval time.Duration
	// ReplicaID names this replica in task leases (default: host, process id and a random
	// part); it must differ between replicas.
	ReplicaID string
}

// Engine is one engine replica; any number may run against the same stream and database.
type Engine struct {
	cfg     Config
	log     *slog.Logger
	metrics *metrics
	cache   *cachingAgent
	running runningTasks
}

// New returns an engine; Run starts it.
func New(cfg Config) *Engine {
	if cfg.Workers <= 0 {
		cfg.Workers = 16
	}
	if cfg.WatchdogInterval == 0 {
		cfg.WatchdogInterval = 10 * time.Second
	}
	if cfg.StaleAfter == 0 {
		cfg.StaleAfter = 30 * time.Second
	}
	if cfg.CronInterval == 0 {
		cfg.CronInterval = 10 * time.Second
	}
	if cfg.CacheInterval == 0 {
		cfg.CacheInterval = 5 * time.Second
	}
	if cfg.AckWait == 0 {
		cfg.AckWait = 60 * time.Second
	}
	if cfg.HTTP == nil {
		cfg.HTTP = &http.Client{Timeout: 30 * time.Second}
	}
	if cfg.ReplicaID == "" {
		host, _ := os.Hostname()
		cfg.ReplicaID = fmt.Sprintf("%s/%d/%s", host, os.Getpid(), store.NewID()[24:])
	}
	e := &Engine{cfg: cfg, log: cfg.Log, metrics: newMetrics(cfg.Registerer)}
	e.cache = newCachingAgent(e)
	return e
}

// Run consumes commands until ctx ends, and runs the watchdog. When started is not nil, it
// receives nil once commands are being consumed, or the error that stopped the start.
func (e *Engine) Run(ctx context.Context, started chan<- error) error {
	report := func(err error) error {
		if started != nil {
			started <- err
		}
		return err
	}
	js := e.cfg.Bus.JetStream()
	cons, err := js.CreateOrUpdateConsumer(ctx, bus.CommandStream, jetstream.ConsumerConfig{
		Durable: bus.EngineConsumer, AckPolicy: jetstream.AckExplicitPolicy, AckWait: e.cfg.AckWait,
		MaxDeliver: -1, MaxAckPending: 10000, FilterSubject: bus.CommandSubjects,
	})
	if err != nil {
		return report(fmt.Errorf("creating the engine consumer: %w", err))
	}
	sem := make(chan struct{}, e.cfg.Workers)
	var wg sync.WaitGroup
	cc, err := cons.Consume(func(m jetstream.Msg) {
		sem <- struct{}{}
		wg.Add(1)
		go func() {
			defer func() { <-sem; wg.Done() }()
			e.handleMsg(ctx, m)
		}()
	}, jetstream.PullMaxMessages(2*e.cfg.Workers))
	if err != nil {
		return report(fmt.Errorf("consuming commands: %w", err))
	}
	_ = report(nil)
	go e.watchdog(ctx)
	go e.runCron(ctx)
	if e.cfg.Providers != nil {
		go e.cache.run(ctx)
	}
	<-ctx.Done()
	cc.Stop()
	wg.Wait()
	return nil
}

// outcome is what becomes of a command after its handler.
type outcome struct {
	// retryAfter > 0 re-delivers the same command later (a polling task, a window).
	retryAfter time.Duration
	// drop terminates a command that can never succeed (logged with why).
	drop string
}

func (e *Engine) handleMsg(ctx context.Context, m jetstream.Msg) {
	start := time.Now()
	cmd, err := bus.Decode(m.Data())
	if err != nil {
		e.log.Error("terminating an undecodable command", "error", err, "subject", m.Subject())
		_ = m.TermWithReason("undecodable")
		return
	}
	log := e.log.With("execution_id", cmd.ExecutionID, "command", string(cmd.Type), "command_id", cmd.ID)
	working := make(chan struct{})
	go func() { // keep the command while the handler works (a slow webhook …)
		t := time.NewTicker(e.cfg.AckWait / 3)
		defer t.Stop()
		for {
			select {
			case <-working:
				return
			case <-t.C:
				_ = m.InProgress()
				if cmd.Type == bus.RunTask {
					_ = e.cfg.Store.ExtendTaskLease(ctx, cmd.TaskID, e.cfg.ReplicaID, time.Now().UTC().Add(e.cfg.AckWait))
				}
			}
		}
	}()
	md, _ := m.Metadata()
	out, err := e.handle(ctx, cmd, md != nil && md.NumDelivered > 1)
	close(working)
	e.metrics.observe(cmd.Type, err, time.Since(start))
	switch {
	case errors.Is(err, store.ErrConflict):
		// Another replica changed the execution meanwhile: decide again on fresh state.
		_ = m.NakWithDelay(time.Duration(5+rand.IntN(20)) * time.Millisecond)
	case errors.Is(err, store.ErrNotFound):
		log.Warn("terminating a command for a missing execution")
		_ = m.TermWithReason("execution not found")
	case err != nil:
		delay := backoff(md)
		log.Error("command failed; retrying", "error", err, "retry_in", delay.String())
		_ = m.NakWithDelay(delay)
	case out.drop != "":
		log.Debug("dropping command", "reason", out.drop)
		_ = m.Ack()
	case out.retryAfter > 0:
		_ = m.NakWithDelay(out.retryAfter)
	default:
		if err := m.DoubleAck(ctx); err != nil {
			log.Warn("ack not confirmed; the command may be redelivered (harmless)", "error", err)
		}
	}
}

func backoff(md *jetstream.MsgMetadata) time.Duration {
	n := uint64(1)
	if md != nil {
		n = md.NumDelivered
	}
	d := time.Duration(1<<min(n, 8)) * 50 * time.Millisecond
	return min(d, 30*time.Second)
}

// handle runs one command's handler: load → decide → commit → send → publish.
//
// A command delivered again that changes nothing publishes the execution as it is: the
// delivery before may have died between its commit and its event, and subscribers that
// stayed connected would wait for that event forever. Subscribers drop what they have.
func (e *Engine) handle(ctx context.Context, cmd bus.Command, redelivered bool) (out outcome, err error) {
	if cmd.Type == bus.Notify { // an outbox row, not the execution, is its state
		return e.notify(ctx, cmd)
	}
	if cmd.Type == bus.RunTask {
		// Marked before the load, unmarked after the commit: a later delivery sees the result.
		if !e.running.start(cmd.TaskID) {
			return outcome{drop: "the task is running on this replica; that run schedules the next"}, nil
		}
		defer e.running.done(cmd.TaskID)
	}
	ex, err := e.cfg.Store.Execution(ctx, cmd.ExecutionID)
	if err != nil {
		return outcome{}, err
	}
	s, err := newStep(ex)
	if err != nil {
		return outcome{drop: "undecodable definition: " + err.Error()}, nil
	}
	defer func() {
		if s.leased != "" {
			if err := e.cfg.Store.ReleaseTask(context.WithoutCancel(ctx), s.leased, e.cfg.ReplicaID); err != nil {
				e.log.Warn("releasing a task lease failed; it expires by itself", "task_id", s.leased, "error", err)
			}
		}
	}()
	if redelivered {
		defer func() {
			if err == nil && out.retryAfter == 0 && !s.published {
				_ = e.publish(s.ex)
			}
		}()
	}
	switch cmd.Type {
	case bus.StartExecution:
		return e.startExecution(ctx, s, cmd)
	case bus.StartStage:
		out = e.startStage(s, cmd)
	case bus.StartTask:
		out = e.startTask(s, cmd)
	case bus.RunTask:
		out = e.runTask(ctx, s, cmd)
	case bus.CompleteTask:
		out = e.completeTask(s, cmd)
	case bus.CompleteStage:
		out = e.completeStage(s, cmd)
	case bus.CompleteExecution:
		out = e.completeExecution(s)
	case bus.CancelExecution:
		out = e.cancelExecution(ctx, s, cmd)
	case bus.PauseExecution:
		out = e.pauseExecution(s, cmd)
	case bus.ResumeExecution:
		out = e.resumeExecution(s, cmd)
	case bus.RestartStage:
		out = e.restartStage(s, cmd)
	case bus.SkipStage:
		out = e.skipStage(s, cmd)
	case bus.JudgeStage:
		out = e.judgeStage(s, cmd)
	case bus.StartWaiting:
		return e.startWaiting(ctx, s)
	default:
		return outcome{drop: "unknown command type"}, nil
	}
	return out, e.commit(ctx, s)
}

// commit writes the step's changes (if any) with the outbox rows of their notifications,
// then sends its commands and publishes the new state. Commands go out after the commit, so
// none names state that was not written; a crash between the two is repaired by redelivery
// of the command that led here, and a lost notification command by the watchdog.
func (e *Engine) commit(ctx context.Context, s *step) error {
	e.fuse(s)
	if s.changed() {
		ch := s.change()
		ch.Notifications = e.outbox(s) // committed with the change that caused them
		v, err := e.cfg.Store.CommitExecution(ctx, ch, s.ex.Version)
		if err != nil {
			return err
		}
		s.ex.Version = v
		e.metrics.transitions.Add(float64(len(ch.Stages) + len(ch.Tasks) + len(ch.NewTasks) + 1))
		s.published = true
		if err := e.publish(s.ex); err != nil {
			e.log.Warn("publishing an execution event failed; subscribers converge on the next", "execution_id", s.ex.ID, "error", err)
		}
		for _, n := range ch.Notifications {
			s.next = append(s.next, notifyCommand(n, ""))
		}
	}
	for _, c := range s.next {
		if err := e.cfg.Bus.Send(ctx, c); err != nil {
			return fmt.Errorf("sending %s: %w", c.Type, err)
		}
	}
	return nil
}

// maxFused bounds how many commands one step applies in place.
const maxFused = 10000

// fuse applies in place, before the commit, the step's next commands that only move this
// execution's own state (start a stage or task, complete a task, a stage or the execution):
// one commit and one event then cover a whole chain of transitions, and only commands that
// do work outside the state (running a task) or must wait go through the queue. It changes
// nothing about what is decided: the same handlers run on the same state, in order.
func (e *Engine) fuse(s *step) {
	for i := 0; i < maxFused; i++ {
		k := -1
		for j, c := range s.next {
			if e.fusable(s, c) {
				k = j
				break
			}
		}
		if k < 0 {
			return
		}
		c := s.next[k]
		s.next = append(s.next[:k:k], s.next[k+1:]...)
		switch c.Type {
		case bus.StartStage:
			e.startStage(s, c)
		case bus.StartTask:
			e.startTask(s, c)
		case bus.CompleteTask:
			e.completeTask(s, c)
		case bus.CompleteStage:
			e.completeStage(s, c)
		case bus.CompleteExecution:
			e.completeExecution(s)
		}
	}
}

// fusable tells whether a command can be applied in place: it is for this execution, and
// its handler neither does work outside the state nor asks to be run again later (a stage
// start is, unless the execution is paused or the stage waits for an execution window).
func (e *Engine) fusable(s *step, c bus.Command) bool {
	if c.ExecutionID != s.ex.ID {
		return false
	}
	switch c.Type {
	case bus.StartTask, bus.CompleteTask, bus.CompleteStage, bus.CompleteExecution:
		return true
	case bus.StartStage:
		st := s.stage(c.StageID)
		if st == nil || s.ex.Status != string(pipeline.Running) {
			return false
		}
		w, err := s.definition(st.RefID).Window()
		return err == nil && w == nil
	}
	return false
}

// publish sends the whole execution (with stages and tasks) to subscribers.
func (e *Engine) publish(ex *store.Execution) error {
	snap := *ex
	snap.Definition = nil
	b, err := json.Marshal(snap)
	if err != nil {
		return err
	}
	return e.cfg.Bus.Publish(bus.Event{Kind: bus.ExecutionChanged, Application: ex.ApplicationName,
		ID: ex.ID, Version: ex.Version, Object: b})
}
