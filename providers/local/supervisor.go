package local

import (
	"encoding/json"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"syscall"
	"time"

	"github.com/gennaker/gennaker/providers"
)

// group is a server group at run time. Every field is guarded by Driver.mu,
// except exec, which never changes.
type group struct {
	rec        groupRecord // Instances is rebuilt by persist
	exec       ExecSpec
	instances  []*instance // launched, oldest first; exited ones until replaced
	crashes    int         // instances ended in a row without becoming Up
	nextLaunch time.Time   // back-off after crashes
	destroying bool
	kick       chan struct{} // wakes the supervisor
	stop       chan struct{} // closed to stop the supervisor
}

func newGroup(rec groupRecord, exec ExecSpec) *group {
	return &group{rec: rec, exec: exec, kick: make(chan struct{}, 1), stop: make(chan struct{})}
}

func (g *group) name() string { return g.rec.Spec.Moniker.Name() }

func (g *group) region() string { return g.rec.Spec.Region }

// instance is one process of a group. Guarded by Driver.mu.
type instance struct {
	rec        instanceRecord
	tracker    *healthTracker
	exited     bool
	exitDetail string
	draining   bool
	gone       chan struct{} // closed once the process is seen to have ended
}

func newInstance(rec instanceRecord, hc HealthCheck) *instance {
	return &instance{rec: rec, tracker: newHealthTracker(hc, rec.LaunchedAt), gone: make(chan struct{})}
}

// routable reports whether the load balancers may send it requests (its
// group being enabled aside).
func (in *instance) routable() bool { return !in.exited && !in.draining && in.tracker.up }

// health returns the instance's health as the provider reports it.
func (in *instance) health(enabled bool) (providers.HealthState, string) {
	switch {
	case in.exited:
		return providers.Failed, in.exitDetail
	case in.draining:
		return providers.Draining, "stopping"
	case in.tracker.state == providers.Up && !enabled:
		return providers.OutOfService, "server group disabled"
	}
	return in.tracker.state, in.tracker.detail
}

// backoff is the delay before replacing an instance after n crashes in a
// row: 100ms, doubling, at most 10s.
func backoff(n int) time.Duration {
	if n <= 0 {
		return 0
	}
	d := 100 * time.Millisecond << min(n-1, 7)
	return min(d, 10*time.Second)
}

// startSupervisor starts the goroutine that keeps g at its desired
// capacity. Called with d.mu held.
func (d *Driver) startSupervisor(g *group) {
	d.wg.Add(1)
	go func() {
		defer d.wg.Done()
		t := time.NewTicker(d.opts.supervise)
		defer t.Stop()
		for {
			select {
			case <-d.ctx.Done():
				return
			case <-g.stop:
				return
			case <-g.kick:
			case <-t.C:
			}
			d.mu.Lock()
			d.reconcile(g)
			d.mu.Unlock()
		}
	}()
}

// kickGroup wakes g's supervisor without blocking.
func kickGroup(g *group) {
	select {
	case g.kick <- struct{}{}:
	default:
	}
}

// reconcile launches or stops instances to bring g to its desired
// capacity. Called with d.mu held.
func (d *Driver) reconcile(g *group) {
	if g.destroying || d.closed {
		return
	}
	var live, dead []*instance
	for _, in := range g.instances {
		switch {
		case in.exited:
			dead = append(dead, in)
		case !in.draining:
			live = append(live, in)
		}
	}
	want := g.rec.Spec.Capacity.Desired
	changed := false
	if extra := len(live) - want; extra > 0 {
		// Stop instances that are not Up first, then the newest.
		victims := slices.Clone(live)
		slices.SortStableFunc(victims, func(a, b *instance) int {
			if a.tracker.up != b.tracker.up {
				if a.tracker.up {
					return 1
				}
				return -1
			}
			return b.rec.LaunchedAt.Compare(a.rec.LaunchedAt)
		})
		for _, in := range victims[:extra] {
			d.stopInstance(g, in)
		}
		changed = true
	}
	for n := len(live); n < want && !time.Now().Before(g.nextLaunch); n++ {
		if len(dead) > 0 { // the replacement takes the failed one's place
			g.instances = slices.DeleteFunc(g.instances, func(in *instance) bool { return in == dead[0] })
			dead = dead[1:]
		}
		d.launch(g)
		changed = true
	}
	if len(live) >= want && len(dead) > 0 {
		g.instances = slices.DeleteFunc(g.instances, func(in *instance) bool { return in.exited })
		changed = true
	}
	if changed {
		d.groupChanged(g)
	}
}

