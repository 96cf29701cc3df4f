package local

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/gennaker/gennaker/providers"
)

func TestHealthTracker(t *testing.T) {
	cfg := HealthCheck{HealthyThreshold: 2, UnhealthyThreshold: 2, StartTimeout: Duration(10 * time.Second)}.withDefaults()
	fail := errors.New("connection refused")
	t0 := time.Unix(1000, 0)
	type step struct {
		at         time.Duration
		err        error
		want       providers.HealthState
		wantDetail string
	}
	tests := []struct {
		name  string
		steps []step
	}{
		{"up after threshold", []step{
			{1 * time.Second, nil, providers.Starting, "waiting for the first"},
			{2 * time.Second, nil, providers.Up, ""},
		}},
		{"starting while failing", []step{
			{1 * time.Second, fail, providers.Starting, "waiting to become healthy: connection refused"},
			{2 * time.Second, nil, providers.Starting, "waiting to become healthy"},
		}},
		{"failed after start timeout", []step{
			{1 * time.Second, fail, providers.Starting, "waiting"},
			{11 * time.Second, fail, providers.Failed, "never became healthy within 10s: connection refused"},
			{12 * time.Second, nil, providers.Failed, "never became healthy"},
			{13 * time.Second, nil, providers.Up, ""},
		}},
		{"down after unhealthy threshold", []step{
			{1 * time.Second, nil, providers.Starting, ""},
			{2 * time.Second, nil, providers.Up, ""},
			{3 * time.Second, fail, providers.Up, ""},
			{4 * time.Second, fail, providers.Down, "failed 2 health checks in a row"},
			{5 * time.Second, fail, providers.Down, "health check failing"},
			{6 * time.Second, nil, providers.Down, "health check failing"},
			{7 * time.Second, nil, providers.Up, ""},
		}},
		{"one failure does not flap", []step{
			{1 * time.Second, nil, providers.Starting, ""},
			{2 * time.Second, nil, providers.Up, ""},
			{3 * time.Second, fail, providers.Up, ""},
			{4 * time.Second, nil, providers.Up, ""},
			{5 * time.Second, fail, providers.Up, ""},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHealthTracker(cfg, t0)
			for i, s := range tt.steps {
				h.observe(t0.Add(s.at), s.err)
				if h.state != s.want || !strings.HasPrefix(h.detail, s.wantDetail) {
					t.Fatalf("step %d: got %s %q, want %s %q…", i, h.state, h.detail, s.want, s.wantDetail)
				}
			}
		})
	}
}

func TestDecodeArtifact(t *testing.T) {
	good := Artifact("v1", ExecSpec{Command: CommandLine{"/bin/x", "--port", "{port}"}, Health: HealthCheck{Path: "/healthz"}})
	s, err := DecodeArtifact(good)
	if err != nil {
		t.Fatal(err)
	}
	if s.Command[2] != "{port}" || s.Health.Interval.D() != time.Second || s.Health.HealthyThreshold != 1 {
		t.Errorf("DecodeArtifact = %+v", s)
	}
	fromYAML := providers.Artifact{Type: "exec", Metadata: map[string]any{"exec": map[string]any{
		"command": "/bin/x --port {port}", "health": map[string]any{"interval": "250ms", "startTimeout": 5},
	}}}
	s, err = DecodeArtifact(fromYAML)
	if err != nil || len(s.Command) != 3 || s.Health.Interval.D() != 250*time.Millisecond || s.Health.StartTimeout.D() != 5*time.Second {
		t.Errorf("DecodeArtifact(yaml-like) = %+v, %v", s, err)
	}
	tests := []struct {
		name string
		a    providers.Artifact
		want error
	}{
		{"other type", providers.Artifact{Type: "docker"}, providers.ErrUnsupported},
		{"no metadata", providers.Artifact{Type: "exec"}, providers.ErrInvalidSpec},
		{"no command", providers.Artifact{Type: "exec", Metadata: map[string]any{"exec": map[string]any{}}}, providers.ErrInvalidSpec},
		{"unknown field", providers.Artifact{Type: "exec", Metadata: map[string]any{"exec": map[string]any{"command": "x", "cmd": "y"}}}, providers.ErrInvalidSpec},
		{"bad path", providers.Artifact{Type: "exec", Metadata: map[string]any{"exec": map[string]any{"command": "x", "health": map[string]any{"path": "healthz"}}}}, providers.ErrInvalidSpec},
		{"bad duration", providers.Artifact{Type: "exec", Metadata: map[string]any{"exec": map[string]any{"command": "x", "health": map[string]any{"interval": "soon"}}}}, providers.ErrInvalidSpec},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := DecodeArtifact(tt.a); !errors.Is(err, tt.want) {
				t.Errorf("DecodeArtifact error = %v, want %v", err, tt.want)
			}
		})
	}
}
