package aws

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"

	awssdk "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/autoscaling"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	elbv2 "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"

	"github.com/gennaker/gennaker/providers"
)

// faults is an http.RoundTripper in front of moto that answers the first
// calls of chosen AWS actions with a real AWS error response, and counts
// every action it sees.
type faults struct {
	mu    sync.Mutex
	rules map[string]*fault
	calls map[string]int
	next  http.RoundTripper
}

type fault struct {
	left    int // answers still to fake; -1: always
	status  int
	code    string
	message string
	ec2     bool // EC2's error body, not the query services'
	served  int
}

func newFaults() *faults {
	return &faults{rules: map[string]*fault{}, calls: map[string]int{}, next: http.DefaultTransport}
}

// throttle answers the first n calls of action with AWS's throttling error
// (EC2's RequestLimitExceeded, the query services' Throttling).
func (f *faults) throttle(action string, n int, isEC2 bool) {
	code, msg := "Throttling", "Rate exceeded"
	if isEC2 {
		code, msg = "RequestLimitExceeded", "Request limit exceeded."
	}
	f.fail(action, n, 400, code, msg, isEC2)
}

func (f *faults) fail(action string, n, status int, code, message string, isEC2 bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.rules[action] = &fault{left: n, status: status, code: code, message: message, ec2: isEC2}
}

func (f *faults) count(action string) (calls, faked int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if r := f.rules[action]; r != nil {
		faked = r.served
	}
	return f.calls[action], faked
}

func (f *faults) RoundTrip(req *http.Request) (*http.Response, error) {
	body, _ := io.ReadAll(req.Body)
	req.Body.Close()
	req.Body = io.NopCloser(bytes.NewReader(body))
	form, _ := url.ParseQuery(string(body))
	action := form.Get("Action")
	f.mu.Lock()
	f.calls[action]++
	r := f.rules[action]
	fake := r != nil && r.left != 0
	if fake {
		if r.left > 0 {
			r.left--
		}
		r.served++
	}
	f.mu.Unlock()
	if !fake {
		return f.next.RoundTrip(req)
	}
	var b string
	if r.ec2 {
		b = fmt.Sprintf(`<?xml version="1.0" encoding="UTF-8"?>
<Response><Errors><Error><Code>%s</Code><Message>%s</Message></Error></Errors><RequestID>fault-injected</RequestID></Response>`, r.code, r.message)
	} else {
		b = fmt.Sprintf(`<ErrorResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/">
  <Error><Type>Sender</Type><Code>%s</Code><Message>%s</Message></Error>
  <RequestId>fault-injected</RequestId>
</ErrorResponse>`, r.code, r.message)
	}
	return &http.Response{StatusCode: r.status, Status: fmt.Sprintf("%d %s", r.status, http.StatusText(r.status)),
		Header: http.Header{"Content-Type": []string{"text/xml"}}, Body: io.NopCloser(strings.NewReader(b)),
		ContentLength: int64(len(b)), Request: req, Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1}, nil
}

func (w *world) spec(app string, seq int, a providers.Artifact, lbs ...string) providers.ServerGroupSpec {
	return providers.ServerGroupSpec{Account: testAccount, Region: testRegion,
		Moniker: providers.Moniker{App: app, Stack: "test", Sequence: seq}, Capacity: providers.Capacity{Min: 1, Desired: 2, Max: 3},
		Artifact: a, LoadBalancers: lbs}
}

// leftovers lists what exists in moto of server group name: its Auto
// Scaling group, launch template and target groups.
func (w *world) leftovers(t *testing.T, name string) []string {
	t.Helper()
	ctx := context.Background()
	var out []string
	g, err := w.asg.DescribeAutoScalingGroups(ctx, &autoscaling.DescribeAutoScalingGroupsInput{AutoScalingGroupNames: []string{name}})
	if err != nil {
		t.Fatal(err)
	}
	if len(g.AutoScalingGroups) > 0 {
		out = append(out, "auto scaling group "+name)
	}
	lts, err := w.ec2.DescribeLaunchTemplates(ctx, &ec2.DescribeLaunchTemplatesInput{})
	if err != nil {
		t.Fatal(err)
	}
	for _, lt := range lts.LaunchTemplates {
		out = append(out, "launch template "+awssdk.ToString(lt.LaunchTemplateName))
	}
	tgs, err := w.elb.DescribeTargetGroups(ctx, &elbv2.DescribeTargetGroupsInput{})
	if err != nil {
		t.Fatal(err)
	}
	for _, tg := range tgs.TargetGroups {
		if n := awssdk.ToString(tg.TargetGroupName); n != "conformance-default" {
			out = append(out, "target group "+n)
		}
	}
	return out
}

// TestThrottlingIsRetried: throttled calls of each service are retried
// with back-off by the SDK's standard retryer, and the deploy succeeds.
func TestThrottlingIsRetried(t *testing.T) {
	w := seed(t)
	f := newFaults()
	d := newDriver(t, map[string]any{"maxAttempts": 4}, WithHTTPClient(&http.Client{Transport: f}))
	f.throttle("DescribeImages", 2, true)
	f.throttle("CreateAutoScalingGroup", 3, false)
	f.throttle("ModifyListener", 1, false)
	g, err := d.CreateServerGroup(t.Context(), w.spec("throttled", 1, w.artifact("1.0"), "conformance"))
	if err != nil {
		t.Fatalf("CreateServerGroup under throttling: %v", err)
	}
	if g.Name != "throttled-test-v001" {
		t.Errorf("created %s, want throttled-test-v001", g.Name)
	}
	for action, want := range map[string]int{"DescribeImages": 2, "CreateAutoScalingGroup": 3, "ModifyListener": 1} {
		calls, faked := f.count(action)
		if faked != want || calls != want+1 {
			t.Errorf("%s: %d calls of which %d throttled; want %d throttled then 1 that succeeds", action, calls, faked, want)
		}
	}
}

