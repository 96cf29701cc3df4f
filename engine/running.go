package engine

import "sync"

// runningTasks is the set of tasks this replica is running at the moment.
//
// A task can have more than one RunTask command in the stream: a judgment or a resume
// wakes it with a command of its own while the one that polls it is still due. Two
// deliveries run at once would both act on the state they loaded; the one whose commit
// loses is retried on fresh state, but its side effects (a disable, a resize) happen
// anyway, possibly after a later stage changed the world (a rollback's enable undone by a
// late disable). A delivery that finds its task running here is dropped instead: the run
// in progress commits and schedules the next one, and as it commits against the version it
// loaded, a change it did not see makes it run again on fresh state.
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
