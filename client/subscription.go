package client

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/coder/websocket"
)

// Subscription is one GraphQL subscription over its own WebSocket connection. Read it with
// Next, or with C; not both.
type Subscription struct {
	conn   *websocket.Conn
	proto  Protocol
	id     string
	limit  int
	onKA   func()
	cancel context.CancelFunc
	done   chan struct{} // closed when the reader stops
	closed chan struct{} // closed by Close

	mu    sync.Mutex
	queue []item
	err   error // why the subscription ended, once it has
	wake  chan struct{}

	chOnce    sync.Once
	ch        chan json.RawMessage
	closeOnce sync.Once
}

// item is one received result.
type item struct {
	data json.RawMessage
	err  error
}

// maxMessageBytes bounds one WebSocket message: a snapshot of 50 executions fits.
const maxMessageBytes = 32 << 20

// Subscribe opens a WebSocket to the API, completes the sub-protocol's handshake
// (connection_init, then waiting for connection_ack) and starts the subscription. ctx
// bounds the connection and the handshake only; the subscription then lives until Close,
// until the server completes it, or until the connection drops.
//
// The protocol is graphql-transport-ws unless WithProtocol says otherwise; the server's
// pings are answered with pongs. If nothing at all arrives from the server for the
// keep-alive timeout (WithKeepAliveTimeout, default 30 s; Gennaker's server sends a
// keep-alive every 10 s), the connection is taken as dead and the subscription fails.
//
// Subscribe fails when the server cannot be reached, refuses the WebSocket or the
// sub-protocol, or answers connection_init with connection_error (a [*ProtocolError]).
// Errors in the operation itself (validation, NOT_FOUND …) arrive from Next.
func (c *Client) Subscribe(ctx context.Context, query string, vars map[string]any) (*Subscription, error) {
	conn, res, err := websocket.Dial(ctx, c.wsURL, &websocket.DialOptions{
		HTTPClient: c.hc, HTTPHeader: c.header.Clone(), Subprotocols: []string{string(c.protocol)},
	})
	if err != nil {
		if res != nil {
			return nil, fmt.Errorf("opening a WebSocket to %s: %s: %w", c.wsURL, res.Status, err)
		}
		return nil, fmt.Errorf("opening a WebSocket to %s: %w", c.wsURL, err)
	}
	conn.SetReadLimit(maxMessageBytes)
	if got := conn.Subprotocol(); got != string(c.protocol) {
		conn.Close(websocket.StatusProtocolError, "sub-protocol not accepted")
		return nil, &ProtocolError{Protocol: c.protocol, Reason: fmt.Sprintf("the server did not accept the sub-protocol (it chose %q)", got)}
	}
	s := &Subscription{conn: conn, proto: c.protocol, id: "1", limit: c.queueLimit, onKA: c.onKeepAlive,
		done: make(chan struct{}), closed: make(chan struct{}), wake: make(chan struct{}, 1)}
	if err := s.handshake(ctx); err != nil {
		conn.Close(websocket.StatusNormalClosure, "")
		return nil, err
	}
	payload, err := json.Marshal(request{Query: query, Variables: vars})
	if err != nil {
		conn.Close(websocket.StatusNormalClosure, "")
		return nil, fmt.Errorf("encoding the subscription: %w", err)
	}
	if err := s.write(ctx, message{ID: s.id, Type: s.proto.subscribeType(), Payload: payload}); err != nil {
		conn.Close(websocket.StatusNormalClosure, "")
		return nil, fmt.Errorf("sending the subscription: %w", err)
	}
	rctx, cancel := context.WithCancel(context.Background())
	s.cancel = cancel
	go s.read(rctx, c.kaTimeout)
	return s, nil
}

// handshake sends connection_init and waits for connection_ack, answering pings.
func (s *Subscription) handshake(ctx context.Context) error {
	if err := s.write(ctx, message{Type: msgInit, Payload: json.RawMessage(`{}`)}); err != nil {
		return fmt.Errorf("sending connection_init: %w", err)
	}
	for {
		m, err := s.readMessage(ctx)
		if err != nil {
			return fmt.Errorf("waiting for connection_ack: %w", err)
		}
		switch m.Type {
		case msgAck:
			return nil
		case msgKeepAlive:
			s.keepAlive()
		case msgPing:
			s.keepAlive()
			if err := s.write(ctx, message{Type: msgPong}); err != nil {
				return fmt.Errorf("answering a ping: %w", err)
			}
		case msgConnError, msgError:
			return &ProtocolError{Protocol: s.proto, Reason: "connection refused: " + decodeErrors(m.Payload).Error()}
		default:
			return &ProtocolError{Protocol: s.proto, Reason: fmt.Sprintf("unexpected %q before connection_ack", m.Type)}
		}
	}
}

