package store_test

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"testing"

	"github.com/gennaker/gennaker/store"
	"github.com/gennaker/gennaker/store/storetest"
)

// TestTriggerIndex: the schedulers read the pipelines a trigger may fire through an index
// that follows every save and delete, skips what is disabled, and is built at open for
// pipelines saved before it existed.
func TestTriggerIndex(t *testing.T) {
	for _, dialect := range storetest.Dialects(t) {
		t.Run(dialect, func(t *testing.T) {
			url := storetest.URL(t, dialect)
			ctx := context.Background()
			s, err := store.Open(ctx, url)
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			app, err := s.CreateApplication(ctx, store.Application{Name: "idx", OwnerEmail: "o@x.io", Criticality: "LOW"}, store.Audit{Actor: "t"})
			if err != nil {
				t.Fatal(err)
			}
			save := func(id, name string, def map[string]any) store.Pipeline {
				t.Helper()
				def["name"] = name
				raw, _ := json.Marshal(def)
				p, err := s.SavePipeline(ctx, store.Pipeline{ID: id, ApplicationID: app.ID, Name: name, Definition: raw, UpdatedBy: "t"}, nil, store.Audit{Actor: "t"})
				if err != nil {
					t.Fatal(err)
				}
				return p
			}
			trig := func(typ string, enabled bool, cfg map[string]any) map[string]any {
				return map[string]any{"type": typ, "enabled": enabled, "config": cfg}
			}
			names := func(typ, key string) []string {
				t.Helper()
				ps, err := s.PipelinesWithTriggers(ctx, typ, key)
				if err != nil {
					t.Fatal(err)
				}
				out := []string{}
				for _, p := range ps {
					out = append(out, p.Name)
				}
				slices.Sort(out)
				return out
			}
			nightly := save("", "nightly", map[string]any{"triggers": []any{trig("cron", true, map[string]any{"cronExpression": "0 3 * * *"})}})
			save("", "on-push", map[string]any{"triggers": []any{
				trig("webhook", true, map[string]any{"source": "github"}), trig("cron", false, map[string]any{"cronExpression": "* * * * *"})}})
			save("", "after-build", map[string]any{"triggers": []any{trig("pipeline", true, map[string]any{"application": "shop", "pipeline": "build"})}})
			save("", "off", map[string]any{"disabled": true, "triggers": []any{trig("cron", true, map[string]any{"cronExpression": "0 * * * *"})}})
			save("", "manual", map[string]any{})

			check := func(typ, key string, want ...string) {
				t.Helper()
				if want == nil {
					want = []string{}
				}
				if got := names(typ, key); fmt.Sprint(got) != fmt.Sprint(want) {
					t.Errorf("pipelines with %s %q: %v, want %v", typ, key, got, want)
				}
			}
			check("cron", "", "nightly")
			check("webhook", "github", "on-push")
			check("webhook", "gitlab")
			check("pipeline", "shop", "after-build")
			check("pipeline", "other")

			// A save replaces the pipeline's rows; a delete removes them.
			save(nightly.ID, "nightly", map[string]any{"triggers": []any{trig("webhook", true, map[string]any{"source": "gitlab"})}})
			check("cron", "")
			check("webhook", "gitlab", "nightly")
			if err := s.DeletePipeline(ctx, nightly.ID, store.Audit{Actor: "t"}); err != nil {
				t.Fatal(err)
			}
			check("webhook", "gitlab")

			// Pipelines from before the index: opening the store indexes them.
			db := s.Gorm()
			if err := db.Exec("DELETE FROM pipeline_triggers").Error; err != nil {
				t.Fatal(err)
			}
			if err := db.Exec("UPDATE pipelines SET triggers_indexed = ?", false).Error; err != nil {
				t.Fatal(err)
			}
			check("webhook", "github")
			again, err := store.Open(ctx, url)
			if err != nil {
				t.Fatal(err)
			}
			defer again.Close()
			s = again
			check("webhook", "github", "on-push")
			check("pipeline", "shop", "after-build")
			check("cron", "")
		})
	}
}
