package engine_test

import (
	"context"
	"fmt"
	"maps"
	"sort"
	"testing"
	"time"

	"github.com/gennaker/gennaker/engine"
	"github.com/gennaker/gennaker/pipeline"
	"github.com/gennaker/gennaker/providers"
	awsdriver "github.com/gennaker/gennaker/providers/aws"
	"github.com/gennaker/gennaker/providers/aws/awstest"
	"github.com/gennaker/gennaker/store"
	"github.com/gennaker/gennaker/store/storetest"
)

// TestAWSRedBlackThenRolling runs the engine's deploy strategies, unchanged,
// through the aws driver against moto: a first deploy, a red/black, then a
// rolling red/black 50 → 100 with a judgment between steps, checking the
// enabled and disabled groups and the listener's weights at each step.
func TestAWSRedBlackThenRolling(t *testing.T) {
	srv, err := awstest.Start()
	if err != nil {
		t.Fatalf("moto is required for this test and is not available: %v", err)
	}
	t.Cleanup(srv.Stop)
	awstest.Hermetic("us-east-1")
	for _, dialect := range storetest.Dialects(t) {
		t.Run(dialect, func(t *testing.T) {
			if err := srv.Reset(); err != nil {
				t.Fatal(err)
			}
			awsDeploys(t, srv, storetest.Open(t, dialect))
		})
	}
}

