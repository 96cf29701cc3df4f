package migrations

import (
	"context"
	"database/sql"
)

// UpTo applies the migrations up to version and no further, for tests of what a later
// migration does to rows written before it.
func UpTo(ctx context.Context, db *sql.DB, d Dialect, version int64) error {
	p, err := provider(db, d)
	if err != nil {
		return err
	}
	_, err = p.UpTo(ctx, version)
	return err
}

// DownTo rolls the migrations back to version.
func DownTo(ctx context.Context, db *sql.DB, d Dialect, version int64) error {
	p, err := provider(db, d)
	if err != nil {
		return err
	}
	_, err = p.DownTo(ctx, version)
	return err
}
