package store

import (
	"context"
	"fmt"
	"time"
)

// LeaseTask gives the task to owner until until, unless another owner holds a lease that
// has not expired at now; it reports whether owner holds it, and if not, until when the
// other holds it. Taking it again as its owner extends it. Engine replicas take a lease
// before running a task whose effects reach outside Gennaker, so that two deliveries of one
// task never run at once anywhere.
func (s *Store) LeaseTask(ctx context.Context, taskID, owner string, now, until time.Time) (bool, time.Time, error) {
	res := s.db.WithContext(ctx).Model(&Task{}).
		Where("id = ? AND (lease_owner IS NULL OR lease_owner = ? OR lease_until < ?)", taskID, owner, now).
		Updates(map[string]any{"lease_owner": owner, "lease_until": until})
	if res.Error != nil {
		return false, time.Time{}, fmt.Errorf("leasing task %s: %w", taskID, translate(res.Error))
	}
	if res.RowsAffected > 0 {
		return true, until, nil
	}
	// Nothing changed: the task is gone, another owner holds it, or (MySQL counts changed
	// rows only) owner took it again with the same until.
	var rows []Task
	if err := s.db.WithContext(ctx).Select("id", "lease_owner", "lease_until").Where("id = ?", taskID).Find(&rows).Error; err != nil {
		return false, time.Time{}, fmt.Errorf("reading the lease of task %s: %w", taskID, err)
	}
	if len(rows) == 0 {
		return false, time.Time{}, fmt.Errorf("%w: task %s", ErrNotFound, taskID)
	}
	t := rows[0]
	if t.LeaseUntil == nil {
		return false, now, nil // released meanwhile: try again
	}
	return t.LeaseOwner != nil && *t.LeaseOwner == owner, *t.LeaseUntil, nil
}

// ReleaseTask ends owner's lease on the task, if it holds one.
func (s *Store) ReleaseTask(ctx context.Context, taskID, owner string) error {
	return s.db.WithContext(ctx).Model(&Task{}).Where("id = ? AND lease_owner = ?", taskID, owner).
		Updates(map[string]any{"lease_owner": nil, "lease_until": nil}).Error
}

// ExtendTaskLease moves owner's lease on the task to until, if owner holds it.
func (s *Store) ExtendTaskLease(ctx context.Context, taskID, owner string, until time.Time) error {
	return s.db.WithContext(ctx).Model(&Task{}).Where("id = ? AND lease_owner = ?", taskID, owner).
		Update("lease_until", until).Error
}

// ExecutionVersion returns an execution's version alone: a task run that waited for its
// lease checks that the state it loaded is still the newest.
func (s *Store) ExecutionVersion(ctx context.Context, id string) (int64, error) {
	var vs []int64
	if err := s.db.WithContext(ctx).Model(&Execution{}).Where("id = ?", id).Pluck("version", &vs).Error; err != nil {
		return 0, fmt.Errorf("reading the version of execution %s: %w", id, err)
	}
	if len(vs) == 0 {
		return 0, fmt.Errorf("%w: execution %s", ErrNotFound, id)
	}
	return vs[0], nil
}
