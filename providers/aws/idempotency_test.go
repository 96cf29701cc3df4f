package aws

import (
	"errors"
	"net/http"
	"slices"
	"testing"

	awssdk "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/autoscaling"
	elbv2 "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	elbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"

	"github.com/gennaker/gennaker/providers"
)

// TestCrashLeftLaunchTemplate: a creation that died after its launch
// template (and could not clean it) is completed by the next call, which
// reuses the template instead of failing on its name.
func TestCrashLeftLaunchTemplate(t *testing.T) {
	w := seed(t)
	f := newFaults()
	crashing := newDriver(t, nil, WithHTTPClient(&http.Client{Transport: f}))
	f.fail("CreateAutoScalingGroup", -1, 503, "ServiceUnavailable", "Service is unavailable", false)
	f.fail("DeleteLaunchTemplate", -1, 503, "Unavailable", "Service is unavailable", true)
	spec := w.spec("crash", 1, w.artifact("1.0"), "conformance")
	if _, err := crashing.CreateServerGroup(t.Context(), spec); err == nil {
		t.Fatal("CreateServerGroup succeeded with every CreateAutoScalingGroup failing")
	}
	if left := w.leftovers(t, "crash-test-v001"); !slices.Contains(left, "launch template crash-test-v001") {
		t.Fatalf("the failed cleanup should have left the launch template; left %v", left)
	}
	d := newDriver(t, nil)
	g, err := d.CreateServerGroup(t.Context(), spec)
	if err != nil {
		t.Fatalf("CreateServerGroup after the crash: %v", err)
	}
	if g.Name != "crash-test-v001" || !g.Enabled || g.Capacity != spec.Capacity {
		t.Errorf("group = %s enabled %v capacity %+v", g.Name, g.Enabled, g.Capacity)
	}
	if err := d.DestroyServerGroup(t.Context(), g.Ref()); err != nil {
		t.Fatal(err)
	}
	if left := w.leftovers(t, "crash-test-v001"); len(left) > 0 {
		t.Errorf("left after destroy: %v", left)
	}
}

// TestCrashBeforeFinish: a group whose creation died after the Auto
// Scaling group was made (not yet suspended, not in the listener) is
// adopted and finished by the next call, once.
func TestCrashBeforeFinish(t *testing.T) {
	w := seed(t)
	f := newFaults()
	crashing := newDriver(t, map[string]any{"maxAttempts": 1}, WithHTTPClient(&http.Client{Transport: f}))
	f.fail("SuspendProcesses", -1, 503, "ServiceUnavailable", "Service is unavailable", false)
	spec := w.spec("half", 1, w.artifact("1.0"), "conformance")
	spec.Disabled = true
	if _, err := crashing.CreateServerGroup(t.Context(), spec); err == nil {
		t.Fatal("CreateServerGroup succeeded with SuspendProcesses failing")
	}
	d := newDriver(t, nil)
	for i := range 2 {
		g, err := d.CreateServerGroup(t.Context(), spec)
		if err != nil {
			t.Fatalf("CreateServerGroup (call %d): %v", i+1, err)
		}
		if g.Enabled {
			t.Errorf("call %d: the group created disabled is enabled", i+1)
		}
	}
	out, err := w.asg.DescribeAutoScalingGroups(t.Context(), &autoscaling.DescribeAutoScalingGroupsInput{AutoScalingGroupNames: []string{"half-test-v001"}})
	if err != nil || len(out.AutoScalingGroups) != 1 {
		t.Fatalf("DescribeAutoScalingGroups: %d groups, %v", len(out.AutoScalingGroups), err)
	}
	asg := out.AutoScalingGroups[0]
	if tags := asgTags(asg); tags[tagPhase] != phaseCreated {
		t.Errorf("phase tag = %q, want %q", tags[tagPhase], phaseCreated)
	}
	for _, p := range disabledProcesses {
		if !suspended(asg, p) {
			t.Errorf("%s is not suspended on the group created disabled", p)
		}
	}
	if len(asg.TargetGroupARNs) != 0 {
		t.Errorf("the disabled group is attached to %v", asg.TargetGroupARNs)
	}
	if got := w.listenerWeights(t); got[targetGroupName("conformance", "half-test-v001")] != 0 || got["conformance-default"] != 1 || len(got) != 2 {
		t.Errorf("listener = %v, want the new group's target group at 0 and the original at 1", got)
	}
	// Same name, another artifact: a conflict, and nothing changes.
	other := spec
	other.Artifact = w.artifact("2.0")
	if _, err := d.CreateServerGroup(t.Context(), other); !errors.Is(err, providers.ErrConflict) {
		t.Errorf("CreateServerGroup(other artifact) error = %v, want ErrConflict", err)
	}
}

