package store

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// ExecutionFilter narrows a list of executions.
type ExecutionFilter struct {
	ApplicationIDs []string
	PipelineIDs    []string
	Statuses       []string
}

// ListExecutions returns one page of executions, newest first, whether more follow and how
// many match in all. The page's After is an execution id.
func (s *Store) ListExecutions(ctx context.Context, f ExecutionFilter, p Page) ([]Execution, bool, int64, error) {
	q := s.db.WithContext(ctx).Model(&Execution{}).Omit("definition")
	if f.ApplicationIDs != nil {
		q = q.Where("application_id IN ?", f.ApplicationIDs)
	}
	if f.PipelineIDs != nil {
		q = q.Where("pipeline_id IN ?", f.PipelineIDs)
	}
	if len(f.Statuses) > 0 {
		q = q.Where("status IN ?", f.Statuses)
	}
	var total int64
	if err := q.Session(&gorm.Session{}).Count(&total).Error; err != nil {
		return nil, false, 0, fmt.Errorf("counting executions: %w", err)
	}
	if p.After != "" {
		q = q.Where("id < ?", p.After)
	}
	out, more, err := readPage[Execution](q, "id DESC", p.First, "executions")
	return out, more, total, err
}

// ExecutionsByIDs returns the executions with these ids, without stages.
func (s *Store) ExecutionsByIDs(ctx context.Context, ids []string) ([]Execution, error) {
	var out []Execution
	err := s.db.WithContext(ctx).Where("id IN ?", ids).Find(&out).Error
	return out, translate(err)
}

// Execution returns an execution with its stages and their tasks.
func (s *Store) Execution(ctx context.Context, id string) (Execution, error) {
	return loadExecution(s.db.WithContext(ctx), id)
}

func loadExecution(db *gorm.DB, id string) (Execution, error) {
	var e Execution
	if err := db.Take(&e, "id = ?", id).Error; err != nil {
		return e, translate(err)
	}
	stages, err := stagesOf(db, []string{id})
	if err != nil {
		return e, err
	}
	e.Stages = stages[id]
	return e, nil
}

// StagesByExecutions returns the stages, with their tasks, of these executions.
func (s *Store) StagesByExecutions(ctx context.Context, ids []string) (map[string][]Stage, error) {
	return stagesOf(s.db.WithContext(ctx), ids)
}

func stagesOf(db *gorm.DB, execIDs []string) (map[string][]Stage, error) {
	var stages []Stage
	if err := db.Where("execution_id IN ?", execIDs).Order("execution_id, id").Find(&stages).Error; err != nil {
		return nil, fmt.Errorf("reading stages: %w", err)
	}
	var tasks []Task
	if err := db.Where("execution_id IN ?", execIDs).Order("stage_id, position").Find(&tasks).Error; err != nil {
		return nil, fmt.Errorf("reading tasks: %w", err)
	}
	byStage := make(map[string][]Task)
	for _, t := range tasks {
		byStage[t.StageID] = append(byStage[t.StageID], t)
	}
	out := make(map[string][]Stage, len(execIDs))
	for _, st := range stages {
		st.Tasks = byStage[st.ID]
		out[st.ExecutionID] = append(out[st.ExecutionID], st)
	}
	return out, nil
}

// StageByID returns a stage with its tasks.
func (s *Store) StageByID(ctx context.Context, id string) (Stage, error) {
	var st Stage
	if err := s.db.WithContext(ctx).Take(&st, "id = ?", id).Error; err != nil {
		return st, translate(err)
	}
	if err := s.db.WithContext(ctx).Where("stage_id = ?", id).Order("position").Find(&st.Tasks).Error; err != nil {
		return st, translate(err)
	}
	return st, nil
}

// CreateExecution inserts a new execution with its stages (NOT_STARTED) in one transaction
// with the audit record. The caller sets the ids (store.NewID) so that the command that
// starts the execution can name it before the row exists.
func (s *Store) CreateExecution(ctx context.Context, e Execution, audit Audit) error {
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		stages := e.Stages
		if err := tx.Omit("Stages").Create(&e).Error; err != nil {
			return fmt.Errorf("creating execution: %w", translate(err))
		}
		for i := range stages {
			stages[i].ExecutionID = e.ID
			if err := tx.Omit("Tasks").Create(&stages[i]).Error; err != nil {
				return fmt.Errorf("creating stage %s: %w", stages[i].RefID, translate(err))
			}
		}
		return writeAudit(tx, audit, auditRef{targetType: "Execution", targetID: e.ID,
			application: e.ApplicationName, executionID: e.ID})
	})
}

