package resolvers

import (
	"context"
	"encoding/json"
	"sync"

	"github.com/gennaker/gennaker/bus"
	"github.com/gennaker/gennaker/graph/model"
	"github.com/gennaker/gennaker/store"
)

// Subscriptions: one NATS subscription per API server feeds an in-process hub that fans
// events out to every GraphQL subscriber. A subscriber gets a snapshot first, then every
// newer version; events it cannot take at once are coalesced to the newest per object, so a
// slow client never blocks the others and always converges on the latest state.

type hub struct {
	mu        sync.Mutex
	next      int
	listeners map[int]func(*event)
	stop      func()
}

// event is a bus event shared by every subscriber it reaches: its payload is decoded and
// converted to the API's type once, not once per subscriber. What it holds is never changed
// after, so subscribers may share it.
type event struct {
	bus.Event
	once    sync.Once
	value   any
	decoded bool
}

// decodeOnce returns the event's payload converted by conv, computed on first use.
func (e *event) decodeOnce(conv func(bus.Event) (any, bool)) (any, bool) {
	e.once.Do(func() { e.value, e.decoded = conv(e.Event) })
	return e.value, e.decoded
}

func (r *Resolver) listen(f func(*event)) (func(), error) {
	r.hubOnce.Do(func() { r.hub = &hub{listeners: map[int]func(*event){}} })
	h := r.hub
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.stop == nil {
		stop, err := r.Events.SubscribeEvents("", func(be bus.Event) {
			e := &event{Event: be}
			h.mu.Lock()
			ls := make([]func(*event), 0, len(h.listeners))
			for _, l := range h.listeners {
				ls = append(ls, l)
			}
			h.mu.Unlock()
			for _, l := range ls {
				l(e)
			}
		})
		if err != nil {
			return nil, err
		}
		h.stop = stop
	}
	id := h.next
	h.next++
	h.listeners[id] = f
	return func() {
		h.mu.Lock()
		delete(h.listeners, id)
		h.mu.Unlock()
	}, nil
}

// coalescer keeps the newest pending event per object and hands them out in arrival order.
type coalescer struct {
	mu      sync.Mutex
	pending map[string]*event
	order   []string
	sent    map[string]int64
	wake    chan struct{}
}

func newCoalescer() *coalescer {
	return &coalescer{pending: map[string]*event{}, sent: map[string]int64{}, wake: make(chan struct{}, 1)}
}

func (c *coalescer) offer(e *event) {
	c.mu.Lock()
	if e.Version <= c.sent[e.ID] {
		c.mu.Unlock()
		return
	}
	if cur, ok := c.pending[e.ID]; !ok {
		c.order = append(c.order, e.ID)
		c.pending[e.ID] = e
	} else if e.Version > cur.Version {
		c.pending[e.ID] = e
	}
	c.mu.Unlock()
	select {
	case c.wake <- struct{}{}:
	default:
	}
}

// take returns the pending events and forgets them.
func (c *coalescer) take() []*event {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make([]*event, 0, len(c.order))
	for _, id := range c.order {
		e := c.pending[id]
		if e.Version > c.sent[id] {
			out = append(out, e)
		}
	}
	c.pending, c.order = map[string]*event{}, c.order[:0]
	return out
}

// markSent records the version a subscriber has, so older events are dropped.
func (c *coalescer) markSent(id string, v int64) {
	c.mu.Lock()
	if v > c.sent[id] {
		c.sent[id] = v
	}
	c.mu.Unlock()
}

// snapshotSize bounds the executions an application-wide subscription starts with.
const snapshotSize = 50

