package engine_test

import (
	"context"
	"errors"
	"testing"

	"github.com/gennaker/gennaker/providers"
	"github.com/gennaker/gennaker/store"
	"github.com/gennaker/gennaker/store/storetest"
)

// regionOutage wraps a real driver and reports one region as unreadable, as the aws driver
// does when a region's API fails: the others' results come with the error.
type regionOutage struct {
	providers.Provider
	region string
}

type outageError struct{ region string }

func (e outageError) Error() string           { return "reading regions: " + e.region + ": connection refused" }
func (e outageError) FailedRegions() []string { return []string{e.region} }

func (p regionOutage) ServerGroups(ctx context.Context, account, app string) ([]providers.ServerGroup, error) {
	gs, err := p.Provider.ServerGroups(ctx, account, app)
	if err != nil {
		return nil, err
	}
	return gs, outageError{p.region}
}

// TestCachingSurvivesARegionOutage: what the readable regions report is cached, the failed
// region's server groups are kept (not taken as destroyed), and the error shows on the account.
func TestCachingSurvivesARegionOutage(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		c := newCloud(t, s)
		c.seed(1)
		ctx := context.Background()
		// A group the store knows in the region that will fail.
		if _, _, err := s.UpsertServerGroup(ctx, store.ServerGroupState{Application: c.app.Name, Account: "local", Region: "far",
			Cluster: c.app.Name, Group: store.ServerGroup{Name: c.app.Name + "-v009", Enabled: true}}); err != nil {
			t.Fatal(err)
		}
		err := c.engine.RefreshWith(ctx, regionOutage{Provider: c.prov, region: "far"}, "local", c.app.Name)
		var oe outageError
		if !errors.As(err, &oe) {
			t.Fatalf("refresh error %v, want the region outage reported", err)
		}
		stored, _ := s.ServerGroupsOf(ctx, "local", c.app.Name)
		names := map[string]bool{}
		for _, g := range stored {
			names[g.Name] = true
		}
		if !names[c.app.Name+"-v000"] || !names[c.app.Name+"-v009"] {
			t.Fatalf("stored groups %v: want the readable region's v000 and the failed region's v009 kept", names)
		}
	})
}
