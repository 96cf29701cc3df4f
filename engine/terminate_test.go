package engine_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/gennaker/gennaker/engine"
	"github.com/gennaker/gennaker/pipeline"
	"github.com/gennaker/gennaker/providers"
	"github.com/gennaker/gennaker/store"
	"github.com/gennaker/gennaker/store/storetest"
)

// plainKind is a provider kind without the InstanceTerminator capability: the local driver
// seen through providers.Provider alone.
const plainKind = "plain-local"

type plainProvider struct {
	providers.Provider
	reg *providers.Registry
}

func (p plainProvider) Close() error { return p.reg.Close() }

func init() {
	providers.RegisterKind(plainKind, func(ctx context.Context, a providers.Account, host providers.Host) (providers.Provider, error) {
		reg, err := providers.NewRegistry(ctx, []providers.Account{{Name: a.Name, Kind: "local", Regions: a.Regions}}, host)
		if err != nil {
			return nil, err
		}
		p, err := reg.Provider(a.Name)
		if err != nil {
			return nil, err
		}
		return plainProvider{Provider: p, reg: reg}, nil
	})
}

// TestTerminateInstancesUnsupported: on a provider that cannot terminate single instances,
// the stage fails and says which kind of provider it is.
func TestTerminateInstancesUnsupported(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		reg, err := providers.NewRegistry(ctx, []providers.Account{{Name: "plain", Kind: plainKind, Regions: []string{"local"}}},
			providers.Host{StateDir: t.TempDir(), Logger: logger()})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = reg.Close() })
		w := newWorld(t, s, engine.Config{Providers: reg, CacheInterval: time.Hour})
		p, _ := reg.Provider("plain")
		if _, ok := p.(providers.InstanceTerminator); ok {
			t.Fatal("the plain provider terminates instances; the test proves nothing")
		}
		c := &cloud{world: w, helloAt: helloBinary(t)}
		var a providers.Artifact
		b, _ := json.Marshal(c.artifact("v1"))
		_ = json.Unmarshal(b, &a)
		g, err := p.CreateServerGroup(ctx, providers.ServerGroupSpec{Account: "plain", Region: "local",
			Moniker: providers.Moniker{App: w.app.Name}, Capacity: providers.Fixed(0), Artifact: a})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = p.DestroyServerGroup(ctx, g.Ref()) })
		id := w.start(w.pipelineOf(pipeline.Definition{Name: "terminate", Stages: []pipeline.Stage{
			stage("1", "terminateInstances", "terminate", nil, map[string]any{"account": "plain", "region": "local", "cluster": w.app.Name,
				"serverGroupName": g.Name, "instanceIds": []any{"x-1"}})}}), nil)
		e := w.waitFor(id, "finished", func(e store.Execution) bool { return pipeline.Status(e.Status).IsComplete() })
		if e.Status != string(pipeline.Terminal) || !strings.Contains(describe(e), "the "+plainKind+" provider of account plain cannot terminate single instances") {
			t.Errorf("terminateInstances on a plain provider: %s %s, want TERMINAL saying the provider cannot", e.Status, describe(e))
		}
	})
}