func (r *Resolver) executionUpdated(ctx context.Context, application string, executionGID *string) (<-chan *model.ExecutionEvent, error) {
	if r.Events == nil {
		return nil, errNoEngine
	}
	var execID string
	if executionGID != nil {
		var err error
		if execID, err = keyOf(*executionGID, "Execution", "executionId"); err != nil {
			return nil, err
		}
	}
	if application == "" && execID == "" {
		return nil, badInput("application", "MISSING_FILTER", "give an application, an executionId, or both")
	}
	co := newCoalescer()
	stop, err := r.listen(func(e *event) {
		if e.Kind != bus.ExecutionChanged || (execID != "" && e.ID != execID) || (application != "" && e.Application != application) {
			return
		}
		co.offer(e)
	})
	if err != nil {
		return nil, err
	}
	// Subscribed first, then the snapshot: nothing committed in between is missed.
	var snap []store.Execution
	if execID != "" {
		e, err := r.Store.Execution(ctx, execID)
		if err != nil {
			stop()
			return nil, err
		}
		if application != "" && e.ApplicationName != application {
			stop()
			return nil, notFound("execution in application " + application)
		}
		snap = []store.Execution{e}
	} else {
		app, err := r.Store.ApplicationByName(ctx, application)
		if err != nil {
			stop()
			return nil, err
		}
		rows, _, _, err := r.Store.ListExecutions(ctx, store.ExecutionFilter{ApplicationIDs: []string{app.ID}}, store.Page{First: snapshotSize})
		if err != nil {
			stop()
			return nil, err
		}
		ids := make([]string, len(rows))
		for i, row := range rows {
			ids[i] = row.ID
		}
		stages, err := r.Store.StagesByExecutions(ctx, ids)
		if err != nil {
			stop()
			return nil, err
		}
		for _, row := range rows {
			row.Stages = stages[row.ID]
			snap = append(snap, row)
		}
	}
	events := make([]*model.ExecutionEvent, 0, len(snap))
	for _, e := range snap {
		events = append(events, executionEvent(e, model.ExecutionEventKindSnapshot))
	}
	return stream(ctx, co, stop, events, func(ev *event) (*model.ExecutionEvent, bool) {
		v, ok := ev.decodeOnce(func(be bus.Event) (any, bool) {
			var e store.Execution
			if err := json.Unmarshal(be.Object, &e); err != nil {
				r.Log.Warn("dropping undecodable execution event", "execution_id", be.ID, "error", err)
				return nil, false
			}
			return executionEvent(e, model.ExecutionEventKindChanged), true
		})
		if !ok {
			return nil, false
		}
		return v.(*model.ExecutionEvent), true
	}, func(ev *model.ExecutionEvent) (string, int64) { return keyOfOwn(ev.Execution.ID), int64(ev.Version) }), nil
}

func executionEvent(e store.Execution, kind model.ExecutionEventKind) *model.ExecutionEvent {
	if e.Stages == nil {
		e.Stages = []store.Stage{}
	}
	return &model.ExecutionEvent{Kind: kind, Execution: *toExecution(e), Version: int(e.Version)}
}

// stream sends a subscriber the snapshot, then every event the coalescer hands out, each
// converted by decode; an event not newer than what the subscriber has is dropped. It ends,
// and unsubscribes, when the subscriber goes away.
func stream[E any](ctx context.Context, co *coalescer, stop func(), snapshot []E, decode func(*event) (E, bool), key func(E) (string, int64)) <-chan E {
	ch := make(chan E, 16)
	go func() {
		defer stop()
		defer close(ch)
		send := func(ev E) bool {
			select {
			case ch <- ev:
				co.markSent(key(ev))
				return true
			case <-ctx.Done():
				return false
			}
		}
		for _, ev := range snapshot {
			if !send(ev) {
				return
			}
		}
		for {
			for _, raw := range co.take() {
				if ev, ok := decode(raw); ok && !send(ev) {
					return
				}
			}
			select {
			case <-co.wake:
			case <-ctx.Done():
				return
			}
		}
	}()
	return ch
}

// listenApplication starts collecting an application's events of one kind (before the
// caller reads its snapshot, so that nothing committed in between is missed).
func (r *Resolver) listenApplication(ctx context.Context, application string, kind bus.EventKind) (store.Application, *coalescer, func(), error) {
	if r.Events == nil {
		return store.Application{}, nil, nil, errNoEngine
	}
	app, err := r.Store.ApplicationByName(ctx, application)
	if err != nil {
		return store.Application{}, nil, nil, err
	}
	co := newCoalescer()
	stop, err := r.listen(func(e *event) {
		if e.Kind == kind && e.Application == application {
			co.offer(e)
		}
	})
	if err != nil {
		return store.Application{}, nil, nil, err
	}
	return app, co, stop, nil
}

