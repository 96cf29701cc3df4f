package client_test

import (
	"context"
	"encoding/json"
	"errors"
	"net"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/gennaker/gennaker/client"
	"github.com/gennaker/gennaker/client/clienttest"
)

const triggerMutation = `mutation($in: TriggerPipelineInput!) { triggerPipeline(input: $in) { execution { id status } } }`

const executionSubscription = `subscription($id: ID!) { executionUpdated(executionId: $id) {
	kind version execution { id status stages { id name type status } } } }`

const judgeMutation = `mutation($in: JudgeStageInput!) { judgeStage(input: $in) { execution { id } } }`

// event is what executionSubscription returns.
type event struct {
	ExecutionUpdated struct {
		Kind      string
		Version   int
		Execution struct {
			ID     string
			Status string
			Stages []struct{ ID, Name, Type, Status string }
		}
	}
}

func trigger(t *testing.T, c *client.Client, pipelineID string) string {
	t.Helper()
	var out struct {
		TriggerPipeline struct {
			Execution struct{ ID string }
		}
	}
	if err := c.Do(context.Background(), triggerMutation, map[string]any{"in": map[string]any{"pipelineId": pipelineID, "reason": "test"}}, &out); err != nil {
		t.Fatalf("triggering: %v", err)
	}
	return out.TriggerPipeline.Execution.ID
}

// TestExecutionThroughSubscription runs a pipeline with a manual judgment, watching it
// with each sub-protocol, and answers the judgment when the subscription shows it waiting.
func TestExecutionThroughSubscription(t *testing.T) {
	for _, proto := range []client.Protocol{client.GraphQLTransportWS, client.GraphQLWS} {
		t.Run(string(proto), func(t *testing.T) {
			t.Parallel()
			stack := clienttest.Start(t)
			keepAlive := make(chan struct{}, 1)
			c := stack.Client(client.WithProtocol(proto), client.WithOnKeepAlive(func() {
				select {
				case keepAlive <- struct{}{}:
				default:
				}
			}))
			p := clienttest.JudgmentPipeline(t, c)
			execID := trigger(t, c, p.ID)

			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			subscribed := time.Now()
			sub, err := c.Subscribe(ctx, executionSubscription, map[string]any{"id": execID})
			if err != nil {
				t.Fatalf("subscribing: %v", err)
			}
			defer sub.Close()

			version, judged := 0, false
			for n := 0; ; n++ {
				data, err := sub.Next(ctx)
				if err != nil {
					t.Fatalf("event %d: %v", n, err)
				}
				var ev event
				if err := json.Unmarshal(data, &ev); err != nil {
					t.Fatalf("decoding event %d: %v", n, err)
				}
				u := ev.ExecutionUpdated
				wantKind := "CHANGED"
				if n == 0 {
					wantKind = "SNAPSHOT"
				}
				if u.Kind != wantKind {
					t.Fatalf("event %d: got kind %s, want %s", n, u.Kind, wantKind)
				}
				if u.Version <= version {
					t.Fatalf("event %d: got version %d after %d, want it strictly increasing", n, u.Version, version)
				}
				version = u.Version
				if u.Execution.ID != execID {
					t.Fatalf("event %d: got execution %s, want %s", n, u.Execution.ID, execID)
				}
				for _, s := range u.Execution.Stages {
					if s.Type == "manualJudgment" && s.Status == "RUNNING" && !judged {
						err := c.Do(ctx, judgeMutation, map[string]any{"in": map[string]any{
							"id": s.ID, "judgment": "CONTINUE", "comment": "looks good"}}, nil)
						if err != nil {
							t.Fatalf("judging: %v", err)
						}
						judged = true
					}
				}
				if u.Execution.Status == "SUCCEEDED" {
					if !judged {
						t.Fatal("the execution succeeded without its judgment being answered")
					}
					for _, s := range u.Execution.Stages {
						if s.Status != "SUCCEEDED" {
							t.Errorf("stage %s: got %s, want SUCCEEDED", s.Name, s.Status)
						}
					}
					break
				}
				if u.Execution.Status != "RUNNING" && u.Execution.Status != "NOT_STARTED" {
					t.Fatalf("event %d: execution is %s", n, u.Execution.Status)
				}
			}

			// graphql-ws sends ka right after connection_ack; graphql-transport-ws pings
			// every 10 s (the server's PingPongInterval).
			select {
			case <-keepAlive:
			case <-time.After(time.Until(subscribed.Add(15 * time.Second))):
				t.Fatalf("no keep-alive from the server within 15 s of subscribing")
			}
			if err := sub.Close(); err != nil {
				t.Fatalf("closing: %v", err)
			}
			if _, err := sub.Next(ctx); !errors.Is(err, client.ErrClosed) {
				t.Fatalf("Next after Close: got %v, want ErrClosed", err)
			}
		})
	}
}