// launch starts one new instance of g; a failure to start becomes a Failed
// instance that says why. Called with d.mu held.
func (d *Driver) launch(g *group) {
	id := g.name() + "-" + newID()
	now := time.Now()
	in := newInstance(instanceRecord{ID: id, LaunchedAt: now}, g.exec.Health)
	g.instances = append(g.instances, in)
	fail := func(err error) {
		in.exited, in.exitDetail = true, err.Error()
		close(in.gone)
		g.crashes++
		g.nextLaunch = now.Add(backoff(g.crashes))
		d.log.Warn("starting instance failed", "server_group", g.name(), "instance_id", id, "error", err)
	}
	port, err := freePort(d.ports)
	if err != nil {
		fail(err)
		return
	}
	stdout, stderr := d.logPaths(g.region(), g.name(), id)
	if err := os.MkdirAll(filepath.Dir(stdout), 0o755); err != nil {
		fail(err)
		return
	}
	pid, ticks, err := startProcess(launch{id: id, group: g.name(), spec: g.exec, port: port, stateDir: d.dir, stdout: stdout, stderr: stderr})
	if err != nil {
		fail(err)
		return
	}
	in.rec.PID, in.rec.Port, in.rec.StartTicks = pid, port, ticks
	d.ports[port] = true
	d.startMonitor(g, in)
	d.log.Info("started instance", "server_group", g.name(), "instance_id", id, "pid", pid, "port", port)
}

// startMonitor starts the goroutine that watches in's process and health.
// Called with d.mu held.
func (d *Driver) startMonitor(g *group, in *instance) {
	d.wg.Add(1)
	go func() {
		defer d.wg.Done()
		d.monitor(g, in)
	}()
}

// monitor polls in's process for its end and runs its health checks until
// the process ends or the driver closes.
func (d *Driver) monitor(g *group, in *instance) {
	alive := time.NewTicker(50 * time.Millisecond)
	defer alive.Stop()
	probe := time.NewTimer(20 * time.Millisecond)
	defer probe.Stop()
	hc := g.exec.Health
	for {
		select {
		case <-d.ctx.Done():
			return
		case <-alive.C:
			if exited, how := exitStatus(in.rec.PID, in.rec.StartTicks, in.rec.ID); exited {
				d.ended(g, in, how)
				return
			}
		case <-probe.C:
			err := check(d.ctx, d.client, hc, in.rec.Port)
			if d.ctx.Err() != nil {
				return
			}
			d.mu.Lock()
			if !in.exited && in.tracker.observe(time.Now(), err) {
				if in.tracker.up {
					g.crashes, g.nextLaunch = 0, time.Time{}
				}
				d.log.Debug("instance health changed", "server_group", g.name(), "instance_id", in.rec.ID, "health", in.tracker.state, "detail", in.tracker.detail)
				d.refreshRoutes()
				d.notify(providers.Change{Region: g.region(), ServerGroup: g.name()})
			}
			d.mu.Unlock()
			probe.Reset(hc.Interval.D())
		}
	}
}

