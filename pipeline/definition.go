package pipeline

import (
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Definition is a pipeline as saved by a user: Spinnaker's JSON shape, with
// `parameterConfig` for Parameters as Spinnaker names it.
type Definition struct {
	Name                    string         `json:"name"`
	Description             string         `json:"description,omitempty"`
	Stages                  []Stage        `json:"stages"`
	Triggers                []Trigger      `json:"triggers,omitempty"`
	Parameters              []Parameter    `json:"parameterConfig,omitempty"`
	Notifications           []Notification `json:"notifications,omitempty"`
	LimitConcurrent         bool           `json:"limitConcurrent"`
	MaxConcurrentExecutions int            `json:"maxConcurrentExecutions,omitempty"`
	KeepWaitingPipelines    bool           `json:"keepWaitingPipelines"`
	Disabled                bool           `json:"disabled"`
}

// Stage is one node of the pipeline's DAG. Config holds the type's fields
// (see LookupStageType) and the options every stage shares, under
// Spinnaker's names: failPipeline, continuePipeline,
// completeOtherBranchesThenFail, stageEnabled, stageTimeoutMs,
// restrictExecutionDuringTimeWindow and restrictedExecutionWindow.
type Stage struct {
	RefID                string         `json:"refId"`
	Type                 string         `json:"type"`
	Name                 string         `json:"name"`
	RequisiteStageRefIDs []string       `json:"requisiteStageRefIds"`
	Config               map[string]any `json:"config"`
}

// Trigger starts a pipeline. Type is manual, cron (Config.cronExpression),
// webhook (Config.source) or pipeline (Config.application, Config.pipeline,
// Config.status: a list of successful, failed, canceled).
type Trigger struct {
	Type    string         `json:"type"`
	Enabled bool           `json:"enabled"`
	Config  map[string]any `json:"config,omitempty"`
}

// Parameter is one value asked for when the pipeline is triggered. When
// Options is not empty the value must be one of them.
type Parameter struct {
	Name        string   `json:"name"`
	Label       string   `json:"label,omitempty"`
	Description string   `json:"description,omitempty"`
	Default     string   `json:"default,omitempty"`
	Required    bool     `json:"required"`
	Options     []string `json:"options,omitempty"`
}

// Notification tells someone about an event. Type is the channel (slack,
// email, webhook …), Address where to, When the events (see
// NotificationEvents).
type Notification struct {
	Type    string         `json:"type"`
	Address string         `json:"address"`
	When    []string       `json:"when"`
	Config  map[string]any `json:"config,omitempty"`
}

// NotificationEvents returns the values allowed in Notification.When.
func NotificationEvents() []string { return slices.Clone(notificationEvents) }

var notificationEvents = []string{
	"pipeline.starting", "pipeline.complete", "pipeline.failed",
	"stage.starting", "stage.complete", "stage.failed",
	"manualJudgment",
}

// FailureMode is what a stage's failure does to its execution.
type FailureMode int

// The failure modes, as Spinnaker's stage "If stage fails" options.
const (
	// FailPipeline halts the whole pipeline: the stage becomes TERMINAL and
	// running branches are canceled. The default.
	FailPipeline FailureMode = iota
	// ContinuePipeline ignores the failure: the stage becomes FAILED_CONTINUE
	// and its downstream stages run.
	ContinuePipeline
	// StopBranch halts only this branch: the stage becomes STOPPED, other
	// branches continue and the execution may still succeed.
	StopBranch
	// CompleteOtherBranchesThenFail halts this branch like StopBranch, lets
	// the other branches finish, then ends the execution TERMINAL.
	CompleteOtherBranchesThenFail
)

// String returns the Spinnaker option name of the mode.
func (m FailureMode) String() string {
	switch m {
	case FailPipeline:
		return "failPipeline"
	case ContinuePipeline:
		return "continuePipeline"
	case StopBranch:
		return "stopBranch"
	case CompleteOtherBranchesThenFail:
		return "completeOtherBranchesThenFail"
	}
	return fmt.Sprintf("FailureMode(%d)", int(m))
}

// FailureMode reads the stage's failure options with orca's precedence:
// continuePipeline=true wins; then failPipeline (true when absent) halts the
// pipeline; then completeOtherBranchesThenFail; else the branch stops.
// Values that are not booleans count as absent (Validate reports them).
func (s Stage) FailureMode() FailureMode {
	if b, ok := s.Bool("continuePipeline"); ok && b {
		return ContinuePipeline
	}
	if b, ok := s.Bool("failPipeline"); !ok || b {
		return FailPipeline
	}
	if b, ok := s.Bool("completeOtherBranchesThenFail"); ok && b {
		return CompleteOtherBranchesThenFail
	}
	return StopBranch
}

// Timeout is stageTimeoutMs as a duration; 0 means no stage timeout.
func (s Stage) Timeout() time.Duration {
	ms, ok := s.Int("stageTimeoutMs")
	if !ok || ms <= 0 {
		return 0
	}
	return time.Duration(ms) * time.Millisecond
}

// EnabledExpression is stageEnabled.expression when stageEnabled.type is
// "expression" (or absent), else "". An empty result means always enabled.
func (s Stage) EnabledExpression() string {
	m, ok := s.Config["stageEnabled"].(map[string]any)
	if !ok {
		return ""
	}
	if t, _ := m["type"].(string); t != "" && t != "expression" {
		return ""
	}
	e, _ := m["expression"].(string)
	return strings.TrimSpace(e)
}

// Window returns the stage's execution window: restrictedExecutionWindow when
// restrictExecutionDuringTimeWindow is true or the stage is of type
// restrictExecutionDuringTimeWindow; nil, nil when the stage has none. The
// error, when not nil, is a *ValidationError with INVALID_WINDOW problems.
func (s Stage) Window() (*Window, error) {
	on, _ := s.Bool("restrictExecutionDuringTimeWindow")
	if !on && s.Type != "restrictExecutionDuringTimeWindow" {
		return nil, nil
	}
	var ps problems
	w := parseWindow(s.Config["restrictedExecutionWindow"], "config.restrictedExecutionWindow", &ps)
	if err := ps.err(); err != nil {
		return nil, err
	}
	return w, nil
}

// String returns Config[field] when it is a string, else the stage type's
// default for field when it is a string, else "".
func (s Stage) String(field string) string {
	if v, ok := s.Config[field].(string); ok {
		return v
	}
	v, _ := s.fieldDefault(field).(string)
	return v
}

// Int returns Config[field] as an integer (a whole JSON number or a string of
// digits, as an expression yields), falling back to the stage type's default.
// ok is false when neither exists or the value is not an integer.
func (s Stage) Int(field string) (n int, ok bool) {
	v, present := s.Config[field]
	if !present {
		v = s.fieldDefault(field)
	}
	i, ok := asInt(v)
	return int(i), ok
}

// Bool returns Config[field] as a boolean (true/false or their strings),
// falling back to the stage type's default. ok is false when neither exists
// or the value is not a boolean.
func (s Stage) Bool(field string) (b bool, ok bool) {
	v, present := s.Config[field]
	if !present {
		v = s.fieldDefault(field)
	}
	return asBool(v)
}

// Duration returns Config[field] read as a duration: an integer is whole
// seconds (Spinnaker's waitTime, delayBeforeDisableSec …), a string is either
// digits (seconds) or a Go duration such as "90s" or "5m". It falls back to
// the stage type's default; ok is false when nothing usable is there.
func (s Stage) Duration(field string) (d time.Duration, ok bool) {
	v, present := s.Config[field]
	if !present {
		v = s.fieldDefault(field)
	}
	return asDuration(v)
}

func (s Stage) fieldDefault(field string) any {
	if t, ok := LookupStageType(s.Type); ok {
		if f, ok := t.Field(field); ok {
			return f.Default
		}
	}
	return nil
}

// asInt converts the integer forms a config value takes after JSON decoding
// or expression evaluation.
func asInt(v any) (int64, bool) {
	switch n := v.(type) {
	case int:
		return int64(n), true
	case int8:
		return int64(n), true
	case int16:
		return int64(n), true
	case int32:
		return int64(n), true
	case int64:
		return n, true
	case uint:
		return int64(n), n <= math.MaxInt64
	case uint8:
		return int64(n), true
	case uint16:
		return int64(n), true
	case uint32:
		return int64(n), true
	case uint64:
		return int64(n), n <= math.MaxInt64
	case float32:
		return asInt(float64(n))
	case float64:
		if n != math.Trunc(n) || math.Abs(n) > 1<<53 {
			return 0, false
		}
		return int64(n), true
	case json.Number:
		i, err := n.Int64()
		return i, err == nil
	case string:
		i, err := strconv.ParseInt(strings.TrimSpace(n), 10, 64)
		return i, err == nil
	}
	return 0, false
}

func asBool(v any) (bool, bool) {
	switch b := v.(type) {
	case bool:
		return b, true
	case string:
		switch strings.TrimSpace(strings.ToLower(b)) {
		case "true":
			return true, true
		case "false":
			return false, true
		}
	}
	return false, false
}

func asDuration(v any) (time.Duration, bool) {
	if s, ok := v.(string); ok {
		if d, err := time.ParseDuration(strings.TrimSpace(s)); err == nil {
			return d, d >= 0
		}
	}
	n, ok := asInt(v)
	if !ok || n < 0 {
		return 0, false
	}
	return time.Duration(n) * time.Second, true
}
