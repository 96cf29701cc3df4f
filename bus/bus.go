// Package bus is how Gennaker's processes talk: commands to the engine on a JetStream
// work-queue stream (at-least-once, de-duplicated by id), and progress events on core NATS
// subjects `gennaker.events.<application>.<kind>.<id>` that API servers fan out to GraphQL
// subscriptions. It also runs the embedded NATS server of `gennaker up`.
package bus

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// Names of the stream, its subjects and the engine's durable consumer.
const (
	CommandStream   = "GENNAKER_COMMANDS"
	CommandSubjects = "gennaker.commands.>"
	EngineConsumer  = "engine"
	EventPrefix     = "gennaker.events"
)

// ErrUndecodable marks a message that is not a command this version understands.
var ErrUndecodable = errors.New("undecodable command")

// Bus is a connection to NATS with JetStream. It is safe for concurrent use.
type Bus struct {
	nc *nats.Conn
	js jetstream.JetStream
}

// Options tune the command stream.
type Options struct {
	// Replicas of the command stream: 1 for a single server, 3 in a cluster.
	Replicas int
	// DuplicateWindow is how long a command id is remembered for de-duplication (default 10m).
	DuplicateWindow time.Duration
}

// Connect connects to url (retrying while the server starts), and creates or updates the
// command stream.
func Connect(ctx context.Context, url, name string, opts Options) (*Bus, error) {
	nc, err := nats.Connect(url, nats.Name(name), nats.MaxReconnects(-1), nats.RetryOnFailedConnect(true),
		nats.ReconnectWait(250*time.Millisecond))
	if err != nil {
		return nil, fmt.Errorf("connecting to NATS: %w", err)
	}
	js, err := jetstream.New(nc)
	if err != nil {
		nc.Close()
		return nil, fmt.Errorf("opening JetStream: %w", err)
	}
	if opts.Replicas == 0 {
		opts.Replicas = 1
	}
	if opts.DuplicateWindow == 0 {
		opts.DuplicateWindow = 10 * time.Minute
	}
	_, err = js.CreateOrUpdateStream(ctx, jetstream.StreamConfig{
		Name: CommandStream, Subjects: []string{CommandSubjects}, Retention: jetstream.WorkQueuePolicy,
		Storage: jetstream.FileStorage, Replicas: opts.Replicas, Duplicates: opts.DuplicateWindow,
	})
	if err != nil {
		nc.Close()
		return nil, fmt.Errorf("creating command stream: %w", err)
	}
	return &Bus{nc: nc, js: js}, nil
}

// Close drains and closes the connection.
func (b *Bus) Close() { _ = b.nc.Drain() }

// Conn exposes the NATS connection (health checks, tests).
func (b *Bus) Conn() *nats.Conn { return b.nc }

// JetStream exposes the JetStream context for the engine's consumer.
func (b *Bus) JetStream() jetstream.JetStream { return b.js }

// Send publishes a command and waits for JetStream to store it. The command's ID is its
// de-duplication id: sending the same id again within the window stores nothing new.
func (b *Bus) Send(ctx context.Context, c Command) error {
	if c.ID == "" {
		return fmt.Errorf("sending %s: command has no id", c.Type)
	}
	data, err := json.Marshal(c)
	if err != nil {
		return fmt.Errorf("encoding %s: %w", c.Type, err)
	}
	if _, err := b.js.Publish(ctx, commandSubject(c.Type, c.ExecutionID), data, jetstream.WithMsgID(c.ID)); err != nil {
		return fmt.Errorf("sending %s: %w", c.Type, err)
	}
	return nil
}

// commandSubject is `gennaker.commands.<type>.<execution id>` ("_" for none), so that what
// waits for one execution can be asked of the stream.
func commandSubject(t CommandType, executionID string) string {
	if executionID == "" {
		executionID = "_"
	}
	return "gennaker.commands." + string(t) + "." + executionID
}

// HasCommands tells whether a command for the execution is in the stream: queued, delayed
// for a retry or a poll, or being handled (the work queue removes a command when it is
// acknowledged). Only commands of type t count, or of any type when t is "".
func (b *Bus) HasCommands(ctx context.Context, executionID string, t CommandType) (bool, error) {
	typ := "*"
	if t != "" {
		typ = string(t)
	}
	st, err := b.js.Stream(ctx, CommandStream)
	if err != nil {
		return false, fmt.Errorf("looking up the command stream: %w", err)
	}
	info, err := st.Info(ctx, jetstream.WithSubjectFilter("gennaker.commands."+typ+"."+executionID))
	if err != nil {
		return false, fmt.Errorf("reading the command stream: %w", err)
	}
	return len(info.State.Subjects) > 0, nil
}

// Publish sends an event to subscribers. Events are not stored: a subscriber that misses
// one converges on the next snapshot, since every event carries the whole object.
func (b *Bus) Publish(e Event) error {
	data, err := json.Marshal(e)
	if err != nil {
		return fmt.Errorf("encoding event: %w", err)
	}
	if err := b.nc.Publish(e.Subject(), data); err != nil {
		return fmt.Errorf("publishing event: %w", err)
	}
	return nil
}

// Flush waits until the server has received everything published so far.
func (b *Bus) Flush(ctx context.Context) error { return b.nc.FlushWithContext(ctx) }

// SubscribeEvents calls f for every event on the subjects matching application ("" for all)
// until the returned function is called.
func (b *Bus) SubscribeEvents(application string, f func(Event)) (func(), error) {
	subj := EventPrefix + ".>"
	if application != "" {
		subj = EventPrefix + "." + application + ".>"
	}
	sub, err := b.nc.Subscribe(subj, func(m *nats.Msg) {
		var e Event
		if err := json.Unmarshal(m.Data, &e); err == nil {
			f(e)
		}
	})
	if err != nil {
		return nil, fmt.Errorf("subscribing to events: %w", err)
	}
	_ = sub.SetPendingLimits(1<<20, 1<<30)
	return func() { _ = sub.Unsubscribe() }, nil
}
