package migrations_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/gennaker/gennaker/migrations"
	"github.com/gennaker/gennaker/store"
	"github.com/gennaker/gennaker/store/storetest"
)

// TestAuditAttributionBackfill proves that migration 00005 files the audit events written
// before it under their application and execution: from the rows they name while those
// exist, else from the names the mutations recorded in the detail.
func TestAuditAttributionBackfill(t *testing.T) {
	for _, dialect := range storetest.Dialects(t) {
		t.Run(dialect, func(t *testing.T) {
			ctx := context.Background()
			s, err := store.OpenNoMigrate(ctx, storetest.URL(t, dialect))
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			db, err := s.DB()
			if err != nil {
				t.Fatal(err)
			}
			if err := migrations.UpTo(ctx, db, s.Dialect(), 4); err != nil {
				t.Fatal(err)
			}
			now := time.Now().UTC()
			for _, row := range []any{
				&store.Application{ID: "a1", Name: "shop", OwnerEmail: "o@x.io", Criticality: "LOW", CreatedAt: now, UpdatedAt: now, Version: 1},
				&store.Pipeline{ID: "p1", ApplicationID: "a1", Name: "ship", Definition: []byte(`{}`), CreatedAt: now, UpdatedAt: now, Version: 1},
				&store.Execution{ID: "e1", Type: "PIPELINE", ApplicationID: "a1", ApplicationName: "shop", Name: "ship", Status: "SUCCEEDED",
					CreatedAt: now, UpdatedAt: now, Version: 1},
			} {
				if err := s.Gorm().Create(row).Error; err != nil {
					t.Fatalf("seeding %T: %v", row, err)
				}
			}
			old := [][3]string{
				{"Application", "a1", `{"name":"shop"}`},
				{"Application", "a-gone", `{"name":"gone"}`},
				{"Application", "a-odd", `not json`},
				{"Pipeline", "p1", `{}`},
				{"Pipeline", "p-gone", `{"application":"blog","pipeline":"x"}`},
				{"Execution", "e1", `{}`},
				{"Execution", "e-gone", `{"pipeline":"x"}`},
			}
			for _, o := range old {
				if err := s.Gorm().Exec("INSERT INTO audit_events (at, actor, action, target_type, target_id, detail) VALUES (?, ?, ?, ?, ?, ?)",
					now, "old", "something", o[0], o[1], o[2]).Error; err != nil {
					t.Fatal(err)
				}
			}
			if _, err := migrations.Up(ctx, db, s.Dialect()); err != nil {
				t.Fatal(err)
			}
			// Read as plain columns: the detail that is not JSON would not scan into the model.
			var rows []struct{ TargetID, ApplicationName, ExecutionID string }
			if err := s.Gorm().Raw("SELECT target_id, application_name, execution_id FROM audit_events ORDER BY id").Scan(&rows).Error; err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, r := range rows {
				got = append(got, r.TargetID+" app="+r.ApplicationName+" exec="+r.ExecutionID)
			}
			want := "a1 app=shop exec=|a-gone app=gone exec=|a-odd app= exec=|p1 app=shop exec=|p-gone app=blog exec=|e1 app=shop exec=e1|e-gone app= exec=e-gone"
			if strings.Join(got, "|") != want {
				t.Fatalf("after the migration:\n%s\nwant\n%s", strings.Join(got, "|"), want)
			}
			// And back: the Down section leaves the table as it was, and Up works again.
			if err := migrations.DownTo(ctx, db, s.Dialect(), 4); err != nil {
				t.Fatalf("migrating down: %v", err)
			}
			if s.Gorm().Migrator().HasColumn("audit_events", "application_name") {
				t.Fatal("application_name still there after migrating down")
			}
			if _, err := migrations.Up(ctx, db, s.Dialect()); err != nil {
				t.Fatalf("migrating up again: %v", err)
			}
		})
	}
}
