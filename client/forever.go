package client

import (
	"context"
	"encoding/json"
	"errors"
	"time"
)

// SubscribeForever subscribes and calls handle with the data of every result, in order,
// from one goroutine; after the connection drops, the keep-alive times out, the server
// completes the subscription, or the caller falls behind (ErrSlowConsumer), it subscribes
// again after a pause (WithReconnectDelay: 250 ms doubling to 10 s, back to the minimum
// once a result arrived).
//
// Gennaker's subscriptions send a snapshot first, so a caller that drops anything older
// than what it has (each event's version) converges on the current state after a
// reconnection; it may see the same version twice.
//
// SubscribeForever returns when ctx ends (ctx.Err()), when handle returns an error (that
// error), or when the server refuses the operation with a GraphQL error (the [*Error]:
// a bad query or a missing object does not get better by retrying).
func (c *Client) SubscribeForever(ctx context.Context, query string, vars map[string]any, handle func(json.RawMessage) error) error {
	delay := c.minDelay
	for attempt := 1; ; attempt++ {
		err := c.subscribeOnce(ctx, query, vars, handle, func() { delay = c.minDelay })
		var herr handlerError
		switch {
		case errors.As(err, &herr):
			return herr.err
		case ctx.Err() != nil:
			return ctx.Err()
		}
		var gerr *Error
		if errors.As(err, &gerr) {
			return err
		}
		c.log.DebugContext(ctx, "subscription dropped; subscribing again", "error", err, "attempt", attempt, "delay", delay)
		t := time.NewTimer(delay)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		}
		delay = min(2*delay, c.maxDelay)
	}
}

// handlerError marks an error of the caller's handler.
type handlerError struct{ err error }

func (h handlerError) Error() string { return h.err.Error() }

// subscribeOnce runs one subscription to its end; got is called on each result.
func (c *Client) subscribeOnce(ctx context.Context, query string, vars map[string]any, handle func(json.RawMessage) error, got func()) error {
	sub, err := c.Subscribe(ctx, query, vars)
	if err != nil {
		return err
	}
	defer sub.Close()
	for {
		data, err := sub.Next(ctx)
		if err != nil {
			return err
		}
		got()
		if err := handle(data); err != nil {
			return handlerError{err}
		}
	}
}