// ended records that in's process ended, as described by how.
func (d *Driver) ended(g *group, in *instance, how string) {
	// Children the instance left in its process group go with it.
	_ = signalGroup(in.rec.PID, syscall.SIGKILL)
	d.mu.Lock()
	defer d.mu.Unlock()
	in.exited = true
	close(in.gone)
	delete(d.ports, in.rec.Port)
	if in.draining {
		g.instances = slices.DeleteFunc(g.instances, func(x *instance) bool { return x == in })
		d.log.Info("stopped instance", "server_group", g.name(), "instance_id", in.rec.ID, "how", how)
	} else {
		stdout, stderr := d.logPaths(g.region(), g.name(), in.rec.ID)
		line := lastLine(stderr)
		if line == "" {
			line = lastLine(stdout)
		}
		in.exitDetail = how
		if line != "" {
			in.exitDetail += ": " + line
		}
		if !in.tracker.everUp {
			in.exitDetail += " (before becoming healthy)"
		}
		g.crashes++
		g.nextLaunch = time.Now().Add(backoff(g.crashes))
		d.log.Warn("instance ended", "server_group", g.name(), "instance_id", in.rec.ID, "detail", in.exitDetail)
	}
	d.groupChanged(g)
	kickGroup(g)
}

// stopInstance takes in out of rotation and stops its process: SIGTERM to
// its process group, SIGKILL after the stop grace. It returns at once.
// Called with d.mu held.
func (d *Driver) stopInstance(g *group, in *instance) {
	if in.draining || in.exited {
		return
	}
	in.draining = true
	d.refreshRoutes()
	pid, gone := in.rec.PID, in.gone
	d.wg.Add(1)
	go func() {
		defer d.wg.Done()
		_ = signalGroup(pid, syscall.SIGTERM)
		grace := time.NewTimer(d.opts.stopGrace)
		defer grace.Stop()
		select {
		case <-gone:
			return
		case <-d.ctx.Done():
			return
		case <-grace.C:
		}
		d.log.Warn("instance did not stop within the grace period: killing it", "server_group", g.name(), "instance_id", in.rec.ID, "grace", d.opts.stopGrace)
		_ = signalGroup(pid, syscall.SIGKILL)
	}()
}

// groupChanged persists g, refreshes the routes and tells watchers.
// Called with d.mu held.
func (d *Driver) groupChanged(g *group) {
	if err := d.persist(g); err != nil {
		d.log.Error("persisting server group", "server_group", g.name(), "error", err)
	}
	d.refreshRoutes()
	d.notify(providers.Change{Region: g.region(), ServerGroup: g.name()})
}

// persist writes g's record with its running instances. Called with d.mu
// held.
func (d *Driver) persist(g *group) error {
	if g.destroying {
		return nil
	}
	g.rec.Version = stateVersion
	g.rec.Instances = g.rec.Instances[:0]
	for _, in := range g.instances {
		if !in.exited {
			g.rec.Instances = append(g.rec.Instances, in.rec)
		}
	}
	return writeJSON(filepath.Join(d.groupDir(g.region(), g.name()), "group.json"), g.rec)
}

// view returns g as the provider reports it. Called with d.mu held.
func (d *Driver) view(g *group) providers.ServerGroup {
	s := g.rec.Spec
	dir := d.groupDir(g.region(), g.name())
	state, _ := json.Marshal(opaqueState{Version: stateVersion, StateFile: filepath.Join(dir, "group.json"), LogDir: filepath.Join(dir, "logs")})
	v := providers.ServerGroup{
		Account:       s.Account,
		Region:        s.Region,
		Name:          g.name(),
		Moniker:       s.Moniker,
		Capacity:      s.Capacity,
		Artifact:      s.Artifact,
		Enabled:       g.rec.Enabled,
		CreatedAt:     g.rec.CreatedAt,
		LoadBalancers: slices.Clone(s.LoadBalancers),
		Tags:          s.Tags,
		State:         state,
		Instances:     []providers.Instance{},
	}
	for _, in := range g.instances {
		h, detail := in.health(g.rec.Enabled)
		i := providers.Instance{ID: in.rec.ID, Zone: s.Region, Health: h, HealthDetail: detail, LaunchedAt: in.rec.LaunchedAt}
		if in.rec.Port != 0 {
			i.Address = net.JoinHostPort("127.0.0.1", strconv.Itoa(in.rec.Port))
		}
		v.Instances = append(v.Instances, i)
	}
	return v
}
