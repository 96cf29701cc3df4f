package store

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"
)

// Audit says who did what; every mutation writes one in its transaction.
type Audit struct {
	Actor  string
	Action string
	Detail map[string]any
	// Target names what the action changes when that is not the row the store call writes:
	// the server group or cluster an orchestration acts on. Left empty, the event's target
	// is that row (the application, pipeline or execution).
	Target AuditTarget
}

// AuditTarget is what an audit event is about: a type (Application, Pipeline, Execution,
// ServerGroup, Cluster) and the id of its row.
type AuditTarget struct {
	Type string
	ID   string
}

// auditRef is where the store files an audit event: its target unless the Audit names
// another, the application's name, and the execution the action started or acted on.
type auditRef struct {
	targetType, targetID string
	application          string
	executionID          string
}

func writeAudit(tx *gorm.DB, a Audit, ref auditRef) error {
	if a.Target.Type != "" {
		ref.targetType, ref.targetID = a.Target.Type, a.Target.ID
	}
	ev := AuditEvent{At: time.Now().UTC(), Actor: a.Actor, Action: a.Action,
		TargetType: ref.targetType, TargetID: ref.targetID, Detail: a.Detail,
		ApplicationName: ref.application, ExecutionID: ref.executionID}
	if err := tx.Create(&ev).Error; err != nil {
		return fmt.Errorf("writing audit event: %w", err)
	}
	return nil
}

// RecordAudit writes an audit event on its own, for an action on an execution whose effect
// the engine commits later (cancel, pause, judgment …): filed under the execution and its
// application.
func (s *Store) RecordAudit(ctx context.Context, audit Audit, e Execution) error {
	return writeAudit(s.db.WithContext(ctx), audit, auditRef{targetType: "Execution", targetID: e.ID,
		application: e.ApplicationName, executionID: e.ID})
}

// AuditEvents lists the newest audit events of a target, newest first.
func (s *Store) AuditEvents(ctx context.Context, targetType, targetID string, limit int) ([]AuditEvent, error) {
	var evs []AuditEvent
	err := s.db.WithContext(ctx).Where("target_type = ? AND target_id = ?", targetType, targetID).
		Order("id DESC").Limit(limit).Find(&evs).Error
	return evs, translate(err)
}

// AuditFilter narrows a list of audit events; a zero field does not narrow.
type AuditFilter struct {
	// Application keeps the events of the application of this name, whatever their target.
	Application string
	TargetType  string
	TargetID    string
	// ExecutionID keeps the events that started or acted on this execution.
	ExecutionID string
	Actor       string
	Action      string
	// Since keeps the events at or after it; Until those before it.
	Since, Until time.Time
}

func (f AuditFilter) apply(q *gorm.DB) *gorm.DB {
	for _, c := range []struct{ col, v string }{
		{"application_name", f.Application}, {"target_type", f.TargetType}, {"target_id", f.TargetID},
		{"execution_id", f.ExecutionID}, {"actor", f.Actor}, {"action", f.Action},
	} {
		if c.v != "" {
			q = q.Where(c.col+" = ?", c.v)
		}
	}
	if !f.Since.IsZero() {
		q = q.Where("at >= ?", f.Since.UTC())
	}
	if !f.Until.IsZero() {
		q = q.Where("at < ?", f.Until.UTC())
	}
	return q
}

// AuditCursor parses the key of an audit event's cursor (its id, in decimal); "" is the
// start. The error says the key is not one.
func AuditCursor(after string) (int64, error) {
	if after == "" {
		return 0, nil
	}
	id, err := strconv.ParseInt(after, 10, 64)
	if err != nil || id <= 0 {
		return 0, fmt.Errorf("%q is not an audit event id", after)
	}
	return id, nil
}

// AuditKey is the cursor key of an audit event, for Page.After.
func AuditKey(ev AuditEvent) string { return strconv.FormatInt(ev.ID, 10) }

// ListAuditEvents returns one page of audit events, newest first (by id: the order they were
// committed in on SQLite, and of their inserts on MySQL), whether more follow and how many
// match in all. The page's After is an event's key (AuditKey); one that is not is an error.
func (s *Store) ListAuditEvents(ctx context.Context, f AuditFilter, p Page) ([]AuditEvent, bool, int64, error) {
	after, err := AuditCursor(p.After)
	if err != nil {
		return nil, false, 0, fmt.Errorf("listing audit events: %w", err)
	}
	q := f.apply(s.db.WithContext(ctx).Model(&AuditEvent{}))
	var total int64
	if err := q.Session(&gorm.Session{}).Count(&total).Error; err != nil {
		return nil, false, 0, fmt.Errorf("counting audit events: %w", err)
	}
	if after > 0 {
		q = q.Where("id < ?", after)
	}
	out, more, err := readPage[AuditEvent](q, "id DESC", p.First, "audit events")
	return out, more, total, err
}

