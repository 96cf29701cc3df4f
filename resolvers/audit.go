package resolvers

import (
	"context"
	"slices"
	"time"

	"github.com/vektah/gqlparser/v2/ast"

	"github.com/gennaker/gennaker/auth"
	"github.com/gennaker/gennaker/graph/model"
	"github.com/gennaker/gennaker/store"
)

// The audit log is read through the top-level auditEvents query (any filter) and through
// each object's auditEvents connection. Reading it asks the authorizer for READ on every
// application whose events are shown; the nested connections of a list of objects are read
// through one dataloader, so N applications cost two statements, not 2N.

// auditTargetTypes are the types of objects that audit events are about.
var auditTargetTypes = []string{"Application", "Pipeline", "Execution", "ServerGroup", "Cluster"}

const auditPageSize = 25

// auditPageArgs checks first/after as every connection does, and that after is an audit
// event's cursor.
func auditPageArgs(first *int, after *string) (store.Page, error) {
	p, err := pageArgs(first, after, auditPageSize)
	if err != nil {
		return p, err
	}
	if _, err := store.AuditCursor(p.After); err != nil {
		return p, badInput("after", "INVALID_CURSOR", "%q is not a cursor of audit events", *after)
	}
	return p, nil
}

// auditFilter checks the query's filter, listing every problem at its path.
func auditFilter(in *model.AuditEventFilter) (store.AuditFilter, error) {
	var f store.AuditFilter
	if in == nil {
		return f, nil
	}
	var p problemsError
	f.Application, f.Actor, f.Action = deref(in.Application), deref(in.Actor), deref(in.Action)
	if in.TargetType != nil {
		f.TargetType = *in.TargetType
		if !slices.Contains(auditTargetTypes, f.TargetType) {
			p.add("filter.targetType", "UNKNOWN_TARGET_TYPE", "%q is not a type audit events are about: one of %v", f.TargetType, auditTargetTypes)
		}
	}
	if in.TargetID != nil {
		typ, key, ok := decodeID(*in.TargetID)
		switch {
		case !ok:
			p.add("filter.targetId", "INVALID_ID", "%q is not a Gennaker id", *in.TargetID)
		case !slices.Contains(auditTargetTypes, typ):
			p.add("filter.targetId", "UNKNOWN_TARGET_TYPE", "the id names a %s; audit events are about one of %v", typ, auditTargetTypes)
		case f.TargetType != "" && typ != f.TargetType:
			p.add("filter.targetId", "WRONG_ID_TYPE", "the id names a %s, not a %s as filter.targetType says", typ, f.TargetType)
		default:
			f.TargetType, f.TargetID = typ, key
		}
	}
	if in.Execution != nil {
		typ, key, ok := decodeID(*in.Execution)
		switch {
		case !ok:
			p.add("filter.execution", "INVALID_ID", "%q is not a Gennaker id", *in.Execution)
		case typ != "Execution":
			p.add("filter.execution", "WRONG_ID_TYPE", "the id names a %s, not an Execution", typ)
		default:
			f.ExecutionID = key
		}
	}
	if in.Since != nil {
		f.Since = *in.Since
	}
	if in.Until != nil {
		f.Until = *in.Until
	}
	if in.Since != nil && in.Until != nil && in.Since.After(*in.Until) {
		p.add("filter.until", "INVALID_TIME_RANGE", "until (%s) is before since (%s)", in.Until.Format(time.RFC3339), in.Since.Format(time.RFC3339))
	}
	return f, p.err()
}

// listAuditEvents answers the top-level query. A filter that names no application, target
// or execution spans every application: the caller needs READ on all of them ("*"), as the
// total counts them all.
func (r *Resolver) listAuditEvents(ctx context.Context, filter *model.AuditEventFilter, first *int, after *string) (*model.AuditEventConnection, error) {
	p, err := auditPageArgs(first, after)
	if err != nil {
		return nil, err
	}
	f, err := auditFilter(filter)
	if err != nil {
		return nil, err
	}
	switch {
	case f.Application != "":
		err = r.authorizeRead(ctx, f.Application)
	case f.TargetID == "" && f.ExecutionID == "":
		err = r.authorizeRead(ctx, "*")
	}
	if err != nil {
		return nil, err
	}
	rows, more, total, err := r.Store.ListAuditEvents(ctx, f, p)
	if err != nil {
		return nil, err
	}
	if err := r.authorizeAuditRows(ctx, rows); err != nil {
		return nil, err
	}
	return auditConnection(rows, more, total, p), nil
}

