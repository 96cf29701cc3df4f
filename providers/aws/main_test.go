package aws

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	awssdk "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/autoscaling"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	elbv2 "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	elbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"

	"github.com/gennaker/gennaker/providers"
)

// The driver's behaviour is proven against moto, the AWS emulator, in
// server mode: started here by TestMain on a free port, or given by
// scripts/moto.sh through GENNAKER_TEST_MOTO_URL. Its state is reset before
// each test. Without moto, every test that needs it fails and says so.
var (
	motoURL string
	motoErr error
)

const (
	testAccount = "aws-test"
	testRegion  = "us-east-1"
)

func TestMain(m *testing.M) {
	// Started before the environment below is set: moto must not see it.
	stop := func() {}
	if motoURL = os.Getenv("GENNAKER_TEST_MOTO_URL"); motoURL == "" {
		motoURL, stop, motoErr = startMoto()
	}
	// Hermetic credentials: moto accepts any; nothing of the machine's
	// AWS configuration is read.
	for k, v := range map[string]string{
		"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_SESSION_TOKEN": "",
		"AWS_EC2_METADATA_DISABLED": "true", "AWS_CONFIG_FILE": os.DevNull, "AWS_SHARED_CREDENTIALS_FILE": os.DevNull,
		"AWS_PROFILE": "", "AWS_REGION": testRegion,
	} {
		os.Setenv(k, v)
	}
	// A CA bundle (set on some machines) cannot apply to the fault
	// injecting HTTP clients of the tests, and moto speaks plain HTTP.
	os.Unsetenv("AWS_CA_BUNDLE")
	code := m.Run()
	stop()
	os.Exit(code)
}

// startMoto runs `python3 -m moto.server` on a free port and waits until it
// answers.
func startMoto() (string, func(), error) {
	if err := exec.Command("python3", "-c", "import moto.server").Run(); err != nil {
		return "", func() {}, fmt.Errorf("python3 cannot import moto.server (%v): install moto[server] 5.x", err)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", func() {}, err
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	dir, _ := os.MkdirTemp("", "gennaker-moto-")
	logf, _ := os.Create(filepath.Join(dir, "moto.log"))
	cmd := exec.Command("python3", "-m", "moto.server", "-H", "127.0.0.1", "-p", fmt.Sprint(port))
	cmd.Stdout, cmd.Stderr = logf, logf
	if err := cmd.Start(); err != nil {
		return "", func() {}, fmt.Errorf("starting moto: %w", err)
	}
	stop := func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		logf.Close()
		os.RemoveAll(dir)
	}
	url := fmt.Sprintf("http://127.0.0.1:%d", port)
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		if resp, err := http.Get(url + "/moto-api/data.json"); err == nil {
			resp.Body.Close()
			return url, stop, nil
		}
		time.Sleep(100 * time.Millisecond)
	}
	out, _ := os.ReadFile(filepath.Join(dir, "moto.log"))
	stop()
	return "", func() {}, fmt.Errorf("moto did not answer on %s within 30s: %s", url, out)
}

// needMoto fails the test, saying why, when moto is not there; otherwise it
// resets moto's state.
func needMoto(t *testing.T) {
	t.Helper()
	if motoErr != nil {
		t.Fatalf("moto is required for the aws driver's tests and is not available: %v", motoErr)
	}
	resp, err := http.Post(motoURL+"/moto-api/reset", "application/json", nil)
	if err != nil {
		t.Fatalf("resetting moto at %s: %v", motoURL, err)
	}
	resp.Body.Close()
}

// world is what seed made in moto.
type world struct {
	cfg      awssdk.Config
	ec2      *ec2.Client
	asg      *autoscaling.Client
	elb      *elbv2.Client
	vpc      string
	subnets  []string
	sg       string
	ami      string
	lbARN    string
	fallback string // the target group the listener forwarded to before Gennaker
	listener string
}

