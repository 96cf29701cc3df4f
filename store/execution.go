package store

import (
	"context"
	"fmt"

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
	var out []Execution
	if err := q.Order("id DESC").Limit(p.First + 1).Find(&out).Error; err != nil {
		return nil, false, 0, fmt.Errorf("listing executions: %w", err)
	}
	more := len(out) > p.First
	if more {
		out = out[:p.First]
	}
	return out, more, total, nil
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
		return writeAudit(tx, audit, "Execution", e.ID)
	})
}

// RecordAudit writes an audit event on its own, for actions whose effect the engine commits
// later (cancel, pause, judgment …).
func (s *Store) RecordAudit(ctx context.Context, audit Audit, targetType, targetID string) error {
	return writeAudit(s.db.WithContext(ctx), audit, targetType, targetID)
}