// ExecutionChange is what one engine step writes: the execution row, and the stages and
// tasks it changed.
type ExecutionChange struct {
	Execution Execution
	Stages    []Stage
	// Tasks are changed tasks; NewTasks are inserted (a stage starting). Keeping the two apart
	// matters on MySQL: an UPDATE of a missing row takes a gap lock, and with time-ordered ids
	// concurrent transactions would lock the same gap and deadlock on their INSERTs.
	Tasks    []Task
	NewTasks []Task
	// ClearTasksOf deletes the tasks of these stages first (a restarted stage).
	ClearTasksOf []string
	// Notifications are the outbox rows of the change's events; one already written is kept.
	Notifications []Notification
}

// CommitExecution writes a change in one transaction if the execution is still at version
// expected, and returns the new version. A concurrent change is ErrConflict: the caller
// reloads and decides again.
func (s *Store) CommitExecution(ctx context.Context, ch ExecutionChange, expected int64) (int64, error) {
	e := ch.Execution
	e.Version = expected + 1
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		res := tx.Model(&Execution{}).Where("id = ? AND version = ?", e.ID, expected).
			Select("status", "context", "started_at", "ended_at", "paused_at", "paused_ms", "canceled",
				"canceled_by", "cancel_reason", "updated_at", "version").Updates(&e)
		if res.Error != nil {
			return fmt.Errorf("updating execution: %w", res.Error)
		}
		if res.RowsAffected == 0 {
			return fmt.Errorf("%w: execution %s is no longer at version %d", ErrConflict, e.ID, expected)
		}
		if len(ch.ClearTasksOf) > 0 {
			if err := tx.Where("stage_id IN ?", ch.ClearTasksOf).Delete(&Task{}).Error; err != nil {
				return fmt.Errorf("clearing tasks: %w", err)
			}
		}
		for _, st := range ch.Stages {
			if err := tx.Model(&Stage{}).Where("id = ?", st.ID).Select("status", "context", "outputs", "error",
				"attempt", "started_at", "ended_at").Updates(&st).Error; err != nil {
				return fmt.Errorf("updating stage %s: %w", st.RefID, err)
			}
		}
		if len(ch.NewTasks) > 0 {
			if err := tx.Create(&ch.NewTasks).Error; err != nil {
				return fmt.Errorf("creating tasks: %w", translate(err))
			}
		}
		for _, t := range ch.Tasks {
			if err := tx.Model(&Task{}).Where("id = ?", t.ID).Select("status", "attempts", "error", "started_at", "ended_at").Updates(&t).Error; err != nil {
				return fmt.Errorf("updating task %s: %w", t.Name, err)
			}
		}
		return insertNotifications(tx, ch.Notifications)
	})
	return e.Version, translateTx(err)
}

// CountActive counts a pipeline's executions that hold a concurrency slot: RUNNING, PAUSED
// (a paused run keeps its slot) and SUSPENDED, other than except.
func (s *Store) CountActive(ctx context.Context, pipelineID, except string) (int64, error) {
	var n int64
	err := s.db.WithContext(ctx).Model(&Execution{}).
		Where("pipeline_id = ? AND status IN ? AND id <> ?", pipelineID, []string{"RUNNING", "PAUSED", "SUSPENDED"}, except).
		Count(&n).Error
	return n, err
}

// WaitingExecutions lists a pipeline's BUFFERED executions, oldest first.
func (s *Store) WaitingExecutions(ctx context.Context, pipelineID string) ([]Execution, error) {
	var out []Execution
	err := s.db.WithContext(ctx).Omit("definition").Where("pipeline_id = ? AND status = ?", pipelineID, "BUFFERED").
		Order("id").Find(&out).Error
	return out, err
}

// StaleExecutions lists executions that are not finished and have not changed since before:
// the watchdog re-queues them.
func (s *Store) StaleExecutions(ctx context.Context, before time.Time, limit int) ([]Execution, error) {
	var out []Execution
	err := s.db.WithContext(ctx).Omit("definition", "context").
		Where("status IN ? AND updated_at < ?", []string{"NOT_STARTED", "BUFFERED", "RUNNING", "SUSPENDED"}, before).
		Order("updated_at").Limit(limit).Find(&out).Error
	return out, err
}

