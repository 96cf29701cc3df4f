package store

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
)

// ApplicationFilter narrows a list of applications.
type ApplicationFilter struct {
	// Search is a case-insensitive substring of the name, description or owner.
	Search string
	// Criticality keeps applications of these criticalities; empty keeps all.
	Criticality []string
}

// Page asks for First rows after the row with key After (empty for the first page).
type Page struct {
	First int
	After string
}

// readPage reads up to first rows of q in order, asking for one more to tell whether more
// follow.
func readPage[T any](q *gorm.DB, order string, first int, what string) ([]T, bool, error) {
	var rows []T
	if err := q.Order(order).Limit(first + 1).Find(&rows).Error; err != nil {
		return nil, false, fmt.Errorf("listing %s: %w", what, err)
	}
	if len(rows) > first {
		return rows[:first], true, nil
	}
	return rows, false, nil
}

// ListApplications returns one page of applications ordered by name, whether more follow,
// and how many match in all.
func (s *Store) ListApplications(ctx context.Context, f ApplicationFilter, p Page) ([]Application, bool, int64, error) {
	q := s.db.WithContext(ctx).Model(&Application{})
	if f.Search != "" {
		like := "%" + strings.ToLower(f.Search) + "%"
		q = q.Where("LOWER(name) LIKE ? OR LOWER(description) LIKE ? OR LOWER(owner_email) LIKE ?", like, like, like)
	}
	if len(f.Criticality) > 0 {
		q = q.Where("criticality IN ?", f.Criticality)
	}
	var total int64
	if err := q.Session(&gorm.Session{}).Count(&total).Error; err != nil {
		return nil, false, 0, fmt.Errorf("counting applications: %w", err)
	}
	if p.After != "" {
		q = q.Where("name > ?", p.After)
	}
	apps, more, err := readPage[Application](q, "name", p.First, "applications")
	return apps, more, total, err
}

// Application returns an application by id.
func (s *Store) Application(ctx context.Context, id string) (Application, error) {
	var a Application
	err := s.db.WithContext(ctx).Take(&a, "id = ?", id).Error
	return a, translate(err)
}

// ApplicationByName returns an application by name.
func (s *Store) ApplicationByName(ctx context.Context, name string) (Application, error) {
	var a Application
	err := s.db.WithContext(ctx).Take(&a, "name = ?", name).Error
	return a, translate(err)
}

// ApplicationsByIDs returns the applications with these ids, in no particular order.
func (s *Store) ApplicationsByIDs(ctx context.Context, ids []string) ([]Application, error) {
	var apps []Application
	err := s.db.WithContext(ctx).Where("id IN ?", ids).Find(&apps).Error
	return apps, translate(err)
}

// CreateApplication inserts a new application with a new id and version 1. A taken name is
// ErrConflict.
func (s *Store) CreateApplication(ctx context.Context, a Application, audit Audit) (Application, error) {
	now := time.Now().UTC()
	a.ID, a.CreatedAt, a.UpdatedAt, a.Version = NewID(), now, now, 1
	if a.CloudProviders == nil {
		a.CloudProviders = StringList{}
	}
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Create(&a).Error; err != nil {
			if errors.Is(translate(err), ErrConflict) {
				return fmt.Errorf("%w: an application named %q exists", ErrConflict, a.Name)
			}
			return fmt.Errorf("creating application: %w", err)
		}
		return writeAudit(tx, audit, auditRef{targetType: "Application", targetID: a.ID, application: a.Name})
	})
	return a, err
}

// ApplicationUpdate holds the fields to change; nil leaves a field as it is.
type ApplicationUpdate struct {
	// Version, when set, must equal the stored version or the update is ErrConflict.
	Version        *int64
	Description    *string
	OwnerEmail     *string
	Criticality    *string
	CloudProviders []string
}

// UpdateApplication changes an application and bumps its version.
func (s *Store) UpdateApplication(ctx context.Context, id string, u ApplicationUpdate, audit Audit) (Application, error) {
	var out Application
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var cur Application
		if err := tx.Take(&cur, "id = ?", id).Error; err != nil {
			return translate(err)
		}
		if u.Version != nil && *u.Version != cur.Version {
			return fmt.Errorf("%w: application %q is at version %d, not %d", ErrConflict, cur.Name, cur.Version, *u.Version)
		}
		if u.Description != nil {
			cur.Description = *u.Description
		}
		if u.OwnerEmail != nil {
			cur.OwnerEmail = *u.OwnerEmail
		}
		if u.Criticality != nil {
			cur.Criticality = *u.Criticality
		}
		if u.CloudProviders != nil {
			cur.CloudProviders = u.CloudProviders
		}
		cur.UpdatedAt = time.Now().UTC()
		res := tx.Model(&Application{}).Where("id = ? AND version = ?", id, cur.Version).Updates(map[string]any{
			"description": cur.Description, "owner_email": cur.OwnerEmail, "criticality": cur.Criticality,
			"cloud_providers": cur.CloudProviders, "updated_at": cur.UpdatedAt, "version": cur.Version + 1,
		})
		if res.Error != nil {
			return fmt.Errorf("updating application: %w", res.Error)
		}
		if res.RowsAffected == 0 {
			return fmt.Errorf("%w: application %q changed meanwhile", ErrConflict, cur.Name)
		}
		cur.Version++
		out = cur
		return writeAudit(tx, audit, auditRef{targetType: "Application", targetID: id, application: cur.Name})
	})
	return out, err
}

// DeleteApplication deletes an application with its pipelines and finished executions.
// It is ErrInUse while the application has server groups or load balancers, or running
// executions.
func (s *Store) DeleteApplication(ctx context.Context, id string, audit Audit) error {
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var a Application
		if err := tx.Take(&a, "id = ?", id).Error; err != nil {
			return translate(err)
		}
		var n int64
		if err := tx.Model(&ServerGroup{}).Where("application_id = ?", id).Count(&n).Error; err != nil {
			return err
		}
		if n > 0 {
			return fmt.Errorf("%w: application %q still has %d server groups; destroy them first", ErrInUse, a.Name, n)
		}
		if err := tx.Model(&LoadBalancer{}).Where("application_id = ?", id).Count(&n).Error; err != nil {
			return err
		}
		if n > 0 {
			return fmt.Errorf("%w: application %q still has %d load balancers", ErrInUse, a.Name, n)
		}
		if err := tx.Model(&Execution{}).Where("application_id = ? AND status IN ?", id, ActiveStatuses).Count(&n).Error; err != nil {
			return err
		}
		if n > 0 {
			return fmt.Errorf("%w: application %q has %d executions in progress; cancel them first", ErrInUse, a.Name, n)
		}
		if err := tx.Where("application_id = ?", id).Delete(&Execution{}).Error; err != nil {
			return fmt.Errorf("deleting executions: %w", err)
		}
		if err := tx.Where("application_id = ?", id).Delete(&Pipeline{}).Error; err != nil {
			return fmt.Errorf("deleting pipelines: %w", err)
		}
		if err := tx.Where("application_id = ?", id).Delete(&Cluster{}).Error; err != nil {
			return fmt.Errorf("deleting clusters: %w", err)
		}
		if err := tx.Delete(&Application{}, "id = ?", id).Error; err != nil {
			return fmt.Errorf("deleting application: %w", translate(err))
		}
		return writeAudit(tx, audit, auditRef{targetType: "Application", targetID: id, application: a.Name})
	})
}

// ActiveStatuses are the statuses of executions that are not finished.
var ActiveStatuses = []string{"NOT_STARTED", "BUFFERED", "RUNNING", "PAUSED", "SUSPENDED"}
