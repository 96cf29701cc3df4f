package engine

import "sync"

// runningTasks is the set of tasks this replica is running at the moment.
//
// A task can have more than one RunTask command in the stream: a judgment or a resume
// wakes it with a command of its own while the one that polls it is still due. A delivery
// that finds its task running here is dropped at once: the run in progress commits and
// schedules the next one. Across replicas, the task lease in the database (store.LeaseTask,
// taken in runTask) does the same for tasks with effects outside Gennaker; this set only
// spares a replica the database round trips for what it already knows.
type runningTasks struct {
	mu  sync.Mutex
	ids map[string]bool
}

// start marks the task running and reports whether it was not already.
func (r *runningTasks) start(id string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.ids[id] {
		return false
	}
	if r.ids == nil {
		r.ids = map[string]bool{}
	}
	r.ids[id] = true
	return true
}

// done marks the task no longer running.
func (r *runningTasks) done(id string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	delete(r.ids, id)
}
