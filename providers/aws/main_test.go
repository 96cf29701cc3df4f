package aws

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/autoscaling"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	elbv2 "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"

	"github.com/gennaker/gennaker/providers"
	"github.com/gennaker/gennaker/providers/aws/awstest"
)

// The driver's behaviour is proven against moto, the AWS emulator, in
// server mode: started here by TestMain on a free port, or given by
// scripts/moto.sh through GENNAKER_TEST_MOTO_URL. Its state is reset before
// each test. Without moto, every test that needs it fails and says so.
var (
	moto    *awstest.Server
	motoErr error
)

const (
	testAccount = "aws-test"
	testRegion  = "us-east-1"
)

func TestMain(m *testing.M) {
	moto, motoErr = awstest.Start()
	awstest.Hermetic(testRegion)
	code := m.Run()
	if moto != nil {
		moto.Stop()
	}
	os.Exit(code)
}

// world is what seed made in moto, with clients to look at it.
type world struct {
	*awstest.Fixture
	ec2 *ec2.Client
	asg *autoscaling.Client
	elb *elbv2.Client
	ami string
}

// seed resets moto and seeds it (awstest.Seed) with a load balancer
// "conformance"; it fails the test when moto is not available.
func seed(t *testing.T) *world {
	t.Helper()
	if motoErr != nil {
		t.Fatalf("moto is required for the aws driver's tests and is not available: %v", motoErr)
	}
	f, err := moto.Seed(t.Context(), testRegion, "conformance")
	if err != nil {
		t.Fatal(err)
	}
	return &world{Fixture: f, ec2: f.EC2, elb: f.ELB, asg: autoscaling.NewFromConfig(f.Config), ami: f.AMI}
}

// settings returns account settings for moto.
func settings(extra map[string]any) map[string]any {
	s := map[string]any{"endpoint": moto.URL, "maxAttempts": 4, "maxBackoff": "50ms", "drainTimeout": "5s", "enableTimeout": "5s"}
	for k, v := range extra {
		s[k] = v
	}
	return s
}

// newDriver returns a driver for moto built the way the registry does, from
// an account entry.
func newDriver(t *testing.T, extra map[string]any, opts ...Option) *Driver {
	t.Helper()
	a := providers.Account{Name: testAccount, Kind: Kind, Regions: []string{testRegion}, Environment: "test", Settings: settings(extra)}
	d, err := New(t.Context(), a, append([]Option{WithPollInterval(50 * time.Millisecond)}, opts...)...)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return d
}

// artifact returns an "ami" artifact of the seeded image, launched in the
// internal subnets with the conformance security group.
func (w *world) artifact(version string) providers.Artifact {
	return providers.Artifact{Type: ArtifactAMI, Reference: w.ami, Version: version, Metadata: map[string]any{
		"securityGroups": []any{"conformance"}, "subnetPurpose": "internal", "instanceType": "t3.micro",
		"userData": "#!/bin/sh\necho hello " + version,
	}}
}

// listenerWeights reads the listener's weighted forward action: target
// group name → weight.
func (w *world) listenerWeights(t *testing.T) map[string]int {
	t.Helper()
	got, err := w.ListenerWeights(context.Background())
	if err != nil {
		t.Fatalf("reading the listener: %v", err)
	}
	return got
}
