package local

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/gennaker/gennaker/providers"
)

// ArtifactType is the artifact type the local driver runs.
const ArtifactType = "exec"

// ExecSpec describes how to run one instance of a server group: the typed
// form of an "exec" artifact's Metadata["exec"].
//
// In a pipeline or accounts file (JSON or YAML):
//
//	type: exec
//	reference: ./bin/hello
//	version: v2
//	metadata:
//	  exec:
//	    command: ["./bin/hello", "--port", "{port}"]
//	    env: {VERSION: v2}
//	    health: {path: /healthz, interval: 1s}
type ExecSpec struct {
	// Command is the argv; "{port}" in any argument is replaced by the
	// instance's port. A single string is split on white space.
	Command CommandLine `json:"command"`
	// Env is added to the driver's own environment, "{port}" replaced too.
	// The driver also sets PORT, GENNAKER_INSTANCE_ID, GENNAKER_SERVER_GROUP.
	Env map[string]string `json:"env,omitempty"`
	// Dir is the working directory; empty is the driver's.
	Dir string `json:"dir,omitempty"`
	// Health is how the driver decides an instance is Up.
	Health HealthCheck `json:"health"`
}

// HealthCheck configures an instance's health check. Zero fields take the
// defaults noted.
type HealthCheck struct {
	// Path of an HTTP GET on 127.0.0.1:{port} that must answer 2xx or 3xx;
	// empty checks that the port accepts a TCP connection.
	Path string `json:"path,omitempty"`
	// Interval between checks; default 1s.
	Interval Duration `json:"interval,omitempty"`
	// Timeout of one check; default the smaller of Interval and 2s.
	Timeout Duration `json:"timeout,omitempty"`
	// HealthyThreshold is the number of consecutive passes that make an
	// instance Up; default 1.
	HealthyThreshold int `json:"healthyThreshold,omitempty"`
	// UnhealthyThreshold is the number of consecutive failures that make an
	// Up instance Down; default 3.
	UnhealthyThreshold int `json:"unhealthyThreshold,omitempty"`
	// StartTimeout is how long an instance may stay Starting before it is
	// reported Failed; default 60s. The process is left running: it is Up
	// as soon as it passes.
	StartTimeout Duration `json:"startTimeout,omitempty"`
}

// withDefaults returns h with zero fields set to their defaults.
func (h HealthCheck) withDefaults() HealthCheck {
	if h.Interval <= 0 {
		h.Interval = Duration(time.Second)
	}
	if h.Timeout <= 0 {
		h.Timeout = min(h.Interval, Duration(2*time.Second))
	}
	if h.HealthyThreshold <= 0 {
		h.HealthyThreshold = 1
	}
	if h.UnhealthyThreshold <= 0 {
		h.UnhealthyThreshold = 3
	}
	if h.StartTimeout <= 0 {
		h.StartTimeout = Duration(time.Minute)
	}
	return h
}

// CommandLine is an argv that decodes from a JSON array or a string.
type CommandLine []string

// UnmarshalJSON accepts ["a", "b"] or "a b".
func (c *CommandLine) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err == nil {
		*c = strings.Fields(s)
		return nil
	}
	var argv []string
	if err := json.Unmarshal(b, &argv); err != nil {
		return fmt.Errorf("command: want a string or a list of strings: %w", err)
	}
	*c = argv
	return nil
}

// Duration is a time.Duration that reads and writes as "1.5s" in JSON and
// YAML; a JSON number is seconds.
type Duration time.Duration

// MarshalJSON writes the duration as a string.
func (d Duration) MarshalJSON() ([]byte, error) { return json.Marshal(time.Duration(d).String()) }

// UnmarshalJSON reads "1.5s" or a number of seconds.
func (d *Duration) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err == nil {
		v, err := time.ParseDuration(s)
		*d = Duration(v)
		return err
	}
	var secs float64
	if err := json.Unmarshal(b, &secs); err != nil {
		return fmt.Errorf("duration: want \"1s\" or seconds: %w", err)
	}
	*d = Duration(secs * float64(time.Second))
	return nil
}

// D returns the time.Duration.
func (d Duration) D() time.Duration { return time.Duration(d) }

// Artifact returns an "exec" artifact running spec, labelled version. Its
// Metadata holds the spec as plain JSON values, as if read from a pipeline.
func Artifact(version string, spec ExecSpec) providers.Artifact {
	a := providers.Artifact{Type: ArtifactType, Version: version}
	if len(spec.Command) > 0 {
		a.Reference = spec.Command[0]
	}
	b, _ := json.Marshal(spec) // plain fields: cannot fail
	var m map[string]any
	_ = json.Unmarshal(b, &m)
	a.Metadata = map[string]any{"exec": m}
	return a
}

// DecodeArtifact returns the ExecSpec of an "exec" artifact, with health
// check defaults applied. It returns an ErrUnsupported error for another
// type and an ErrInvalidSpec error for a missing command or unknown field.
func DecodeArtifact(a providers.Artifact) (ExecSpec, error) {
	if a.Type != ArtifactType {
		return ExecSpec{}, providers.Errorf(providers.CodeUnsupported, "decoding artifact: type %q: the local driver runs %q", a.Type, ArtifactType)
	}
	raw, ok := a.Metadata["exec"]
	if !ok {
		return ExecSpec{}, providers.Errorf(providers.CodeInvalidSpec, "decoding artifact: metadata.exec is missing")
	}
	b, err := json.Marshal(raw)
	if err != nil {
		return ExecSpec{}, providers.Errorf(providers.CodeInvalidSpec, "decoding artifact: metadata.exec: %w", err)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	var s ExecSpec
	if err := dec.Decode(&s); err != nil {
		return ExecSpec{}, providers.Errorf(providers.CodeInvalidSpec, "decoding artifact: metadata.exec: %w", err)
	}
	if len(s.Command) == 0 || s.Command[0] == "" {
		return ExecSpec{}, providers.Errorf(providers.CodeInvalidSpec, "decoding artifact: metadata.exec.command is empty")
	}
	if s.Health.Path != "" && !strings.HasPrefix(s.Health.Path, "/") {
		return ExecSpec{}, providers.Errorf(providers.CodeInvalidSpec, "decoding artifact: health path %q must start with /", s.Health.Path)
	}
	if s.Health.HealthyThreshold < 0 || s.Health.UnhealthyThreshold < 0 {
		return ExecSpec{}, providers.Errorf(providers.CodeInvalidSpec, "decoding artifact: negative health threshold")
	}
	s.Health = s.Health.withDefaults()
	return s, nil
}
