package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// Pipeline returns a pipeline by id.
func (s *Store) Pipeline(ctx context.Context, id string) (Pipeline, error) {
	var p Pipeline
	err := s.db.WithContext(ctx).Take(&p, "id = ?", id).Error
	return p, translate(err)
}

// PipelineByName returns the pipeline of an application by its name.
func (s *Store) PipelineByName(ctx context.Context, applicationID, name string) (Pipeline, error) {
	var p Pipeline
	err := s.db.WithContext(ctx).Take(&p, "application_id = ? AND name = ?", applicationID, name).Error
	return p, translate(err)
}

// PipelinesByIDs returns the pipelines with these ids.
func (s *Store) PipelinesByIDs(ctx context.Context, ids []string) ([]Pipeline, error) {
	var ps []Pipeline
	err := s.db.WithContext(ctx).Where("id IN ?", ids).Find(&ps).Error
	return ps, translate(err)
}

// PipelinesByApplications returns every pipeline of these applications, ordered by name.
func (s *Store) PipelinesByApplications(ctx context.Context, appIDs []string) ([]Pipeline, error) {
	var ps []Pipeline
	err := s.db.WithContext(ctx).Where("application_id IN ?", appIDs).Order("name").Find(&ps).Error
	return ps, translate(err)
}

// SavePipeline creates the pipeline when p.ID is empty, or updates it. On update, a
// non-nil version must equal the stored one (else ErrConflict). A name taken by another
// pipeline of the application is ErrConflict.
func (s *Store) SavePipeline(ctx context.Context, p Pipeline, version *int64, audit Audit) (Pipeline, error) {
	now := time.Now().UTC()
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		ref, err := pipelineAuditRef(tx, p)
		if err != nil {
			return err
		}
		if p.ID == "" {
			p.ID, p.CreatedAt, p.UpdatedAt, p.Version = NewID(), now, now, 1
			if err := tx.Create(&p).Error; err != nil {
				if errors.Is(translate(err), ErrConflict) {
					return fmt.Errorf("%w: the application has a pipeline named %q", ErrConflict, p.Name)
				}
				return fmt.Errorf("creating pipeline: %w", err)
			}
			if err := writeTriggerIndex(tx, p.ID, p.Definition); err != nil {
				return err
			}
			p.TriggersIndexed = true
			ref.targetID = p.ID
			return writeAudit(tx, audit, ref)
		}
		var cur Pipeline
		if err := tx.Take(&cur, "id = ?", p.ID).Error; err != nil {
			return translate(err)
		}
		if cur.ApplicationID != p.ApplicationID {
			return fmt.Errorf("%w: a pipeline cannot move to another application", ErrConflict)
		}
		if version != nil && *version != cur.Version {
			return fmt.Errorf("%w: pipeline %q is at version %d, not %d", ErrConflict, cur.Name, cur.Version, *version)
		}
		res := tx.Model(&Pipeline{}).Where("id = ? AND version = ?", p.ID, cur.Version).Updates(map[string]any{
			"name": p.Name, "definition": p.Definition, "updated_at": now, "updated_by": p.UpdatedBy, "version": cur.Version + 1,
		})
		if res.Error != nil {
			if errors.Is(translate(res.Error), ErrConflict) {
				return fmt.Errorf("%w: the application has a pipeline named %q", ErrConflict, p.Name)
			}
			return fmt.Errorf("updating pipeline: %w", res.Error)
		}
		if res.RowsAffected == 0 {
			return fmt.Errorf("%w: pipeline %q changed meanwhile", ErrConflict, cur.Name)
		}
		p.CreatedAt, p.UpdatedAt, p.Version = cur.CreatedAt, now, cur.Version+1
		if err := writeTriggerIndex(tx, p.ID, p.Definition); err != nil {
			return err
		}
		p.TriggersIndexed = true
		return writeAudit(tx, audit, ref)
	})
	return p, err
}

// DeletePipeline deletes a pipeline. Its past executions stay (their pipeline reads as
// null); it is ErrInUse while an execution of it is in progress.
func (s *Store) DeletePipeline(ctx context.Context, id string, audit Audit) error {
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var p Pipeline
		if err := tx.Take(&p, "id = ?", id).Error; err != nil {
			return translate(err)
		}
		var n int64
		if err := tx.Model(&Execution{}).Where("pipeline_id = ? AND status IN ?", id, ActiveStatuses).Count(&n).Error; err != nil {
			return err
		}
		if n > 0 {
			return fmt.Errorf("%w: pipeline %q has %d executions in progress; cancel them first", ErrInUse, p.Name, n)
		}
		ref, err := pipelineAuditRef(tx, p)
		if err != nil {
			return err
		}
		if err := tx.Delete(&Pipeline{}, "id = ?", id).Error; err != nil {
			return fmt.Errorf("deleting pipeline: %w", err)
		}
		return writeAudit(tx, audit, ref)
	})
}

// pipelineAuditRef files a pipeline's audit event under its application's name.
func pipelineAuditRef(tx *gorm.DB, p Pipeline) (auditRef, error) {
	var names []string
	if err := tx.Model(&Application{}).Where("id = ?", p.ApplicationID).Pluck("name", &names).Error; err != nil {
		return auditRef{}, fmt.Errorf("reading the pipeline's application: %w", err)
	}
	ref := auditRef{targetType: "Pipeline", targetID: p.ID}
	if len(names) > 0 {
		ref.application = names[0]
	}
	return ref, nil
}