// Touch moves an execution's updated_at without changing its version (the watchdog's mark
// that it re-queued it).
func (s *Store) Touch(ctx context.Context, id string) error {
	return s.db.WithContext(ctx).Model(&Execution{}).Where("id = ?", id).UpdateColumn("updated_at", time.Now().UTC()).Error
}

// ClaimSlot moves a NOT_STARTED or BUFFERED execution of a pipeline to RUNNING when fewer
// than limit of the pipeline's executions hold a slot (limit 0: no limit) and no older one
// is waiting, else to BUFFERED.
// The check and the write are one transaction holding the pipeline row (on MySQL) or the
// database (SQLite's single writer), so two starts cannot both take the last slot.
func (s *Store) ClaimSlot(ctx context.Context, e Execution, expected int64, limit int) (bool, int64, error) {
	running := false
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if e.PipelineID != nil && limit > 0 {
			q := s.forUpdate(tx).Model(&Pipeline{}).Select("id").Where("id = ?", *e.PipelineID)
			var ids []string
			if err := q.Find(&ids).Error; err != nil {
				return fmt.Errorf("locking pipeline: %w", err)
			}
			var n int64
			if err := tx.Model(&Execution{}).Where("pipeline_id = ? AND status IN ? AND id <> ?", *e.PipelineID,
				[]string{"RUNNING", "PAUSED", "SUSPENDED"}, e.ID).Count(&n).Error; err != nil {
				return err
			}
			// Waiting executions start in order: none starts while an older one waits.
			var older int64
			if err := tx.Model(&Execution{}).Where("pipeline_id = ? AND status = ? AND id < ?", *e.PipelineID,
				"BUFFERED", e.ID).Count(&older).Error; err != nil {
				return err
			}
			running = n < int64(limit) && older == 0
		} else {
			running = true
		}
		now := time.Now().UTC()
		upd := map[string]any{"version": expected + 1, "updated_at": now}
		if running {
			upd["status"], upd["started_at"] = "RUNNING", now
		} else {
			upd["status"] = "BUFFERED"
		}
		res := tx.Model(&Execution{}).Where("id = ? AND version = ?", e.ID, expected).Updates(upd)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return fmt.Errorf("%w: execution %s is no longer at version %d", ErrConflict, e.ID, expected)
		}
		return nil
	})
	return running, expected + 1, translateTx(err)
}

// NewestExecutions returns, for each application, its newest n executions (newest first,
// without definitions), and how many executions each has in all: the first page of
// Application.executions for a whole list of applications in three statements.
func (s *Store) NewestExecutions(ctx context.Context, appIDs []string, n int) (map[string][]Execution, map[string]int64, error) {
	db := s.db.WithContext(ctx)
	ranked := db.Model(&Execution{}).
		Select("id, ROW_NUMBER() OVER (PARTITION BY application_id ORDER BY id DESC) AS newest").
		Where("application_id IN ?", appIDs)
	var ids []string
	if err := db.Table("(?) AS ranked", ranked).Where("newest <= ?", n).Pluck("id", &ids).Error; err != nil {
		return nil, nil, fmt.Errorf("listing the newest executions: %w", err)
	}
	var rows []Execution
	if len(ids) > 0 {
		if err := db.Omit("definition").Where("id IN ?", ids).Order("id DESC").Find(&rows).Error; err != nil {
			return nil, nil, fmt.Errorf("reading the newest executions: %w", err)
		}
	}
	var counts []struct {
		ApplicationID string
		N             int64
	}
	if err := db.Model(&Execution{}).Select("application_id, COUNT(*) AS n").Where("application_id IN ?", appIDs).
		Group("application_id").Scan(&counts).Error; err != nil {
		return nil, nil, fmt.Errorf("counting executions: %w", err)
	}
	out := make(map[string][]Execution, len(appIDs))
	for _, e := range rows {
		out[e.ApplicationID] = append(out[e.ApplicationID], e)
	}
	totals := make(map[string]int64, len(counts))
	for _, c := range counts {
		totals[c.ApplicationID] = c.N
	}
	return out, totals, nil
}