// read receives messages until the subscription ends, queueing results.
func (s *Subscription) read(ctx context.Context, timeout time.Duration) {
	defer close(s.done)
	for {
		rctx, cancel := ctx, context.CancelFunc(func() {})
		if timeout > 0 {
			rctx, cancel = context.WithTimeout(ctx, timeout)
		}
		m, err := s.readMessage(rctx)
		cancel()
		if err != nil {
			switch {
			case ctx.Err() != nil:
				s.end(ErrClosed)
			case rctx.Err() != nil:
				s.end(fmt.Errorf("no message from the server for %s: %w", timeout, context.DeadlineExceeded))
			default:
				s.end(fmt.Errorf("reading from the server: %w", err))
			}
			return
		}
		switch {
		case m.Type == msgPing:
			s.keepAlive()
			_ = s.write(ctx, message{Type: msgPong})
		case m.Type == msgKeepAlive:
			s.keepAlive()
		case m.Type == msgPong:
		case m.ID != "" && m.ID != s.id:
			// Not ours: one operation per connection.
		case s.proto.isData(m.Type):
			var r response
			if err := json.Unmarshal(m.Payload, &r); err != nil {
				if !s.push(item{err: &ProtocolError{Protocol: s.proto, Reason: "undecodable result: " + err.Error()}}) {
					return
				}
				continue
			}
			if !s.push(item{data: r.Data, err: joinErrors(r.Errors)}) {
				return
			}
		case m.Type == msgError:
			s.end(decodeErrors(m.Payload))
			return
		case m.Type == msgComplete:
			s.end(ErrCompleted)
			return
		case m.Type == msgConnError:
			s.end(&ProtocolError{Protocol: s.proto, Reason: "connection error: " + decodeErrors(m.Payload).Error()})
			return
		}
	}
}

func (s *Subscription) readMessage(ctx context.Context) (message, error) {
	_, b, err := s.conn.Read(ctx)
	if err != nil {
		return message{}, err
	}
	var m message
	if err := json.Unmarshal(b, &m); err != nil {
		return message{}, &ProtocolError{Protocol: s.proto, Reason: "undecodable message: " + snippet(b)}
	}
	return m, nil
}

func (s *Subscription) write(ctx context.Context, m message) error {
	b, err := json.Marshal(m)
	if err != nil {
		return err
	}
	return s.conn.Write(ctx, websocket.MessageText, b)
}

func (s *Subscription) keepAlive() {
	if s.onKA != nil {
		s.onKA()
	}
}

// push queues a result, or ends the subscription when the caller is too far behind; it
// reports whether the subscription goes on.
func (s *Subscription) push(it item) bool {
	s.mu.Lock()
	if s.err != nil {
		s.mu.Unlock()
		return false
	}
	if len(s.queue) >= s.limit {
		s.mu.Unlock()
		s.end(ErrSlowConsumer)
		s.conn.CloseNow()
		return false
	}
	s.queue = append(s.queue, it)
	s.mu.Unlock()
	s.signal()
	return true
}

// end records why the subscription ended, the first time only.
func (s *Subscription) end(err error) {
	s.mu.Lock()
	if s.err == nil {
		s.err = err
	}
	s.mu.Unlock()
	s.signal()
}

func (s *Subscription) signal() {
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

// Next returns the data of the next result, such as {"executionUpdated": {…}}, waiting
// for it until ctx ends (then it returns ctx.Err() and the subscription goes on).
//
// A result that carries GraphQL errors returns its data (possibly nil) and a [*Error];
// the subscription goes on unless the server ends it. Once every result was read, Next
// returns why the subscription ended: [ErrCompleted] when the server completed it, a
// [*Error] from an error message (the operation was refused), [ErrClosed] after Close,
// [ErrSlowConsumer], or the connection's error when it dropped.
func (s *Subscription) Next(ctx context.Context) (json.RawMessage, error) {
	for {
		s.mu.Lock()
		if len(s.queue) > 0 {
			it := s.queue[0]
			s.queue[0] = item{}
			s.queue = s.queue[1:]
			s.mu.Unlock()
			return it.data, it.err
		}
		err := s.err
		s.mu.Unlock()
		if err != nil {
			// Keep the wake-up for another reader of the ended subscription.
			s.signal()
			return nil, err
		}
		select {
		case <-s.wake:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
}

// C returns a channel of the results' data, closed when the subscription ends; Err then
// says why. A result carrying GraphQL errors ends it too (Err returns the [*Error]). The
// first call starts a goroutine that reads with Next; don't call Next as well.
func (s *Subscription) C() <-chan json.RawMessage {
	s.chOnce.Do(func() {
		s.ch = make(chan json.RawMessage)
		go func() {
			defer close(s.ch)
			for {
				data, err := s.Next(context.Background())
				if err != nil {
					s.end(err)
					if !errors.Is(err, ErrClosed) {
						s.Close()
					}
					return
				}
				select {
				case s.ch <- data:
				case <-s.closed:
					return
				}
			}
		}()
	})
	return s.ch
}

// Err returns why the subscription ended, or nil while it runs.
func (s *Subscription) Err() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.err
}

// Close stops the subscription (stop or complete, then a normal closure of the
// connection) and waits for its reader. Results not yet read are dropped; later Next calls
// return ErrClosed unless the subscription had already ended. Close is idempotent and
// always returns nil.
func (s *Subscription) Close() error {
	s.closeOnce.Do(func() {
		s.end(ErrClosed)
		close(s.closed)
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		_ = s.write(ctx, message{ID: s.id, Type: s.proto.stopType()})
		if s.proto == GraphQLWS {
			_ = s.write(ctx, message{Type: msgTerminate})
		}
		cancel()
		s.cancel()
		s.conn.Close(websocket.StatusNormalClosure, "")
		<-s.done
		s.mu.Lock()
		s.queue = nil
		s.mu.Unlock()
	})
	return nil
}