func awsDeploys(t *testing.T, srv *awstest.Server, s *store.Store) {
	ctx := context.Background()
	reg, err := providers.NewRegistry(ctx, []providers.Account{{Name: "aws", Kind: awsdriver.Kind, Regions: []string{"us-east-1"},
		Settings: map[string]any{"endpoint": srv.URL, "maxBackoff": "50ms", "drainTimeout": "2s", "enableTimeout": "5s",
			"defaults": map[string]any{"securityGroups": []any{"conformance"}, "subnetPurpose": "internal"}}}},
		providers.Host{Logger: logger()})
	if err != nil {
		t.Fatal(err)
	}
	w := newWorld(t, s, engine.Config{Providers: reg, CacheInterval: time.Hour})
	app := w.app.Name
	fx, err := srv.Seed(ctx, "us-east-1", app)
	if err != nil {
		t.Fatal(err)
	}
	deploy := func(version string, cfg map[string]any) pipeline.Stage {
		base := map[string]any{"account": "aws", "region": "us-east-1", "capacity": map[string]any{"min": 2, "desired": 2, "max": 2},
			"artifact": map[string]any{"type": "ami", "reference": "hello-1.0", "version": version}, "loadBalancers": []any{app}, "healthTimeoutSec": 30}
		maps.Copy(base, cfg)
		return stage("1", "deploy", "deploy "+version, nil, base)
	}
	tg := func(seq int) string { return awsdriver.TargetGroupName(app, fmt.Sprintf("%s-v%03d", app, seq)) }
	expect := func(step string, enabled, disabled []string, weights map[string]int) {
		t.Helper()
		p, _ := reg.Provider("aws")
		gs, err := p.ServerGroups(ctx, "aws", app)
		if err != nil {
			t.Fatal(err)
		}
		en, dis := enabledNames(gs)
		if fmt.Sprint(en) != fmt.Sprint(enabled) || fmt.Sprint(dis) != fmt.Sprint(disabled) {
			t.Errorf("%s: enabled %v disabled %v; want %v and %v", step, en, dis, enabled, disabled)
		}
		got, err := fx.ListenerWeights(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if !maps.Equal(got, weights) {
			t.Errorf("%s: listener weights %v, want %v", step, got, weights)
		}
		// What the clusters query reads: the caching agent's copy in the store, with every
		// instance of an enabled group healthy.
		if err := w.engine.Refresh(ctx, "aws", app); err != nil {
			t.Fatal(err)
		}
		stored, err := s.ServerGroupsOf(ctx, "aws", app)
		if err != nil {
			t.Fatal(err)
		}
		var sen, sdis []string
		for _, g := range stored {
			if g.Enabled {
				sen = append(sen, g.Name)
				is, _ := s.InstancesByServerGroups(ctx, []string{g.ID})
				up := 0
				for _, i := range is {
					if i.Health == "UP" {
						up++
					}
				}
				if up != g.CapacityDesired {
					t.Errorf("%s: stored %s has %d of %d instances UP", step, g.Name, up, g.CapacityDesired)
				}
			} else {
				sdis = append(sdis, g.Name)
			}
		}
		sort.Strings(sen)
		sort.Strings(sdis)
		if fmt.Sprint(sen) != fmt.Sprint(enabled) || fmt.Sprint(sdis) != fmt.Sprint(disabled) {
			t.Errorf("%s: the store shows enabled %v disabled %v; want %v and %v", step, sen, sdis, enabled, disabled)
		}
	}
	name := func(seq int) string { return fmt.Sprintf("%s-v%03d", app, seq) }
	def := app + "-default"

	id := w.start(w.pipelineOf(pipeline.Definition{Name: "first", Stages: []pipeline.Stage{deploy("v1", map[string]any{"strategy": "redblack"})}}), nil)
	w.waitStatus(id, pipeline.Succeeded)
	expect("first deploy", []string{name(0)}, nil, map[string]int{tg(0): 100, def: 0})

	id = w.start(w.pipelineOf(pipeline.Definition{Name: "rb", Stages: []pipeline.Stage{deploy("v2", map[string]any{"strategy": "redblack"})}}), nil)
	w.waitStatus(id, pipeline.Succeeded)
	expect("red/black", []string{name(1)}, []string{name(0)}, map[string]int{tg(0): 0, tg(1): 100, def: 0})

	st := deploy("v3", map[string]any{"strategy": "rollingredblack", "targetPercentages": []any{50}, "judgmentBetweenSteps": true})
	id = w.start(w.pipelineOf(pipeline.Definition{Name: "rolling", Stages: []pipeline.Stage{st}}), nil)
	w.waitFor(id, "awaiting judgment at 50%", func(e store.Execution) bool {
		state, _ := e.Stages[0].Context["_state"].(map[string]any)
		return state["awaitingJudgment"] == true && e.Stages[0].Outputs["rollingPercentage"] == float64(50)
	})
	expect("rolling at 50%", []string{name(1), name(2)}, []string{name(0)}, map[string]int{tg(0): 0, tg(1): 50, tg(2): 50, def: 0})
	dep := w.stageOf(id, st.Name)
	w.judge(id, dep, "t", map[string]any{"judgment": "CONTINUE"})
	w.waitStatus(id, pipeline.Succeeded)
	expect("rolling at 100%", []string{name(2)}, []string{name(0), name(1)}, map[string]int{tg(0): 0, tg(1): 0, tg(2): 100, def: 0})

	// Roll back: the previous group serves again at full weight, the current one is disabled.
	id = w.start(w.pipelineOf(pipeline.Definition{Name: "rollback", Stages: []pipeline.Stage{
		stage("1", "rollbackCluster", "rollback", nil, map[string]any{"account": "aws", "region": "us-east-1", "cluster": app})}}), nil)
	w.waitStatus(id, pipeline.Succeeded)
	expect("rolled back", []string{name(1)}, []string{name(0), name(2)}, map[string]int{tg(0): 0, tg(1): 100, tg(2): 0, def: 0})

	p, _ := reg.Provider("aws")
	gs, _ := p.ServerGroups(ctx, "aws", app)
	for _, g := range gs {
		if err := p.DestroyServerGroup(ctx, g.Ref()); err != nil {
			t.Errorf("destroying %s: %v", g.Name, err)
		}
	}
	// The caching agent's next read converges the listener, should a
	// refresh of the engine have raced with the destroys.
	if _, err := p.LoadBalancers(ctx, "aws", app); err != nil {
		t.Fatal(err)
	}
	expect("all destroyed", nil, nil, map[string]int{def: 1})
}
