package aws

import (
	"errors"
	"maps"
	"regexp"
	"strings"
	"testing"

	awssdk "github.com/aws/aws-sdk-go-v2/aws"
	astypes "github.com/aws/aws-sdk-go-v2/service/autoscaling/types"
	elbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"
	"github.com/aws/smithy-go"

	"github.com/gennaker/gennaker/providers"
)

// Tests of the decisions, without AWS.

func TestForwardWeights(t *testing.T) {
	tests := []struct {
		name string
		ms   []member
		want map[string]int
	}{
		{"enabled and healthy get their weight; the original target group 0",
			[]member{{arn: "a", group: "g-v001", weight: 90, enabled: true, healthy: 2}, {arn: "b", group: "g-v002", weight: 10, enabled: true, healthy: 1}, {arn: "orig"}},
			map[string]int{"a": 90, "b": 10, "orig": 0}},
		{"a disabled group gets 0",
			[]member{{arn: "a", group: "g-v001", weight: 100, enabled: false, healthy: 2}, {arn: "b", group: "g-v002", weight: 100, enabled: true, healthy: 1}},
			map[string]int{"a": 0, "b": 100}},
		{"no healthy target: 0 until one is",
			[]member{{arn: "a", group: "g-v001", weight: 100, enabled: true, healthy: 0}, {arn: "b", group: "g-v002", weight: 100, enabled: true, healthy: 3}},
			map[string]int{"a": 0, "b": 100}},
		{"nothing takes traffic: the original target group is the fallback",
			[]member{{arn: "a", group: "g-v001", weight: 100}, {arn: "orig"}},
			map[string]int{"a": 0, "orig": 1}},
		{"a destroyed group's target group leaves the action",
			[]member{{arn: "a", group: "g-v001", weight: 100, gone: true}, {arn: "b", group: "g-v002", weight: 100, enabled: true, healthy: 1}, {arn: "deleted", gone: true}},
			map[string]int{"b": 100}},
		{"weights are clamped to ELBv2's range",
			[]member{{arn: "a", group: "g-v001", weight: 5000, enabled: true, healthy: 1}},
			map[string]int{"a": 999}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := forwardWeights(tt.ms); !maps.Equal(got, tt.want) {
				t.Errorf("forwardWeights = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestInstanceHealth(t *testing.T) {
	in := func(state astypes.LifecycleState, health string) astypes.Instance {
		return astypes.Instance{InstanceId: awssdk.String("i-1"), LifecycleState: state, HealthStatus: awssdk.String(health)}
	}
	ts := func(s elbtypes.TargetHealthStateEnum) []targetState {
		return []targetState{{state: s, description: "why"}}
	}
	tests := []struct {
		name        string
		in          astypes.Instance
		enabled, lb bool
		targets     []targetState
		want        providers.HealthState
	}{
		{"pending", in(astypes.LifecycleStatePending, "Healthy"), true, true, nil, providers.Starting},
		{"terminating", in(astypes.LifecycleStateTerminating, "Healthy"), true, true, nil, providers.Draining},
		{"standby", in(astypes.LifecycleStateStandby, "Healthy"), true, true, nil, providers.OutOfService},
		{"unhealthy for Auto Scaling", in(astypes.LifecycleStateInService, "Unhealthy"), true, true, ts("healthy"), providers.Down},
		{"no load balancer", in(astypes.LifecycleStateInService, "Healthy"), true, false, nil, providers.Up},
		{"disabled", in(astypes.LifecycleStateInService, "Healthy"), false, true, nil, providers.OutOfService},
		{"disabled and draining", in(astypes.LifecycleStateInService, "Healthy"), false, true, ts("draining"), providers.Draining},
		{"healthy target", in(astypes.LifecycleStateInService, "Healthy"), true, true, ts("healthy"), providers.Up},
		{"initial target", in(astypes.LifecycleStateInService, "Healthy"), true, true, ts("initial"), providers.Starting},
		{"unhealthy target", in(astypes.LifecycleStateInService, "Healthy"), true, true, ts("unhealthy"), providers.Down},
		{"not registered yet", in(astypes.LifecycleStateInService, "Healthy"), true, true, nil, providers.Starting},
		{"one of two target groups unhealthy", in(astypes.LifecycleStateInService, "Healthy"), true, true,
			[]targetState{{state: "healthy"}, {state: "unhealthy", reason: "Target.ResponseCodeMismatch"}}, providers.Down},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, why := instanceHealth(tt.in, tt.enabled, tt.lb, tt.targets)
			if got != tt.want {
				t.Errorf("instanceHealth = %s (%s), want %s", got, why, tt.want)
			}
			if got != providers.Up && why == "" {
				t.Errorf("instanceHealth = %s without a detail", got)
			}
		})
	}
}

func TestTargetGroupName(t *testing.T) {
	valid := regexp.MustCompile(`^[a-zA-Z0-9][a-zA-Z0-9-]{0,30}[a-zA-Z0-9]$`)
	seen := map[string]bool{}
	for _, c := range []struct{ lb, group string }{
		{"conformance", "hello-v001"}, {"other", "hello-v001"}, {"conformance", "hello-v002"},
		{"lb", "a-very-long-application-name-prod-with-a-detail-v123"}, {"lb", "app.with~odd^chars-v001"}, {"lb", "---"},
	} {
		n := targetGroupName(c.lb, c.group)
		if !valid.MatchString(n) {
			t.Errorf("targetGroupName(%q, %q) = %q: not a valid target group name", c.lb, c.group, n)
		}
		if seen[n] {
			t.Errorf("targetGroupName(%q, %q) = %q twice", c.lb, c.group, n)
		}
		seen[n] = true
		if again := targetGroupName(c.lb, c.group); again != n {
			t.Errorf("targetGroupName is not stable: %q then %q", n, again)
		}
	}
}

func TestParseSettings(t *testing.T) {
	s, err := ParseSettings(map[string]any{"profile": "deploy", "assumeRole": "arn:aws:iam::1:role/x", "externalId": "e",
		"endpoint": "http://127.0.0.1:5000", "maxAttempts": 7, "maxBackoff": "2s", "drainTimeout": 30,
		"defaults": map[string]any{"instanceType": "t3.small", "securityGroups": []any{"a"}, "subnetPurpose": "internal"}})
	if err != nil {
		t.Fatal(err)
	}
	if s.Profile != "deploy" || s.MaxAttempts != 7 || s.MaxBackoff.D().Seconds() != 2 || s.DrainTimeout.D().Seconds() != 30 || s.Defaults.InstanceType != "t3.small" {
		t.Errorf("ParseSettings = %+v", s)
	}
	for _, bad := range []map[string]any{
		{"profiel": "typo"},
		{"externalId": "without a role"},
		{"accessKeyId": "AKIA…"}, // credentials are never written in the accounts file
		{"maxBackoff": "soon"},
	} {
		if _, err := ParseSettings(bad); !errors.Is(err, providers.ErrInvalidSpec) {
			t.Errorf("ParseSettings(%v) error = %v, want ErrInvalidSpec", bad, err)
		}
	}
}

func TestLaunchSettings(t *testing.T) {
	defaults := LaunchSettings{InstanceType: "t3.small", SecurityGroups: []string{"base"}, SubnetPurpose: "internal", KeyPair: "ops"}
	ls, err := launchSettings(defaults, map[string]any{"instanceType": "m5.large", "securityGroups": []any{"app"}, "other": "kept for the artifact"})
	if err != nil {
		t.Fatal(err)
	}
	if ls.InstanceType != "m5.large" || strings.Join(ls.SecurityGroups, ",") != "app" || ls.KeyPair != "ops" || ls.SubnetPurpose != "internal" {
		t.Errorf("launchSettings = %+v: the metadata overrides the defaults key by key", ls)
	}
	if _, err := launchSettings(LaunchSettings{}, nil); !errors.Is(err, providers.ErrInvalidSpec) {
		t.Errorf("launchSettings without subnets error = %v, want ErrInvalidSpec", err)
	}
	if _, err := launchSettings(defaults, map[string]any{"healthCheckType": "TCP"}); !errors.Is(err, providers.ErrInvalidSpec) {
		t.Errorf("launchSettings(healthCheckType TCP) error = %v, want ErrInvalidSpec", err)
	}
	a := providers.Artifact{Type: "ami", Reference: "ami-1", Version: "1"}
	if specDigest(a, ls, []string{"b", "a"}) != specDigest(a, ls, []string{"a", "b"}) {
		t.Error("specDigest depends on the order of the load balancers")
	}
	a2 := a
	a2.Version = "2"
	if specDigest(a, ls, nil) == specDigest(a2, ls, nil) {
		t.Error("specDigest ignores the version")
	}
}

func TestAWSErrorCodes(t *testing.T) {
	tests := []struct {
		code    string
		invalid bool
	}{
		{"InvalidAMIID.NotFound", true}, {"InvalidSubnetID.NotFound", true}, {"ValidationError", true},
		{"Throttling", false}, {"RequestLimitExceeded", false}, {"InvalidClientTokenId", false}, {"InternalError", false},
	}
	for _, tt := range tests {
		err := awsError("doing", &smithy.GenericAPIError{Code: tt.code, Message: "words"})
		if got := errors.Is(err, providers.ErrInvalidSpec); got != tt.invalid {
			t.Errorf("awsError(%s) invalid = %v, want %v", tt.code, got, tt.invalid)
		}
		if !strings.Contains(err.Error(), tt.code+": words") {
			t.Errorf("awsError(%s) = %q, want the code and message", tt.code, err)
		}
	}
}
