package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/gennaker/gennaker/store"
	"github.com/gennaker/gennaker/store/storetest"
)

// TestTaskLease: one replica at a time holds a task; its owner extends and releases it; an
// expired lease goes to whoever asks; a commit of the task leaves the lease alone.
func TestTaskLease(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		app, err := s.CreateApplication(ctx, store.Application{Name: "leases", OwnerEmail: "o@x.io", Criticality: "LOW"}, store.Audit{Actor: "t"})
		if err != nil {
			t.Fatal(err)
		}
		now := time.Now().UTC().Truncate(time.Millisecond)
		ex := store.Execution{ID: store.NewID(), Type: store.ExecutionTypeOrchestration, ApplicationID: app.ID, ApplicationName: app.Name,
			Name: "op", Status: "RUNNING", Trigger: store.JSONMap{}, Context: store.JSONMap{}, CreatedAt: now, UpdatedAt: now, Version: 1,
			Stages: []store.Stage{{ID: store.NewID(), RefID: "1", Type: "webhook", Name: "call", Status: "RUNNING", Context: store.JSONMap{}, Outputs: store.JSONMap{}}}}
		ex.Stages[0].ExecutionID = ex.ID
		if err := s.CreateExecution(ctx, ex, store.Audit{Actor: "t"}); err != nil {
			t.Fatal(err)
		}
		task := store.Task{ID: store.NewID(), StageID: ex.Stages[0].ID, ExecutionID: ex.ID, Name: "createWebhook", Status: "RUNNING"}
		loaded, err := s.Execution(ctx, ex.ID)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.CommitExecution(ctx, store.ExecutionChange{Execution: loaded, NewTasks: []store.Task{task}}, loaded.Version); err != nil {
			t.Fatal(err)
		}

		lease := func(owner string, at time.Time) (bool, time.Time) {
			t.Helper()
			held, until, err := s.LeaseTask(ctx, task.ID, owner, at, at.Add(time.Minute))
			if err != nil {
				t.Fatal(err)
			}
			return held, until
		}
		if held, _ := lease("a", now); !held {
			t.Fatal("a free task was not leased")
		}
		if held, until := lease("b", now.Add(time.Second)); held || !until.Equal(now.Add(time.Minute)) {
			t.Fatalf("b leased a's task (held %v, until %v); want refused until a's lease ends at %v", held, until, now.Add(time.Minute))
		}
		if held, _ := lease("a", now); !held {
			t.Fatal("a could not take its own lease again with the same end")
		}
		if err := s.ExtendTaskLease(ctx, task.ID, "b", now.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		if held, until := lease("b", now.Add(2*time.Minute)); !held || !until.Equal(now.Add(3*time.Minute)) {
			t.Fatalf("b could not take a's expired lease (b's extend must not have counted): held %v until %v", held, until)
		}
		// A commit of the task (its run's result) keeps the lease; release ends it.
		loaded, _ = s.Execution(ctx, ex.ID)
		done := loaded.Stages[0].Tasks[0]
		done.Status, done.Attempts = "SUCCEEDED", 1
		if _, err := s.CommitExecution(ctx, store.ExecutionChange{Execution: loaded, Tasks: []store.Task{done}}, loaded.Version); err != nil {
			t.Fatal(err)
		}
		if held, _ := lease("a", now.Add(2*time.Minute)); held {
			t.Fatal("a commit released b's lease")
		}
		if err := s.ReleaseTask(ctx, task.ID, "a"); err != nil { // not a's: nothing happens
			t.Fatal(err)
		}
		if held, _ := lease("a", now.Add(2*time.Minute)); held {
			t.Fatal("a released b's lease")
		}
		if err := s.ReleaseTask(ctx, task.ID, "b"); err != nil {
			t.Fatal(err)
		}
		if held, _ := lease("a", now.Add(2*time.Minute)); !held {
			t.Fatal("a could not lease a released task")
		}
		if _, _, err := s.LeaseTask(ctx, "no-such-task", "a", now, now); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("leasing a missing task: %v, want ErrNotFound", err)
		}
	})
}
