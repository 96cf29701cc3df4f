package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// Notification statuses.
const (
	NotificationPending = "PENDING"
	NotificationSent    = "SENT"
	NotificationFailed  = "FAILED"
)

// Notification is the notifications of one execution event (pipeline.complete, a stage
// starting …): a transactional outbox. It is written in the transaction of the change that
// caused the event, so a crash after that commit cannot lose it, and marked SENT once every
// target took it. Its id is made of the event, so a step decided again writes nothing new.
type Notification struct {
	ID          string `gorm:"primaryKey;size:191"`
	ExecutionID string `gorm:"size:36;not null"`
	Event       string `gorm:"size:64;not null"`
	// StageID names the stage of a stage event.
	StageID *string `gorm:"size:36"`
	// Targets are the pipeline's notification entries that listen to the event; Message is
	// the event as sent, rendered from the state that was committed with it.
	Targets   RawJSON
	Message   JSONMap
	Status    string    `gorm:"size:16;not null"`
	Attempts  int       `gorm:"not null;default:0"`
	LastError *string   `gorm:"type:text"`
	CreatedAt time.Time `gorm:"not null"`
	UpdatedAt time.Time `gorm:"not null"`
}

// insertNotifications writes new outbox rows in tx; a row whose id is there already is left
// as it is (the same event decided again).
func insertNotifications(tx *gorm.DB, ns []Notification) error {
	if len(ns) == 0 {
		return nil
	}
	now := time.Now().UTC()
	for i := range ns {
		if ns[i].Status == "" {
			ns[i].Status = NotificationPending
		}
		ns[i].CreatedAt, ns[i].UpdatedAt = now, now
	}
	if err := tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&ns).Error; err != nil {
		return fmt.Errorf("writing notifications: %w", err)
	}
	return nil
}

// Notification returns one outbox row.
func (s *Store) Notification(ctx context.Context, id string) (Notification, error) {
	var n Notification
	err := s.db.WithContext(ctx).Where("id = ?", id).Take(&n).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return n, fmt.Errorf("%w: notification %s", ErrNotFound, id)
	}
	return n, err
}

// NotificationsOf lists an execution's outbox rows, oldest first.
func (s *Store) NotificationsOf(ctx context.Context, executionID string) ([]Notification, error) {
	m, err := s.NotificationsByExecutions(ctx, []string{executionID})
	return m[executionID], err
}

// NotificationsByExecutions lists the outbox rows of each execution, oldest first.
func (s *Store) NotificationsByExecutions(ctx context.Context, ids []string) (map[string][]Notification, error) {
	var rows []Notification
	if err := s.db.WithContext(ctx).Where("execution_id IN ?", ids).Order("execution_id, created_at, id").Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("reading notifications: %w", err)
	}
	out := make(map[string][]Notification, len(ids))
	for _, n := range rows {
		out[n.ExecutionID] = append(out[n.ExecutionID], n)
	}
	return out, nil
}

// RecordNotificationAttempt records one sending of a PENDING row: status SENT when sendErr
// is nil, else the error, and FAILED when final. A row no longer PENDING is not changed
// (another delivery finished it), and false says so.
func (s *Store) RecordNotificationAttempt(ctx context.Context, id string, sendErr error, final bool) (bool, error) {
	upd := map[string]any{"attempts": gorm.Expr("attempts + 1"), "updated_at": time.Now().UTC(), "status": NotificationSent}
	if sendErr != nil {
		msg := sendErr.Error()
		upd["last_error"] = msg
		if final {
			upd["status"] = NotificationFailed
		} else {
			delete(upd, "status")
		}
	}
	res := s.db.WithContext(ctx).Model(&Notification{}).Where("id = ? AND status = ?", id, NotificationPending).Updates(upd)
	return res.RowsAffected > 0, res.Error
}

// StaleNotifications lists PENDING rows untouched since before: their sending was lost
// (a crash between the commit and the command) and the watchdog sends them again.
func (s *Store) StaleNotifications(ctx context.Context, before time.Time, limit int) ([]Notification, error) {
	var out []Notification
	err := s.db.WithContext(ctx).Omit("message", "targets").Where("status = ? AND updated_at < ?", NotificationPending, before).
		Order("updated_at").Limit(limit).Find(&out).Error
	return out, err
}

// TouchNotification moves a row's updated_at: the watchdog's mark that it sent it again.
func (s *Store) TouchNotification(ctx context.Context, id string) error {
	return s.db.WithContext(ctx).Model(&Notification{}).Where("id = ?", id).UpdateColumn("updated_at", time.Now().UTC()).Error
}
