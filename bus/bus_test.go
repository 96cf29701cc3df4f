package bus_test

import (
	"context"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/gennaker/gennaker/bus"
)

// TestHasCommands: the watchdog asks the stream whether an execution has a command waiting;
// the answer follows what is stored, by execution and by type, until it is acknowledged.
func TestHasCommands(t *testing.T) {
	ns, err := bus.StartEmbedded(t.TempDir(), 0)
	if err != nil {
		t.Fatal(err)
	}
	defer ns.Shutdown()
	ctx := t.Context()
	b, err := bus.Connect(ctx, ns.URL(), "test", bus.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	has := func(exec string, typ bus.CommandType) bool {
		t.Helper()
		ok, err := b.HasCommands(ctx, exec, typ)
		if err != nil {
			t.Fatal(err)
		}
		return ok
	}
	if has("e1", "") {
		t.Fatal("an empty stream has a command for e1")
	}
	if err := b.Send(ctx, bus.Command{ID: "RunTask/e1/s/0/t", Type: bus.RunTask, ExecutionID: "e1"}); err != nil {
		t.Fatal(err)
	}
	if !has("e1", "") || !has("e1", bus.RunTask) {
		t.Fatal("the RunTask sent for e1 is not seen")
	}
	if has("e1", bus.Notify) || has("e2", "") {
		t.Fatal("a RunTask of e1 is seen as a Notify of e1, or as a command of e2")
	}
	// Taken and acknowledged, it is gone.
	cons, err := b.JetStream().CreateOrUpdateConsumer(ctx, bus.CommandStream, jetstream.ConsumerConfig{
		Durable: "t", AckPolicy: jetstream.AckExplicitPolicy, FilterSubject: bus.CommandSubjects})
	if err != nil {
		t.Fatal(err)
	}
	msg, err := cons.Next(jetstream.FetchMaxWait(5 * time.Second))
	if err != nil {
		t.Fatal(err)
	}
	if !has("e1", "") {
		t.Fatal("a command being handled (not yet acknowledged) is not seen")
	}
	if err := msg.DoubleAck(context.Background()); err != nil {
		t.Fatal(err)
	}
	if has("e1", "") {
		t.Fatal("an acknowledged command is still seen")
	}
}
