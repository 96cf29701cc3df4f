package resolvers

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/coder/websocket"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/gennaker/gennaker/graph"
	"github.com/gennaker/gennaker/graph/model"
)

// Limits bound what one request may cost.
type Limits struct {
	// MaxBodyBytes bounds a request body (default 1 MiB).
	MaxBodyBytes int64
	// MaxDepth bounds the nesting of selections (default 15; introspection is not counted).
	MaxDepth int
	// MaxComplexity bounds the query's cost, where a connection costs its `first` times its
	// selection (default 5,000,000: a cluster view of 100 clusters × 100 server groups × 50
	// instances fits; four nested connections of 1,000 do not).
	MaxComplexity int
	// AllowedOrigins lists the browser origins allowed to open subscriptions besides the
	// server's own (host patterns, as github.com/coder/websocket takes them).
	AllowedOrigins []string
}

func (l Limits) withDefaults() Limits {
	if l.MaxBodyBytes == 0 {
		l.MaxBodyBytes = 1 << 20
	}
	if l.MaxDepth == 0 {
		l.MaxDepth = 15
	}
	if l.MaxComplexity == 0 {
		l.MaxComplexity = 5_000_000
	}
	return l
}

// NewHandler returns the /graphql handler: POST and GET queries, and subscriptions over
// WebSocket with both graphql-transport-ws and the legacy graphql-ws sub-protocols.
func NewHandler(r *Resolver, lim Limits) http.Handler {
	lim = lim.withDefaults()
	cfg := graph.Config{Resolvers: r}
	connectionComplexity(&cfg.Complexity)
	srv := handler.New(graph.NewExecutableSchema(cfg))
	srv.AddTransport(transport.Websocket{
		Implementation: transport.CoderWebsocketImplementation{AcceptOptions: websocket.AcceptOptions{
			OriginPatterns: lim.AllowedOrigins,
		}},
		// graphql-ws (legacy) needs the server's "ka" messages; graphql-transport-ws uses
		// ping/pong instead and ignores KeepAlivePingInterval.
		KeepAlivePingInterval: 10 * time.Second,
		PingPongInterval:      10 * time.Second,
		InitTimeout:           10 * time.Second,
	})
	srv.AddTransport(transport.Options{})
	srv.AddTransport(transport.GET{})
	srv.AddTransport(transport.POST{})
	srv.SetQueryCache(lru.New[*ast.QueryDocument](1000))
	srv.Use(extension.Introspection{})
	srv.Use(extension.AutomaticPersistedQuery{Cache: lru.New[string](100)})
	srv.Use(extension.FixedComplexityLimit(lim.MaxComplexity))
	srv.Use(depthLimit{max: lim.MaxDepth})
	srv.AroundResponses(withLoaders(r.Store))
	srv.SetErrorPresenter(ErrorPresenter(r.Log))
	srv.SetRecoverFunc(RecoverFunc(r.Log))
	return limitBody(lim.MaxBodyBytes, srv)
}

// limitBody refuses bodies over max bytes with a GraphQL-shaped 413.
func limitBody(max int64, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		if req.ContentLength > max {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusRequestEntityTooLarge)
			_ = json.NewEncoder(w).Encode(map[string]any{"errors": []map[string]any{{
				"message":    fmt.Sprintf("the request body is %d bytes; the limit is %d", req.ContentLength, max),
				"extensions": map[string]any{"code": "BAD_USER_INPUT"},
			}}})
			return
		}
		req.Body = http.MaxBytesReader(w, req.Body, max)
		next.ServeHTTP(w, req)
	})
}

// connectionComplexity makes a connection cost its page size times its selection, so that
// the complexity limit bounds the rows a query can ask for.
func connectionComplexity(c *graph.ComplexityRoot) {
	page := func(first *int, def int) int {
		if first != nil && *first > 0 {
			return *first
		}
		return def
	}
	c.Query.Applications = func(child int, _ *model.ApplicationFilter, first *int, _ *string) int {
		return 1 + child*page(first, 50)
	}
	c.Query.Executions = func(child int, _ *string, _ *string, _ []model.ExecutionStatus, first *int, _ *string) int {
		return 1 + child*page(first, 25)
	}
	c.Application.Clusters = func(child int, first *int, _ *string) int { return 1 + child*page(first, 100) }
	c.Application.Pipelines = func(child int, first *int, _ *string) int { return 1 + child*page(first, 100) }
	c.Application.LoadBalancers = func(child int, first *int, _ *string) int { return 1 + child*page(first, 100) }
	c.Application.Executions = func(child int, _ []model.ExecutionStatus, first *int, _ *string) int {
		return 1 + child*page(first, 25)
	}
	c.Pipeline.Executions = func(child int, _ []model.ExecutionStatus, first *int, _ *string) int {
		return 1 + child*page(first, 25)
	}
	c.Query.AuditEvents = func(child int, _ *model.AuditEventFilter, first *int, _ *string) int {
		return 1 + child*page(first, 25)
	}
	audit := func(child int, first *int, _ *string) int { return 1 + child*page(first, 25) }
	c.Application.AuditEvents, c.Pipeline.AuditEvents, c.Execution.AuditEvents, c.ServerGroup.AuditEvents = audit, audit, audit, audit
	c.Cluster.ServerGroups = func(child int, first *int, _ *string) int { return 1 + child*page(first, 100) }
	c.ServerGroup.Instances = func(child int, first *int, _ *string) int { return 1 + child*page(first, 100) }
}

// depthLimit refuses operations nested deeper than max.
type depthLimit struct{ max int }

var _ interface {
	graphql.HandlerExtension
	graphql.OperationContextMutator
} = depthLimit{}

func (depthLimit) ExtensionName() string                   { return "DepthLimit" }
func (depthLimit) Validate(graphql.ExecutableSchema) error { return nil }
func (d depthLimit) MutateOperationContext(_ context.Context, oc *graphql.OperationContext) *gqlerror.Error {
	if oc.Operation == nil {
		return nil
	}
	if depth := selectionDepth(oc.Operation.SelectionSet, 0); depth > d.max {
		err := gqlerror.Errorf("the operation is nested %d levels deep; the limit is %d", depth, d.max)
		err.Extensions = map[string]any{"code": "DEPTH_LIMIT_EXCEEDED"}
		return err
	}
	return nil
}

func selectionDepth(set ast.SelectionSet, depth int) int {
	deepest := depth
	for _, sel := range set {
		var d int
		switch s := sel.(type) {
		case *ast.Field:
			if len(s.Name) > 1 && s.Name[:2] == "__" {
				continue // introspection
			}
			d = selectionDepth(s.SelectionSet, depth+1)
		case *ast.InlineFragment:
			d = selectionDepth(s.SelectionSet, depth)
		case *ast.FragmentSpread:
			if s.Definition != nil {
				d = selectionDepth(s.Definition.SelectionSet, depth)
			}
		}
		if d > deepest {
			deepest = d
		}
	}
	return deepest
}
