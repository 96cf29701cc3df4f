package local

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/gennaker/gennaker/providers"
)

// stateVersion is the version of the files the driver writes. A driver
// refuses files of a newer version rather than misreading them.
const stateVersion = 1

// Layout under the driver's state directory:
//
//	groups/<region>/<name>/group.json    groupRecord
//	groups/<region>/<name>/logs/<id>.stdout.log, <id>.stderr.log
//	lbs/<region>/<name>.json             lbRecord

// groupRecord is a server group as persisted: its spec (with the current
// capacity), whether it is enabled, and its live instances.
type groupRecord struct {
	Version   int                       `json:"version"`
	Spec      providers.ServerGroupSpec `json:"spec"`
	Enabled   bool                      `json:"enabled"`
	CreatedAt time.Time                 `json:"createdAt"`
	Instances []instanceRecord          `json:"instances"`
}

// instanceRecord is what identifies a running instance across restarts.
type instanceRecord struct {
	ID         string    `json:"id"`
	PID        int       `json:"pid"`
	Port       int       `json:"port"`
	StartTicks uint64    `json:"startTicks"`
	LaunchedAt time.Time `json:"launchedAt"`
}

// lbRecord is a load balancer as persisted.
type lbRecord struct {
	Version int            `json:"version"`
	Region  string         `json:"region"`
	Name    string         `json:"name"`
	Address string         `json:"address"`
	Weights map[string]int `json:"weights,omitempty"`
}

// opaqueState is the ServerGroup.State blob of the local driver.
type opaqueState struct {
	Version   int    `json:"v"`
	StateFile string `json:"stateFile"`
	LogDir    string `json:"logDir"`
}

func (d *Driver) groupDir(region, name string) string {
	return filepath.Join(d.dir, "groups", region, name)
}

func (d *Driver) logPaths(region, name, id string) (stdout, stderr string) {
	logs := filepath.Join(d.groupDir(region, name), "logs")
	return filepath.Join(logs, id+".stdout.log"), filepath.Join(logs, id+".stderr.log")
}

func (d *Driver) lbFile(region, name string) string {
	return filepath.Join(d.dir, "lbs", region, name+".json")
}

// writeJSON writes v to path atomically: a reader (or a restart) sees the
// old file or the new one, never half of one.
func writeJSON(path string, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return fmt.Errorf("encoding %s: %w", filepath.Base(path), err)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return fmt.Errorf("writing state: %w", err)
	}
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return fmt.Errorf("writing state: %w", err)
	}
	defer os.Remove(f.Name()) // after a successful rename, a no-op
	if _, err := f.Write(b); err != nil {
		f.Close()
		return fmt.Errorf("writing state: %w", err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return fmt.Errorf("writing state: %w", err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("writing state: %w", err)
	}
	if err := os.Rename(f.Name(), path); err != nil {
		return fmt.Errorf("writing state: %w", err)
	}
	return nil
}

// readJSON decodes path into v and checks its version.
func readJSON(path string, v any, version func() int) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("reading state: %w", err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("reading state %s: %w", path, err)
	}
	if got := version(); got > stateVersion || got < 1 {
		return fmt.Errorf("reading state %s: version %d, this driver reads %d", path, got, stateVersion)
	}
	return nil
}

// loadGroups reads every persisted server group.
func (d *Driver) loadGroups() ([]groupRecord, error) {
	paths, err := filepath.Glob(filepath.Join(d.dir, "groups", "*", "*", "group.json"))
	if err != nil {
		return nil, fmt.Errorf("loading server groups: %w", err)
	}
	var out []groupRecord
	for _, p := range paths {
		var r groupRecord
		if err := readJSON(p, &r, func() int { return r.Version }); err != nil {
			return nil, fmt.Errorf("loading server groups: %w", err)
		}
		out = append(out, r)
	}
	return out, nil
}

// loadLBs reads every persisted load balancer.
func (d *Driver) loadLBs() ([]lbRecord, error) {
	paths, err := filepath.Glob(filepath.Join(d.dir, "lbs", "*", "*.json"))
	if err != nil {
		return nil, fmt.Errorf("loading load balancers: %w", err)
	}
	var out []lbRecord
	for _, p := range paths {
		var r lbRecord
		if err := readJSON(p, &r, func() int { return r.Version }); err != nil {
			return nil, fmt.Errorf("loading load balancers: %w", err)
		}
		out = append(out, r)
	}
	return out, nil
}

// removeAll deletes path; a missing path is not an error.
func removeAll(path string) error {
	if err := os.RemoveAll(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("removing state: %w", err)
	}
	return nil
}

func (d *Driver) groupDirParent(region string) string {
	return filepath.Join(d.dir, "groups", region)
}
