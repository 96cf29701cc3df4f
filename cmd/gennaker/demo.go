package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/gennaker/gennaker/pipeline"
	"github.com/gennaker/gennaker/providers"
	"github.com/gennaker/gennaker/providers/local"
	"github.com/gennaker/gennaker/store"
)

// demoArtifact finds the examples/hello binary: the flag's, else `hello` beside gennaker.
func demoArtifact(flagValue string) (string, error) {
	path := flagValue
	if path == "" {
		exe, err := os.Executable()
		if err != nil {
			return "", err
		}
		path = filepath.Join(filepath.Dir(exe), "hello")
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", err
	}
	if _, err := os.Stat(abs); err != nil {
		return "", fmt.Errorf("the demo runs examples/hello, expected at %s: build it with `make build` (or pass --demo-artifact): %w", abs, err)
	}
	return abs, nil
}

// helloArtifact is the demo's artifact: examples/hello at a version, health-checked.
func helloArtifact(bin, version string) map[string]any {
	a := local.Artifact(version, local.ExecSpec{
		Command: local.CommandLine{bin, "--port", "{port}", "--version", version},
		Health:  local.HealthCheck{Path: "/healthz", Interval: local.Duration(500e6), StartTimeout: local.Duration(30e9)},
	})
	b, _ := json.Marshal(a)
	var m map[string]any
	_ = json.Unmarshal(b, &m)
	return map[string]any{"type": a.Type, "reference": a.Reference, "version": version, "metadata": a.Metadata}
}

// seedDemo creates, once, the application hello with its load balancer on lbAddr, a first
// server group running v1 behind it, and the pipeline ship (deploy red/black → manual
// judgment → shrink the cluster to two server groups, keeping one to roll back to).
func seedDemo(ctx context.Context, st *store.Store, eng *runningEngine, bin, lbAddr string) error {
	app, err := st.ApplicationByName(ctx, "hello")
	if errors.Is(err, store.ErrNotFound) {
		app, err = st.CreateApplication(ctx, store.Application{Name: "hello", Description: "the demo: examples/hello",
			OwnerEmail: "demo@localhost", Criticality: "MEDIUM", CloudProviders: store.StringList{"local"}},
			store.Audit{Actor: "gennaker", Action: "seedDemo"})
	}
	if err != nil {
		return err
	}
	p, err := eng.providers.Provider("local")
	if err != nil {
		return err
	}
	if lbm, ok := p.(providers.LoadBalancerManager); ok {
		if _, err := lbm.UpsertLoadBalancer(ctx, providers.LoadBalancerSpec{Account: "local", Region: "local", Name: "hello", Address: lbAddr}); err != nil {
			return fmt.Errorf("opening the demo load balancer on %s: %w", lbAddr, err)
		}
	}
	groups, err := p.ServerGroups(ctx, "local", "hello")
	if err != nil {
		return err
	}
	if len(groups) == 0 {
		art := helloArtifact(bin, "v1")
		b, _ := json.Marshal(art)
		var a providers.Artifact
		_ = json.Unmarshal(b, &a)
		if _, err := p.CreateServerGroup(ctx, providers.ServerGroupSpec{Account: "local", Region: "local",
			Moniker: providers.Moniker{App: "hello"}, Capacity: providers.Fixed(2), Artifact: a, LoadBalancers: []string{"hello"}}); err != nil {
			return fmt.Errorf("starting the demo's first server group: %w", err)
		}
	}
	if err := eng.engine.Refresh(ctx, "local", "hello"); err != nil {
		return err
	}
	if _, err := st.PipelineByName(ctx, app.ID, "ship"); err == nil {
		return nil
	}
	art := helloArtifact(bin, "${parameters.version}")
	art["metadata"].(map[string]any)["exec"].(map[string]any)["command"] = []any{bin, "--port", "{port}", "--version", "${parameters.version}"}
	d := pipeline.Definition{Name: "ship", Description: "deploy a new version of hello red/black, approve it, keep one to roll back to",
		LimitConcurrent: true,
		Parameters:      []pipeline.Parameter{{Name: "version", Label: "Version", Default: "v2", Required: true}},
		Stages: []pipeline.Stage{
			{RefID: "1", Type: "deploy", Name: "Deploy", Config: map[string]any{
				"account": "local", "region": "local", "strategy": "redblack",
				"capacity": map[string]any{"min": 2, "desired": 2, "max": 2}, "artifact": art,
				"loadBalancers": []any{"hello"}, "healthTimeoutSec": 60, "rollback": map[string]any{"onFailure": true}}},
			{RefID: "2", Type: "manualJudgment", Name: "Promote", RequisiteStageRefIDs: []string{"1"}, Config: map[string]any{
				"instructions": "hello ${parameters.version} takes the traffic; the previous server group is disabled and kept. Continue to clean up, stop to leave it for a rollback."}},
			{RefID: "3", Type: "shrinkCluster", Name: "Shrink old", RequisiteStageRefIDs: []string{"2"}, Config: map[string]any{
				"account": "local", "region": "local", "cluster": "hello", "shrinkToSize": 2}},
		}}
	if err := pipeline.Validate(d); err != nil {
		return fmt.Errorf("the demo pipeline is invalid: %w", err)
	}
	def, _ := json.Marshal(d)
	_, err = st.SavePipeline(ctx, store.Pipeline{ApplicationID: app.ID, Name: "ship", Definition: def, UpdatedBy: "gennaker"}, nil,
		store.Audit{Actor: "gennaker", Action: "seedDemo"})
	return err
}