// TestThrottlingBeyondMaxAttempts: when throttling outlasts the retryer,
// CreateServerGroup fails with AWS's code and leaves nothing behind.
func TestThrottlingBeyondMaxAttempts(t *testing.T) {
	w := seed(t)
	f := newFaults()
	d := newDriver(t, map[string]any{"maxAttempts": 3}, WithHTTPClient(&http.Client{Transport: f}))
	f.throttle("CreateAutoScalingGroup", -1, false)
	_, err := d.CreateServerGroup(t.Context(), w.spec("throttled", 1, w.artifact("1.0"), "conformance"))
	if err == nil || !strings.Contains(err.Error(), "Throttling") || !strings.Contains(err.Error(), "Rate exceeded") {
		t.Fatalf("CreateServerGroup error = %v, want AWS Throttling: Rate exceeded", err)
	}
	if errors.Is(err, providers.ErrInvalidSpec) {
		t.Errorf("throttling is transient, got ErrInvalidSpec: %v", err)
	}
	if calls, _ := f.count("CreateAutoScalingGroup"); calls != 3 {
		t.Errorf("CreateAutoScalingGroup called %d times, want maxAttempts = 3", calls)
	}
	if left := w.leftovers(t, "throttled-test-v001"); len(left) > 0 {
		t.Errorf("left behind after a failed create: %v", left)
	}
}

// TestInvalidInputsFailCleanly: an invalid AMI, subnet or security group
// fails CreateServerGroup with ErrInvalidSpec, AWS's error code and message
// where AWS gave one, and nothing is created.
func TestInvalidInputsFailCleanly(t *testing.T) {
	w := seed(t)
	d := newDriver(t, nil)
	tests := []struct {
		name  string
		edit  func(*providers.Artifact)
		wants []string
	}{
		{"unknown AMI id", func(a *providers.Artifact) { a.Reference = "ami-0123456789abcdef0" }, []string{"InvalidAMIID.NotFound", "ami-0123456789abcdef0"}},
		{"unknown AMI name", func(a *providers.Artifact) { a.Reference = "no-such-image" }, []string{"image no-such-image not found"}},
		{"unknown subnet", func(a *providers.Artifact) { a.Metadata["subnetIds"] = []any{"subnet-0123456789abcdef0"} }, []string{"InvalidSubnetID.NotFound", "subnet-0123456789abcdef0"}},
		{"no subnet of the purpose", func(a *providers.Artifact) { a.Metadata["subnetPurpose"] = "dmz" }, []string{"no subnets tagged gennaker:purpose=dmz"}},
		{"unknown security group", func(a *providers.Artifact) { a.Metadata["securityGroups"] = []any{"nope"} }, []string{"security groups [nope] not found"}},
		{"unknown load balancer", nil, []string{"load balancer nope not found"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := w.artifact("1.0")
			lbs := []string{"conformance"}
			if tt.edit != nil {
				tt.edit(&a)
			} else {
				lbs = []string{"nope"}
			}
			_, err := d.CreateServerGroup(t.Context(), w.spec("bad", 1, a, lbs...))
			if !errors.Is(err, providers.ErrInvalidSpec) {
				t.Fatalf("CreateServerGroup error = %v, want ErrInvalidSpec", err)
			}
			for _, want := range tt.wants {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error %q does not say %q", err, want)
				}
			}
			if left := w.leftovers(t, "bad-test-v001"); len(left) > 0 {
				t.Errorf("left behind: %v", left)
			}
		})
	}
}

// TestFailedGroupCreationDeletesLaunchTemplate: when AWS refuses the Auto
// Scaling group, the launch template and target groups made for it are
// deleted, and the error carries AWS's code and message.
func TestFailedGroupCreationDeletesLaunchTemplate(t *testing.T) {
	w := seed(t)
	f := newFaults()
	d := newDriver(t, nil, WithHTTPClient(&http.Client{Transport: f}))
	f.fail("CreateAutoScalingGroup", 1, 400, "ValidationError", "The subnet ID 'subnet-0bad' does not exist", false)
	_, err := d.CreateServerGroup(t.Context(), w.spec("refused", 1, w.artifact("1.0"), "conformance"))
	if !errors.Is(err, providers.ErrInvalidSpec) || !strings.Contains(err.Error(), "ValidationError: The subnet ID 'subnet-0bad' does not exist") {
		t.Fatalf("CreateServerGroup error = %v, want ErrInvalidSpec with AWS's code and message", err)
	}
	if calls, _ := f.count("CreateLaunchTemplate"); calls != 1 {
		t.Fatalf("CreateLaunchTemplate called %d times, want 1 (the template was made before the group)", calls)
	}
	if calls, _ := f.count("DeleteLaunchTemplate"); calls != 1 {
		t.Errorf("DeleteLaunchTemplate called %d times, want 1", calls)
	}
	if left := w.leftovers(t, "refused-test-v001"); len(left) > 0 {
		t.Errorf("left behind: %v", left)
	}
}