func (r *Resolver) clusterUpdated(ctx context.Context, application string) (<-chan *model.ClusterEvent, error) {
	app, co, stop, err := r.listenApplication(ctx, application, bus.ServerGroupChanged)
	if err != nil {
		return nil, err
	}
	groups, err := r.Store.ServerGroupsByApplication(ctx, app.ID)
	if err != nil {
		stop()
		return nil, err
	}
	events := make([]*model.ClusterEvent, 0, len(groups))
	for _, g := range groups {
		events = append(events, clusterEvent(g, model.ClusterEventKindSnapshot, false))
	}
	return stream(ctx, co, stop, events, func(ev *event) (*model.ClusterEvent, bool) {
		v, _ := ev.decodeOnce(func(be bus.Event) (any, bool) {
			var g store.ServerGroup
			if err := json.Unmarshal(be.Object, &g); err != nil || g.ID == "" {
				g = store.ServerGroup{ID: be.ID, Version: be.Version}
			}
			if be.Deleted {
				return clusterEvent(g, model.ClusterEventKindDeleted, true), true
			}
			return clusterEvent(g, model.ClusterEventKindChanged, false), true
		})
		return v.(*model.ClusterEvent), true
	}, func(ev *model.ClusterEvent) (string, int64) { return keyOfOwn(ev.ID), int64(ev.Version) }), nil
}

func clusterEvent(g store.ServerGroup, kind model.ClusterEventKind, deleted bool) *model.ClusterEvent {
	ev := &model.ClusterEvent{Kind: kind, ID: globalID("ServerGroup", g.ID), Version: int(g.Version)}
	if !deleted {
		ev.ServerGroup = toServerGroup(g, nil)
	}
	return ev
}

// loadBalancerUpdated streams an application's load balancers as clusterUpdated streams its
// server groups: a snapshot of each, then each change the caching agent publishes (weights
// included) and a deletion, newest version per load balancer.
func (r *Resolver) loadBalancerUpdated(ctx context.Context, application string) (<-chan *model.LoadBalancerEvent, error) {
	app, co, stop, err := r.listenApplication(ctx, application, bus.LoadBalancerChanged)
	if err != nil {
		return nil, err
	}
	lbs, err := r.Store.LoadBalancersByApplications(ctx, []string{app.ID})
	if err != nil {
		stop()
		return nil, err
	}
	events := make([]*model.LoadBalancerEvent, 0, len(lbs))
	for _, lb := range lbs {
		events = append(events, loadBalancerEvent(lb, model.LoadBalancerEventKindSnapshot, false))
	}
	return stream(ctx, co, stop, events, func(ev *event) (*model.LoadBalancerEvent, bool) {
		v, ok := ev.decodeOnce(func(be bus.Event) (any, bool) {
			if be.Deleted {
				return loadBalancerEvent(store.LoadBalancer{ID: be.ID, Version: be.Version}, model.LoadBalancerEventKindDeleted, true), true
			}
			var lb store.LoadBalancer
			if err := json.Unmarshal(be.Object, &lb); err != nil || lb.ID == "" {
				r.Log.Warn("dropping undecodable load balancer event", "load_balancer_id", be.ID, "error", err)
				return nil, false
			}
			return loadBalancerEvent(lb, model.LoadBalancerEventKindChanged, false), true
		})
		if !ok {
			return nil, false
		}
		return v.(*model.LoadBalancerEvent), true
	}, func(ev *model.LoadBalancerEvent) (string, int64) { return keyOfOwn(ev.ID), int64(ev.Version) }), nil
}

func loadBalancerEvent(lb store.LoadBalancer, kind model.LoadBalancerEventKind, deleted bool) *model.LoadBalancerEvent {
	ev := &model.LoadBalancerEvent{Kind: kind, ID: globalID("LoadBalancer", lb.ID), Version: int(lb.Version)}
	if !deleted {
		ev.LoadBalancer = toLoadBalancer(lb)
	}
	return ev
}