// AuditEventByID returns one audit event.
func (s *Store) AuditEventByID(ctx context.Context, id int64) (AuditEvent, error) {
	var ev AuditEvent
	err := s.db.WithContext(ctx).Take(&ev, "id = ?", id).Error
	return ev, translate(err)
}

// AuditScope says whose audit events AuditEventsOf lists.
type AuditScope struct {
	column, targetType string
}

// The scopes of AuditEventsOf.
var (
	// AuditOfApplication: keys are application names; every event of each application.
	AuditOfApplication = AuditScope{column: "application_name"}
	// AuditOfExecution: keys are execution ids; the events that started or acted on each.
	AuditOfExecution = AuditScope{column: "execution_id"}
)

// AuditOfTarget: keys are ids of objects of this type; the events whose target each is.
func AuditOfTarget(targetType string) AuditScope {
	return AuditScope{column: "target_id", targetType: targetType}
}

// AuditPage is one page of the audit events of one key: newest first, whether more follow,
// and how many there are in all.
type AuditPage struct {
	Events []AuditEvent
	More   bool
	Total  int64
}

// AuditEventsOf returns the same page (p) of the audit events of each key, in two
// statements however many keys: one counts them all (GROUP BY), one reads each key's page
// (a UNION ALL of one index range per key, so that a key with a long history costs its
// page, not its history). Every key is in the map, with an empty page when it has none.
func (s *Store) AuditEventsOf(ctx context.Context, scope AuditScope, keys []string, p Page) (map[string]AuditPage, error) {
	out := make(map[string]AuditPage, len(keys))
	keys = slices.Compact(slices.Sorted(slices.Values(keys)))
	for _, k := range keys {
		out[k] = AuditPage{Events: []AuditEvent{}}
	}
	if len(keys) == 0 {
		return out, nil
	}
	after, err := AuditCursor(p.After)
	if err != nil {
		return nil, fmt.Errorf("listing audit events: %w", err)
	}
	db := s.db.WithContext(ctx)
	where, args := scope.column+" = ?", []any{}
	if scope.targetType != "" {
		where = "target_type = ? AND " + where
	}
	var counts []struct {
		K string
		N int64
	}
	cq := db.Model(&AuditEvent{}).Select(scope.column+" AS k, COUNT(*) AS n").Where(scope.column+" IN ?", keys)
	if scope.targetType != "" {
		cq = cq.Where("target_type = ?", scope.targetType)
	}
	if err := cq.Group(scope.column).Scan(&counts).Error; err != nil {
		return nil, fmt.Errorf("counting audit events: %w", err)
	}
	for _, c := range counts {
		pg := out[c.K]
		pg.Total = c.N
		out[c.K] = pg
	}

	// Every key with events gets its own range; the others cost nothing.
	parts := make([]string, 0, len(keys))
	for _, k := range keys {
		if out[k].Total == 0 {
			continue
		}
		part := "SELECT * FROM (SELECT * FROM audit_events WHERE " + where
		if scope.targetType != "" {
			args = append(args, scope.targetType)
		}
		args = append(args, k)
		if after > 0 {
			part += " AND id < ?"
			args = append(args, after)
		}
		parts = append(parts, part+" ORDER BY id DESC LIMIT ?) AS t")
		args = append(args, p.First+1)
	}
	if len(parts) == 0 {
		return out, nil
	}
	var rows []AuditEvent
	if err := db.Raw(strings.Join(parts, " UNION ALL "), args...).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("listing audit events: %w", err)
	}
	// A UNION keeps no order: each key's rows are sorted here.
	slices.SortFunc(rows, func(a, b AuditEvent) int { return cmp.Compare(b.ID, a.ID) })
	for _, ev := range rows {
		k := ev.ApplicationName
		switch scope.column {
		case "execution_id":
			k = ev.ExecutionID
		case "target_id":
			k = ev.TargetID
		}
		pg := out[k]
		pg.Events = append(pg.Events, ev)
		out[k] = pg
	}
	for k, pg := range out {
		if len(pg.Events) > p.First {
			pg.Events, pg.More = pg.Events[:p.First], true
			out[k] = pg
		}
	}
	return out, nil
}
