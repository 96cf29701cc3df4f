// Package client is a small GraphQL client for Gennaker's API, used by the CLI, by bots and
// by Gennaker's own end-to-end tests.
//
// Queries and mutations go over HTTP POST to /graphql ([Client.Do]); subscriptions go over
// a WebSocket at /graphql ([Client.Subscribe]), speaking graphql-transport-ws by default or
// the legacy graphql-ws protocol with [WithProtocol]. Errors the server reports come back
// as a [*Error] with the server's code, path and input problems, so that
// errors.Is(err, client.ErrNotFound) works.
//
// The client knows nothing of Gennaker's types: callers decode the JSON they asked for.
package client

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"time"
)

// Client talks to one Gennaker API server. It is safe for concurrent use.
type Client struct {
	endpoint string // http(s)://host/graphql
	wsURL    string // ws(s)://host/graphql
	hc       *http.Client
	header   http.Header
	protocol Protocol
	log      *slog.Logger

	minDelay, maxDelay time.Duration
	queueLimit         int
	kaTimeout          time.Duration
	onKeepAlive        func()
}

// Option configures a Client.
type Option func(*Client)

// WithHTTPClient sets the HTTP client of queries, mutations and the WebSocket handshake
// (default: http.DefaultClient). Its Timeout must be zero: bound requests with the ctx.
func WithHTTPClient(hc *http.Client) Option { return func(c *Client) { c.hc = hc } }

// WithHeader adds a header to every request and WebSocket handshake, such as an
// Authorization header.
func WithHeader(key, value string) Option { return func(c *Client) { c.header.Add(key, value) } }

// WithProtocol sets the WebSocket sub-protocol of subscriptions (default
// [GraphQLTransportWS]).
func WithProtocol(p Protocol) Option { return func(c *Client) { c.protocol = p } }

// WithLogger receives debug records of subscription drops and reconnections (default: none).
func WithLogger(l *slog.Logger) Option { return func(c *Client) { c.log = l } }

// WithReconnectDelay bounds the pause of [Client.SubscribeForever] between attempts: it
// starts at min and doubles up to max (defaults 250 ms and 10 s).
func WithReconnectDelay(min, max time.Duration) Option {
	return func(c *Client) { c.minDelay, c.maxDelay = min, max }
}

// WithQueueLimit bounds how many received subscription events may wait for the caller's
// Next (default 1024); past it the subscription fails with [ErrSlowConsumer].
func WithQueueLimit(n int) Option { return func(c *Client) { c.queueLimit = n } }

// WithKeepAliveTimeout sets how long a subscription waits without any message from the
// server (a result or a keep-alive) before it takes the connection as dead and fails
// (default 30 s; 0 waits forever). Gennaker's server sends a keep-alive every 10 s.
func WithKeepAliveTimeout(d time.Duration) Option { return func(c *Client) { c.kaTimeout = d } }

// WithOnKeepAlive calls f, from a subscription's reader, for every keep-alive the server
// sends: a ping (graphql-transport-ws, answered with a pong) or a ka (graphql-ws). f must
// return quickly.
func WithOnKeepAlive(f func()) Option { return func(c *Client) { c.onKeepAlive = f } }

// New returns a client of the server at baseURL (such as http://127.0.0.1:8080); the API
// is at baseURL + "/graphql", which may also be given in full. New does not connect.
func New(baseURL string, opts ...Option) *Client {
	base := strings.TrimRight(baseURL, "/")
	if !strings.HasSuffix(base, "/graphql") {
		base += "/graphql"
	}
	c := &Client{
		endpoint: base, hc: http.DefaultClient, header: http.Header{}, protocol: GraphQLTransportWS,
		log: slog.New(slog.DiscardHandler), minDelay: 250 * time.Millisecond, maxDelay: 10 * time.Second,
		queueLimit: 1024, kaTimeout: 30 * time.Second,
	}
	switch {
	case strings.HasPrefix(base, "https://"):
		c.wsURL = "wss://" + strings.TrimPrefix(base, "https://")
	case strings.HasPrefix(base, "http://"):
		c.wsURL = "ws://" + strings.TrimPrefix(base, "http://")
	default:
		c.wsURL = base
	}
	for _, o := range opts {
		o(c)
	}
	return c
}

// Endpoint is the URL of the GraphQL API.
func (c *Client) Endpoint() string { return c.endpoint }

// request is a GraphQL request body.
type request struct {
	Query     string         `json:"query"`
	Variables map[string]any `json:"variables,omitempty"`
}

// response is a GraphQL response body.
type response struct {
	Data   json.RawMessage `json:"data"`
	Errors []*Error        `json:"errors"`
}

// maxResponseBytes bounds a response body read by Do.
const maxResponseBytes = 64 << 20

// Do runs a query or mutation with its variables and decodes the response's data into out
// (a pointer, or nil to discard it).
//
// When the response carries errors, Do returns the first as a [*Error] (the others in its
// Others field) after decoding into out whatever data came with them. Otherwise it fails
// when the server cannot be reached, when ctx ends, when the response is not GraphQL (the
// error names the HTTP status), or when data does not decode into out.
func (c *Client) Do(ctx context.Context, query string, vars map[string]any, out any) error {
	body, err := json.Marshal(request{Query: query, Variables: vars})
	if err != nil {
		return fmt.Errorf("encoding the request: %w", err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.endpoint, bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("building the request: %w", err)
	}
	for k, vs := range c.header {
		req.Header[k] = append([]string(nil), vs...)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/graphql-response+json, application/json")
	res, err := c.hc.Do(req)
	if err != nil {
		return fmt.Errorf("posting to %s: %w", c.endpoint, err)
	}
	defer res.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(res.Body, maxResponseBytes))
	if err != nil {
		return fmt.Errorf("reading the response from %s: %w", c.endpoint, err)
	}
	var r response
	if err := json.Unmarshal(raw, &r); err != nil || (r.Data == nil && len(r.Errors) == 0) {
		return fmt.Errorf("posting to %s: %s: %s", c.endpoint, res.Status, snippet(raw))
	}
	if out != nil && len(r.Data) > 0 && string(r.Data) != "null" {
		if err := json.Unmarshal(r.Data, out); err != nil && len(r.Errors) == 0 {
			return fmt.Errorf("decoding the response data: %w", err)
		}
	}
	return joinErrors(r.Errors)
}

// snippet is the start of a body, for an error message.
func snippet(b []byte) string {
	s := strings.TrimSpace(string(b))
	if len(s) > 200 {
		s = s[:200] + "…"
	}
	if s == "" {
		s = "(empty body)"
	}
	return s
}