// auditEventsOf answers an object's auditEvents connection through the request's loader.
// application, when known, is checked before anything is read.
func (r *Resolver) auditEventsOf(ctx context.Context, scope store.AuditScope, key, application string, first *int, after *string) (*model.AuditEventConnection, error) {
	p, err := auditPageArgs(first, after)
	if err != nil {
		return nil, err
	}
	if application != "" {
		if err := r.authorizeRead(ctx, application); err != nil {
			return nil, err
		}
	}
	pg, err := r.loaders(ctx).auditEvents.Load(ctx, auditKey{scope: scope, key: key, page: p})
	if err != nil {
		return nil, err
	}
	if err := r.authorizeAuditRows(ctx, pg.Events); err != nil {
		return nil, err
	}
	return auditConnection(pg.Events, pg.More, pg.Total, p), nil
}

func auditConnection(rows []store.AuditEvent, more bool, total int64, p store.Page) *model.AuditEventConnection {
	nodes, cursors, pi := connection(rows, store.AuditKey, toAuditEvent, more, p.After != "")
	out := &model.AuditEventConnection{PageInfo: pi, TotalCount: int(total), Edges: make([]*model.AuditEventEdge, len(nodes))}
	for i, n := range nodes {
		out.Edges[i] = &model.AuditEventEdge{Cursor: cursors[i], Node: *n}
	}
	return out
}

// auditEvent loads one audit event for node(id:), if the caller may read it; a key that is
// not an event's is not found.
func (r *Resolver) auditEvent(ctx context.Context, key string) (store.AuditEvent, error) {
	id, err := store.AuditCursor(key)
	if err != nil || id == 0 {
		return store.AuditEvent{}, store.ErrNotFound
	}
	ev, err := r.Store.AuditEventByID(ctx, id)
	if err != nil {
		return ev, err
	}
	return ev, r.authorizeAuditRows(ctx, []store.AuditEvent{ev})
}

// authorizeRead asks the authorizer whether the caller may read these applications ("*":
// every application). Unlike a mutation's, a read is not audited.
func (r *Resolver) authorizeRead(ctx context.Context, applications ...string) error {
	who, ok := auth.FromContext(ctx)
	if !ok {
		who = auth.Identity{}
	}
	for _, name := range applications {
		if err := r.Auth.Authorize(ctx, who, auth.Read, auth.Resource{Type: "Application", Name: name}); err != nil {
			r.Log.WarnContext(ctx, "read refused", "user", who.Name, "resource", name, "error", err)
			return err
		}
	}
	return nil
}

// authorizeAuditRows checks READ on the application of every event about to be shown; an
// event filed under no application needs READ on every application.
func (r *Resolver) authorizeAuditRows(ctx context.Context, rows []store.AuditEvent) error {
	var apps []string
	for _, ev := range rows {
		name := ev.ApplicationName
		if name == "" {
			name = "*"
		}
		if !slices.Contains(apps, name) {
			apps = append(apps, name)
		}
	}
	return r.authorizeRead(ctx, apps...)
}

// auditKey asks the loader for one page of one object's audit events.
type auditKey struct {
	scope store.AuditScope
	key   string
	page  store.Page
}

// auditPages is the loader's batch: keys that share a scope and a page (every object of a
// list, asked with the same arguments) are read together in two statements.
func auditPages(s *store.Store) func(context.Context, []auditKey) (map[auditKey]store.AuditPage, error) {
	type group struct {
		scope store.AuditScope
		page  store.Page
	}
	return func(ctx context.Context, keys []auditKey) (map[auditKey]store.AuditPage, error) {
		groups := map[group][]string{}
		for _, k := range keys {
			g := group{k.scope, k.page}
			groups[g] = append(groups[g], k.key)
		}
		out := make(map[auditKey]store.AuditPage, len(keys))
		for g, ids := range groups {
			pages, err := s.AuditEventsOf(ctx, g.scope, ids, g.page)
			if err != nil {
				return nil, err
			}
			for id, pg := range pages {
				out[auditKey{scope: g.scope, key: id, page: g.page}] = pg
			}
		}
		return out, nil
	}
}

// prefetchAuditEvents loads, for a list of applications, every auditEvents connection the
// selection of their node asks for, in one batch each: the loader's time window alone
// would batch them only as far as the list's resolvers run at once.
func (r *Resolver) prefetchAuditEvents(ctx context.Context, names []string, nodeSel ast.SelectionSet) error {
	l := r.loaders(ctx)
	for _, c := range selectedConnections(ctx, nodeSel, "auditEvents") {
		p, err := auditPageArgs(c.first, c.after)
		if err != nil {
			continue
		}
		keys := make([]auditKey, len(names))
		for i, n := range names {
			keys[i] = auditKey{scope: store.AuditOfApplication, key: n, page: p}
		}
		if _, err := l.auditEvents.LoadAll(ctx, keys); err != nil {
			return err
		}
	}
	return nil
}
