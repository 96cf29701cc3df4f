package store

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// SyncAccounts makes the accounts table exactly these accounts (from the accounts file),
// keeping the last caching error of those that stay.
func (s *Store) SyncAccounts(ctx context.Context, accounts []Account) error {
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		names := make([]string, 0, len(accounts))
		now := time.Now().UTC()
		for _, a := range accounts {
			names = append(names, a.Name)
			a.UpdatedAt = now
			if a.Regions == nil {
				a.Regions = StringList{}
			}
			res := tx.Model(&Account{}).Where("name = ?", a.Name).Updates(map[string]any{
				"provider": a.Provider, "environment": a.Environment, "regions": a.Regions, "updated_at": now,
			})
			if res.Error != nil {
				return fmt.Errorf("updating account %q: %w", a.Name, res.Error)
			}
			if res.RowsAffected == 0 {
				if err := tx.Create(&a).Error; err != nil {
					return fmt.Errorf("creating account %q: %w", a.Name, err)
				}
			}
		}
		q := tx.Model(&Account{})
		if len(names) > 0 {
			q = q.Where("name NOT IN ?", names)
		} else {
			q = q.Where("1 = 1")
		}
		return q.Delete(&Account{}).Error
	})
}

// Accounts lists every account by name.
func (s *Store) Accounts(ctx context.Context) ([]Account, error) {
	var out []Account
	err := s.db.WithContext(ctx).Order("name").Find(&out).Error
	return out, translate(err)
}

// SetAccountError records (or clears, with "") the last error met reading an account.
func (s *Store) SetAccountError(ctx context.Context, name, msg string) error {
	var v any
	if msg != "" {
		v = msg
	}
	return translate(s.db.WithContext(ctx).Model(&Account{}).Where("name = ?", name).Update("error", v).Error)
}