// TestWeightsOnTheListener: weights set with SetWeights are those of the
// listener's weighted forward action, a disabled group's is 0, and enabled
// again it is back at the default (disable forgets it); the original target
// group is the fallback.
func TestWeightsOnTheListener(t *testing.T) {
	w := seed(t)
	d := newDriver(t, nil)
	ctx := t.Context()
	blue, err := d.CreateServerGroup(ctx, w.spec("hello", 1, w.artifact("1.0"), "conformance"))
	if err != nil {
		t.Fatal(err)
	}
	green, err := d.CreateServerGroup(ctx, w.spec("hello", 2, w.artifact("2.0"), "conformance"))
	if err != nil {
		t.Fatal(err)
	}
	tgBlue, tgGreen := targetGroupName("conformance", blue.Name), targetGroupName("conformance", green.Name)
	check := func(step string, want map[string]int) {
		t.Helper()
		if _, err := d.LoadBalancers(ctx, testAccount, "hello"); err != nil {
			t.Fatal(err)
		}
		got := w.listenerWeights(t)
		if len(got) != len(want) {
			t.Fatalf("%s: listener = %v, want %v", step, got, want)
		}
		for k, v := range want {
			if got[k] != v {
				t.Errorf("%s: listener = %v, want %v", step, got, want)
				break
			}
		}
	}
	check("two groups", map[string]int{tgBlue: 100, tgGreen: 100, "conformance-default": 0})
	if err := d.SetWeights(ctx, testAccount, testRegion, "conformance", map[string]int{blue.Name: 75, green.Name: 25}); err != nil {
		t.Fatal(err)
	}
	check("75/25", map[string]int{tgBlue: 75, tgGreen: 25, "conformance-default": 0})
	if err := d.DisableServerGroup(ctx, blue.Ref()); err != nil {
		t.Fatal(err)
	}
	check("blue disabled", map[string]int{tgBlue: 0, tgGreen: 25, "conformance-default": 0})
	if err := d.DisableServerGroup(ctx, green.Ref()); err != nil {
		t.Fatal(err)
	}
	check("both disabled", map[string]int{tgBlue: 0, tgGreen: 0, "conformance-default": 1})
	if err := d.EnableServerGroup(ctx, blue.Ref()); err != nil {
		t.Fatal(err)
	}
	check("blue enabled again", map[string]int{tgBlue: defaultWeight, tgGreen: 0, "conformance-default": 0})
	if err := d.SetWeights(ctx, testAccount, testRegion, "conformance", map[string]int{blue.Name: 1000}); !errors.Is(err, providers.ErrInvalidSpec) {
		t.Errorf("SetWeights(1000) error = %v, want ErrInvalidSpec (ELBv2 allows 0–999)", err)
	}
	for _, g := range []providers.ServerGroup{blue, green} {
		if err := d.DestroyServerGroup(ctx, g.Ref()); err != nil {
			t.Fatal(err)
		}
	}
	check("destroyed", map[string]int{"conformance-default": 1})
}

// TestRepairsDrift: enable registers the in-service instances missing from
// a target group that stayed attached (Auto Scaling only registers on
// attach), and disable suspends AddToLoadBalancer even when Launch and
// Terminate were suspended already by hand.
func TestRepairsDrift(t *testing.T) {
	w := seed(t)
	d := newDriver(t, nil)
	ctx := t.Context()
	g, err := d.CreateServerGroup(ctx, w.spec("drift", 1, w.artifact("1.0"), "conformance"))
	if err != nil {
		t.Fatal(err)
	}
	c, err := d.in(testAccount, testRegion)
	if err != nil {
		t.Fatal(err)
	}
	arn, err := findTargetGroup(ctx, c, targetGroupName("conformance", g.Name))
	if err != nil || arn == "" {
		t.Fatalf("target group of %s: %q, %v", g.Name, arn, err)
	}
	if len(g.Instances) == 0 {
		t.Fatalf("%s has no instance", g.Name)
	}
	var targets []elbtypes.TargetDescription
	for _, in := range g.Instances {
		targets = append(targets, elbtypes.TargetDescription{Id: awssdk.String(in.ID)})
	}
	if _, err := w.elb.DeregisterTargets(ctx, &elbv2.DeregisterTargetsInput{TargetGroupArn: &arn, Targets: targets}); err != nil {
		t.Fatal(err)
	}
	if err := d.EnableServerGroup(ctx, g.Ref()); err != nil {
		t.Fatal(err)
	}
	th, err := targetHealth(ctx, c, arn)
	if err != nil {
		t.Fatal(err)
	}
	for _, in := range g.Instances {
		if th[in.ID].state != elbtypes.TargetHealthStateEnumHealthy {
			t.Errorf("after enable, %s is %q in its target group, want healthy", in.ID, th[in.ID].state)
		}
	}

	if _, err := w.asg.SuspendProcesses(ctx, &autoscaling.SuspendProcessesInput{AutoScalingGroupName: &g.Name,
		ScalingProcesses: []string{"Launch", "Terminate"}}); err != nil {
		t.Fatal(err)
	}
	if err := d.DisableServerGroup(ctx, g.Ref()); err != nil {
		t.Fatal(err)
	}
	if g, err = d.ServerGroup(ctx, g.Ref()); err != nil || g.Enabled {
		t.Errorf("after disable: Enabled = %v, %v; want false", g.Enabled, err)
	}
}
