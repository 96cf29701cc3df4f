package stages

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/gennaker/gennaker/providers"
)

// clusterRef names a cluster in an account and region, with the driver that reaches it.
// Every cluster stage works through the narrow provider contract: strategies are written
// once, here, never inside a driver.
type clusterRef struct {
	account, region, cluster, app string
	kind                          string // the account's provider kind, for messages
	prov                          providers.Provider
}

// clusterOf reads account, region and cluster from a stage's config (region defaults to
// the account's first).
func clusterOf(c *Context) (clusterRef, error) {
	r := clusterRef{account: asString(c.Config["account"]), region: asString(c.Config["region"]),
		cluster: asString(c.Config["cluster"]), app: c.Application}
	if c.Services == nil {
		return r, errors.New("this engine has no deploy accounts")
	}
	p, acct, err := c.Services.Provider(r.account)
	if err != nil {
		return r, fmt.Errorf("account %q: %w", r.account, err)
	}
	r.prov, r.kind = p, acct.Kind
	if r.region == "" && len(acct.Regions) > 0 {
		r.region = acct.Regions[0]
	}
	if r.cluster != "" {
		if m, err := providers.ParseCluster(r.cluster); err == nil && m.App != "" {
			r.app = m.App
		}
	}
	return r, nil
}

func (r clusterRef) ref(name string) providers.ServerGroupRef {
	return providers.ServerGroupRef{Account: r.account, Region: r.region, Name: name}
}

// groups lists the cluster's server groups in the region, newest first.
func (r clusterRef) groups(ctx context.Context) ([]providers.ServerGroup, error) {
	all, err := r.prov.ServerGroups(ctx, r.account, r.app)
	if err != nil {
		return nil, fmt.Errorf("listing server groups of %s: %w", r.cluster, err)
	}
	var out []providers.ServerGroup
	for _, g := range all {
		if g.Moniker.Cluster() == r.cluster && g.Region == r.region {
			out = append(out, g)
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if !out[i].CreatedAt.Equal(out[j].CreatedAt) {
			return out[i].CreatedAt.After(out[j].CreatedAt)
		}
		return out[i].Name > out[j].Name
	})
	return out, nil
}

// Spinnaker's dynamic targets.
const (
	targetCurrent  = "current_asg_dynamic"
	targetAncestor = "ancestor_asg_dynamic"
	targetOldest   = "oldest_asg_dynamic"
)

// target resolves serverGroupName, or target (current: the newest enabled; ancestor: the
// enabled one before it, else the newest disabled; oldest), among groups newest first.
func target(groups []providers.ServerGroup, cfg map[string]any) (providers.ServerGroup, error) {
	if name := asString(cfg["serverGroupName"]); name != "" {
		for _, g := range groups {
			if g.Name == name {
				return g, nil
			}
		}
		return providers.ServerGroup{}, fmt.Errorf("server group %s is not in the cluster", name)
	}
	if len(groups) == 0 {
		return providers.ServerGroup{}, errors.New("the cluster has no server groups")
	}
	switch t := asString(cfg["target"]); t {
	case "", targetCurrent:
		for _, g := range groups {
			if g.Enabled {
				return g, nil
			}
		}
		return groups[0], nil
	case targetAncestor:
		seen := false
		for _, g := range groups {
			if g.Enabled && !seen {
				seen = true
				continue
			}
			if seen {
				return g, nil
			}
		}
		if len(groups) > 1 {
			return groups[1], nil
		}
		return providers.ServerGroup{}, errors.New("the cluster has no server group before the current one")
	case targetOldest:
		return groups[len(groups)-1], nil
	default:
		return providers.ServerGroup{}, fmt.Errorf("unknown target %q", t)
	}
}

// health summarises a group: how many instances are healthy (Up, or OutOfService when the
// group is disabled), and why the others are not.
func health(g providers.ServerGroup) (up int, why string, allFailed bool) {
	var reasons []string
	failed := 0
	for _, i := range g.Instances {
		switch i.Health {
		case providers.Up, providers.OutOfService:
			up++
		case providers.Failed:
			failed++
			fallthrough
		default:
			if i.HealthDetail != "" && len(reasons) < 3 {
				reasons = append(reasons, fmt.Sprintf("%s: %s", i.ID, i.HealthDetail))
			}
		}
	}
	return up, strings.Join(reasons, "; "), len(g.Instances) > 0 && failed == len(g.Instances)
}

// capacityOf reads {min, desired, max} from a config value.
func capacityOf(v any) (providers.Capacity, bool) {
	m, ok := v.(map[string]any)
	if !ok {
		return providers.Capacity{}, false
	}
	mn, _ := asInt(m["min"])
	de, _ := asInt(m["desired"])
	mx, _ := asInt(m["max"])
	return providers.Capacity{Min: int(mn), Desired: int(de), Max: int(mx)}, true
}

func seconds(v any, def time.Duration) time.Duration {
	if n, ok := asInt(v); ok {
		return time.Duration(n) * time.Second
	}
	return def
}

func names(gs []providers.ServerGroup) []any {
	out := make([]any, 0, len(gs))
	for _, g := range gs {
		out = append(out, g.Name)
	}
	return out
}