// TestCodedErrors checks that the server's errors come back typed, with code and paths.
func TestCodedErrors(t *testing.T) {
	t.Parallel()
	stack := clienttest.Start(t)
	c := stack.Client()
	ctx := context.Background()
	p := clienttest.JudgmentPipeline(t, c)

	t.Run("invalid pipeline", func(t *testing.T) {
		err := c.Do(ctx, `mutation($in: SavePipelineInput!) { savePipeline(input: $in) { pipeline { id } } }`,
			map[string]any{"in": map[string]any{"application": p.Application, "name": "broken", "stages": []any{
				map[string]any{"refId": "1", "type": "wait", "name": "No time"},
				map[string]any{"refId": "2", "type": "wait", "name": "Orphan", "requisiteStageRefIds": []string{"9"},
					"config": map[string]any{"waitTime": 1}},
			}}}, nil)
		var gerr *client.Error
		if !errors.As(err, &gerr) {
			t.Fatalf("got %T %v, want *client.Error", err, err)
		}
		if gerr.Code() != "BAD_USER_INPUT" || !errors.Is(err, client.ErrBadUserInput) {
			t.Fatalf("got code %q, want BAD_USER_INPUT", gerr.Code())
		}
		if gerr.PathString() != "savePipeline" {
			t.Errorf("got path %q, want savePipeline", gerr.PathString())
		}
		if len(gerr.Problems()) < 2 {
			t.Fatalf("got problems %+v, want one per broken stage", gerr.Problems())
		}
		for _, pr := range gerr.Problems() {
			if pr.Path == "" || pr.Code == "" || pr.Message == "" {
				t.Errorf("got problem %+v, want path, code and message", pr)
			}
		}
		t.Logf("error reads: %v", err)
	})

	t.Run("not found", func(t *testing.T) {
		err := c.Do(ctx, judgeMutation, map[string]any{"in": map[string]any{"id": "U3RhZ2U6bm9wZQ==", "judgment": "CONTINUE"}}, nil)
		if !errors.Is(err, client.ErrNotFound) && !errors.Is(err, client.ErrBadUserInput) {
			t.Fatalf("got %v, want NOT_FOUND or BAD_USER_INPUT", err)
		}
	})

	t.Run("parse error", func(t *testing.T) {
		var gerr *client.Error
		if err := c.Do(ctx, `query { application(name: `, nil, nil); !errors.As(err, &gerr) || gerr.Code() == "" {
			t.Fatalf("got %v, want a coded *client.Error", err)
		}
	})

	t.Run("refused subscription", func(t *testing.T) {
		sub, err := c.Subscribe(ctx, `subscription { executionUpdated { kind } }`, nil)
		if err != nil {
			t.Fatalf("subscribing: %v", err)
		}
		defer sub.Close()
		if _, err := sub.Next(ctx); !errors.Is(err, client.ErrBadUserInput) {
			t.Fatalf("got %v, want BAD_USER_INPUT", err)
		}
		err = c.SubscribeForever(ctx, `subscription { executionUpdated { kind } }`, nil, func(json.RawMessage) error { return nil })
		if !errors.Is(err, client.ErrBadUserInput) {
			t.Fatalf("SubscribeForever: got %v, want BAD_USER_INPUT", err)
		}
	})

	t.Run("no server", func(t *testing.T) {
		err := client.New("http://127.0.0.1:1").Do(ctx, `{ accounts { id } }`, nil, nil)
		var gerr *client.Error
		if err == nil || errors.As(err, &gerr) {
			t.Fatalf("got %v, want a connection error", err)
		}
	})
}

// dropper records the connections a client opens, to cut them as a network failure would.
type dropper struct {
	mu    sync.Mutex
	conns []net.Conn
}

func (d *dropper) dial(ctx context.Context, network, addr string) (net.Conn, error) {
	c, err := (&net.Dialer{}).DialContext(ctx, network, addr)
	if err == nil {
		d.mu.Lock()
		d.conns = append(d.conns, c)
		d.mu.Unlock()
	}
	return c, err
}

func (d *dropper) dropAll() {
	d.mu.Lock()
	defer d.mu.Unlock()
	for _, c := range d.conns {
		c.Close()
	}
	d.conns = nil
}

// TestSubscribeForeverReconnects cuts the connection after the first snapshot and expects
// a fresh snapshot over a new one.
func TestSubscribeForeverReconnects(t *testing.T) {
	t.Parallel()
	stack := clienttest.Start(t)
	d := &dropper{}
	hc := &http.Client{Transport: &http.Transport{DialContext: d.dial}}
	c := stack.Client(client.WithHTTPClient(hc), client.WithReconnectDelay(10*time.Millisecond, 100*time.Millisecond))
	p := clienttest.JudgmentPipeline(t, c)
	execID := trigger(t, c, p.ID)

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	done := errors.New("second snapshot seen")
	snapshots := 0
	err := c.SubscribeForever(ctx, executionSubscription, map[string]any{"id": execID}, func(data json.RawMessage) error {
		var ev event
		if err := json.Unmarshal(data, &ev); err != nil {
			return err
		}
		if ev.ExecutionUpdated.Kind != "SNAPSHOT" {
			return nil
		}
		snapshots++
		if snapshots == 2 {
			return done
		}
		d.dropAll()
		return nil
	})
	if !errors.Is(err, done) {
		t.Fatalf("got %v, want the handler's error after a second snapshot", err)
	}
}

// TestChannel reads a subscription through C and closes it.
func TestChannel(t *testing.T) {
	t.Parallel()
	stack := clienttest.Start(t)
	c := stack.Client()
	p := clienttest.JudgmentPipeline(t, c)
	execID := trigger(t, c, p.ID)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	sub, err := c.Subscribe(ctx, executionSubscription, map[string]any{"id": execID})
	if err != nil {
		t.Fatalf("subscribing: %v", err)
	}
	var ev event
	select {
	case data := <-sub.C():
		if err := json.Unmarshal(data, &ev); err != nil || ev.ExecutionUpdated.Kind != "SNAPSHOT" {
			t.Fatalf("got %s (%v), want a SNAPSHOT", data, err)
		}
	case <-ctx.Done():
		t.Fatal("no snapshot")
	}
	if err := sub.Err(); err != nil {
		t.Fatalf("Err while running: got %v, want nil", err)
	}
	sub.Close()
	for range sub.C() {
		// Drain what was queued before Close; the channel must then close.
	}
	if !errors.Is(sub.Err(), client.ErrClosed) {
		t.Fatalf("Err after Close: got %v, want ErrClosed", sub.Err())
	}
}