// seed resets moto and creates a VPC with two subnets tagged
// gennaker:purpose=internal, a security group "conformance", an AMI
// "hello-1.0", and an ALB "conformance" whose HTTP:80 listener forwards to
// a target group "conformance-default".
func seed(t *testing.T) *world {
	t.Helper()
	needMoto(t)
	ctx := t.Context()
	cfg := awssdk.Config{Region: testRegion, BaseEndpoint: awssdk.String(motoURL),
		Credentials: credentials.NewStaticCredentialsProvider("testing", "testing", "")}
	w := &world{cfg: cfg, ec2: ec2.NewFromConfig(cfg), asg: autoscaling.NewFromConfig(cfg), elb: elbv2.NewFromConfig(cfg)}
	must := func(what string, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("seeding moto: %s: %v", what, err)
		}
	}
	vpc, err := w.ec2.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: awssdk.String("10.0.0.0/16")})
	must("vpc", err)
	w.vpc = *vpc.Vpc.VpcId
	for i, az := range []string{"us-east-1a", "us-east-1b"} {
		s, err := w.ec2.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: vpc.Vpc.VpcId, CidrBlock: awssdk.String(fmt.Sprintf("10.0.%d.0/24", i+1)),
			AvailabilityZone: awssdk.String(az), TagSpecifications: []ec2types.TagSpecification{{ResourceType: ec2types.ResourceTypeSubnet,
				Tags: []ec2types.Tag{{Key: awssdk.String("gennaker:purpose"), Value: awssdk.String("internal")}}}}})
		must("subnet", err)
		w.subnets = append(w.subnets, *s.Subnet.SubnetId)
	}
	sg, err := w.ec2.CreateSecurityGroup(ctx, &ec2.CreateSecurityGroupInput{GroupName: awssdk.String("conformance"), Description: awssdk.String("test"), VpcId: vpc.Vpc.VpcId})
	must("security group", err)
	w.sg = *sg.GroupId
	img, err := w.ec2.RegisterImage(ctx, &ec2.RegisterImageInput{Name: awssdk.String("hello-1.0")})
	must("image", err)
	w.ami = *img.ImageId
	lb, err := w.elb.CreateLoadBalancer(ctx, &elbv2.CreateLoadBalancerInput{Name: awssdk.String("conformance"), Subnets: w.subnets, SecurityGroups: []string{w.sg}})
	must("load balancer", err)
	w.lbARN = *lb.LoadBalancers[0].LoadBalancerArn
	tg, err := w.elb.CreateTargetGroup(ctx, &elbv2.CreateTargetGroupInput{Name: awssdk.String("conformance-default"), Protocol: elbtypes.ProtocolEnumHttp,
		Port: awssdk.Int32(8080), VpcId: vpc.Vpc.VpcId, HealthCheckPath: awssdk.String("/healthz")})
	must("target group", err)
	w.fallback = *tg.TargetGroups[0].TargetGroupArn
	l, err := w.elb.CreateListener(ctx, &elbv2.CreateListenerInput{LoadBalancerArn: awssdk.String(w.lbARN), Protocol: elbtypes.ProtocolEnumHttp, Port: awssdk.Int32(80),
		DefaultActions: []elbtypes.Action{{Type: elbtypes.ActionTypeEnumForward, TargetGroupArn: awssdk.String(w.fallback)}}})
	must("listener", err)
	w.listener = *l.Listeners[0].ListenerArn
	return w
}

// settings returns account settings for moto.
func settings(extra map[string]any) map[string]any {
	s := map[string]any{"endpoint": motoURL, "maxAttempts": 4, "maxBackoff": "50ms", "drainTimeout": "5s", "enableTimeout": "5s"}
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
	ctx := context.Background()
	out, err := w.elb.DescribeListeners(ctx, &elbv2.DescribeListenersInput{ListenerArns: []string{w.listener}})
	if err != nil || len(out.Listeners) != 1 {
		t.Fatalf("DescribeListeners: %v", err)
	}
	byARN := forwardWeightsOf(forwardAction(out.Listeners[0]))
	got := map[string]int{}
	for arn, wt := range byARN {
		got[arn[strings.Index(arn, "targetgroup/")+len("targetgroup/"):strings.LastIndex(arn, "/")]] = wt
	}
	return got
}
