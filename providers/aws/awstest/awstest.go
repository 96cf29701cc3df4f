// Package awstest runs moto, the AWS emulator, for tests of the aws driver
// and of what is built on it (the engine's deploy strategies), and seeds it
// with what a deploy needs: a VPC with subnets of a purpose, a security
// group, an AMI and an application load balancer whose listener forwards to
// a target group.
//
// A test never skips for want of moto: Start returns an error that says
// moto is missing, for the test to fail with.
package awstest

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"time"

	awssdk "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	elbv2 "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	elbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"
	"github.com/aws/smithy-go"
)

// Server is a moto server.
type Server struct {
	// URL is the endpoint to give the aws driver ("http://127.0.0.1:PORT").
	URL  string
	stop func()
}

// Start returns the moto server named by GENNAKER_TEST_MOTO_URL (see
// scripts/moto.sh), or starts `python3 -m moto.server` on a free port of
// 127.0.0.1 and waits up to 30s for it to answer. It returns an error that
// says so when moto is not installed. A server named by GENNAKER_TEST_MOTO_URL must not be
// shared by test packages running at once: each resets it between its tests.
func Start() (*Server, error) {
	if u := os.Getenv("GENNAKER_TEST_MOTO_URL"); u != "" {
		return &Server{URL: u, stop: func() {}}, nil
	}
	if err := exec.Command("python3", "-c", "import moto.server").Run(); err != nil {
		return nil, fmt.Errorf("moto is not installed (python3 cannot import moto.server: %v): install moto[server] 5.x, or start one with scripts/moto.sh and set GENNAKER_TEST_MOTO_URL", err)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	dir, err := os.MkdirTemp("", "gennaker-moto-")
	if err != nil {
		return nil, err
	}
	logf, err := os.Create(filepath.Join(dir, "moto.log"))
	if err != nil {
		return nil, err
	}
	cmd := exec.Command("python3", "-m", "moto.server", "-H", "127.0.0.1", "-p", fmt.Sprint(port))
	cmd.Stdout, cmd.Stderr = logf, logf
	// moto is a Python AWS client itself: it must not read the test's
	// AWS_* settings.
	for _, kv := range os.Environ() {
		if len(kv) < 4 || kv[:4] != "AWS_" {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("starting moto: %w", err)
	}
	s := &Server{URL: fmt.Sprintf("http://127.0.0.1:%d", port), stop: func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		logf.Close()
		os.RemoveAll(dir)
	}}
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		if resp, err := http.Get(s.URL + "/moto-api/data.json"); err == nil {
			resp.Body.Close()
			return s, nil
		}
		time.Sleep(100 * time.Millisecond)
	}
	out, _ := os.ReadFile(filepath.Join(dir, "moto.log"))
	s.Stop()
	return nil, fmt.Errorf("moto did not answer on %s within 30s: %s", s.URL, out)
}

// Stop stops a moto this package started; one given by
// GENNAKER_TEST_MOTO_URL is left running.
func (s *Server) Stop() { s.stop() }

// Reset empties moto (POST /moto-api/reset).
func (s *Server) Reset() error {
	resp, err := http.Post(s.URL+"/moto-api/reset", "application/json", nil)
	if err != nil {
		return fmt.Errorf("resetting moto: %w", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("resetting moto: %s", resp.Status)
	}
	return nil
}

// Hermetic sets the process environment so that the SDK reads static test
// credentials and nothing of the machine's AWS configuration. Call it from
// TestMain or before any driver is built; it affects the whole process.
func Hermetic(region string) {
	for k, v := range map[string]string{
		"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_SESSION_TOKEN": "",
		"AWS_EC2_METADATA_DISABLED": "true", "AWS_CONFIG_FILE": os.DevNull, "AWS_SHARED_CREDENTIALS_FILE": os.DevNull,
		"AWS_PROFILE": "", "AWS_REGION": region,
	} {
		os.Setenv(k, v)
	}
	// A CA bundle (set on some machines) cannot apply to a caller's HTTP
	// client, and moto speaks plain HTTP.
	os.Unsetenv("AWS_CA_BUNDLE")
}

// Fixture is what Seed made.
type Fixture struct {
	Config  awssdk.Config
	EC2     *ec2.Client
	ELB     *elbv2.Client
	VPC     string
	Subnets []string
	// SecurityGroup is named "conformance".
	SecurityGroup string
	// AMI is named "hello-1.0".
	AMI string
	// LoadBalancerARN is the ALB named by Seed's lb argument; Listener its
	// HTTP:80 listener, forwarding to Fallback ("<lb>-default").
	LoadBalancerARN, Listener, Fallback string
}

// Seed resets moto and creates, in region, a VPC with two subnets tagged
// gennaker:purpose=internal, a security group "conformance", an AMI
// "hello-1.0" and an ALB named lb whose HTTP:80 listener forwards to a
// target group "<lb>-default".
func (s *Server) Seed(ctx context.Context, region, lb string) (*Fixture, error) {
	if err := s.Reset(); err != nil {
		return nil, err
	}
	cfg := awssdk.Config{Region: region, BaseEndpoint: awssdk.String(s.URL),
		Credentials: credentials.NewStaticCredentialsProvider("testing", "testing", "")}
	f := &Fixture{Config: cfg, EC2: ec2.NewFromConfig(cfg), ELB: elbv2.NewFromConfig(cfg)}
	vpc, err := f.EC2.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: awssdk.String("10.0.0.0/16")})
	if err != nil {
		return nil, fmt.Errorf("seeding moto: vpc: %w", err)
	}
	f.VPC = *vpc.Vpc.VpcId
	for i, az := range []string{"a", "b"} {
		id, err := f.subnet(ctx, fmt.Sprintf("10.0.%d.0/24", i+1), region+az)
		if err != nil {
			return nil, fmt.Errorf("seeding moto: subnet: %w", err)
		}
		f.Subnets = append(f.Subnets, id)
	}
	if f.SecurityGroup, err = f.securityGroup(ctx, "conformance"); err != nil {
		return nil, fmt.Errorf("seeding moto: security group: %w", err)
	}
	img, err := f.EC2.RegisterImage(ctx, &ec2.RegisterImageInput{Name: awssdk.String("hello-1.0")})
	if err != nil {
		return nil, fmt.Errorf("seeding moto: image: %w", err)
	}
	f.AMI = *img.ImageId
	alb, err := f.ELB.CreateLoadBalancer(ctx, &elbv2.CreateLoadBalancerInput{Name: awssdk.String(lb), Subnets: f.Subnets, SecurityGroups: []string{f.SecurityGroup}})
	if err != nil {
		return nil, fmt.Errorf("seeding moto: load balancer: %w", err)
	}
	f.LoadBalancerARN = *alb.LoadBalancers[0].LoadBalancerArn
	tg, err := f.ELB.CreateTargetGroup(ctx, &elbv2.CreateTargetGroupInput{Name: awssdk.String(lb + "-default"), Protocol: elbtypes.ProtocolEnumHttp,
		Port: awssdk.Int32(8080), VpcId: vpc.Vpc.VpcId, HealthCheckPath: awssdk.String("/healthz")})
	if err != nil {
		return nil, fmt.Errorf("seeding moto: target group: %w", err)
	}
	f.Fallback = *tg.TargetGroups[0].TargetGroupArn
	if f.Listener, err = f.listener(ctx); err != nil {
		return nil, fmt.Errorf("seeding moto: listener: %w", err)
	}
	return f, nil
}

// The SDK retries a request whose connection broke (moto's server closes
// idle keep-alive connections), and a retried create of what the first
// attempt made is refused as a duplicate. The creates below that EC2 and
// ELB do not make idempotent themselves take that refusal as success and
// look up what is there.

// subnet creates a subnet tagged gennaker:purpose=internal in f.VPC.
func (f *Fixture) subnet(ctx context.Context, cidr, az string) (string, error) {
	sn, err := f.EC2.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: awssdk.String(f.VPC), CidrBlock: awssdk.String(cidr),
		AvailabilityZone: awssdk.String(az), TagSpecifications: []ec2types.TagSpecification{{ResourceType: ec2types.ResourceTypeSubnet,
			Tags: []ec2types.Tag{{Key: awssdk.String("gennaker:purpose"), Value: awssdk.String("internal")}}}}})
	if err == nil {
		return *sn.Subnet.SubnetId, nil
	}
	if apiCode(err) != "InvalidSubnet.Conflict" {
		return "", err
	}
	out, derr := f.EC2.DescribeSubnets(ctx, &ec2.DescribeSubnetsInput{Filters: []ec2types.Filter{
		{Name: awssdk.String("vpc-id"), Values: []string{f.VPC}}, {Name: awssdk.String("cidr-block"), Values: []string{cidr}}}})
	if derr != nil || len(out.Subnets) != 1 {
		return "", err
	}
	return *out.Subnets[0].SubnetId, nil
}

// securityGroup creates a security group of that name in f.VPC.
func (f *Fixture) securityGroup(ctx context.Context, name string) (string, error) {
	sg, err := f.EC2.CreateSecurityGroup(ctx, &ec2.CreateSecurityGroupInput{GroupName: awssdk.String(name), Description: awssdk.String("test"), VpcId: awssdk.String(f.VPC)})
	if err == nil {
		return *sg.GroupId, nil
	}
	if apiCode(err) != "InvalidGroup.Duplicate" {
		return "", err
	}
	out, derr := f.EC2.DescribeSecurityGroups(ctx, &ec2.DescribeSecurityGroupsInput{Filters: []ec2types.Filter{
		{Name: awssdk.String("vpc-id"), Values: []string{f.VPC}}, {Name: awssdk.String("group-name"), Values: []string{name}}}})
	if derr != nil || len(out.SecurityGroups) != 1 {
		return "", err
	}
	return *out.SecurityGroups[0].GroupId, nil
}

// listener creates the HTTP:80 listener forwarding to f.Fallback.
func (f *Fixture) listener(ctx context.Context) (string, error) {
	l, err := f.ELB.CreateListener(ctx, &elbv2.CreateListenerInput{LoadBalancerArn: awssdk.String(f.LoadBalancerARN), Protocol: elbtypes.ProtocolEnumHttp, Port: awssdk.Int32(80),
		DefaultActions: []elbtypes.Action{{Type: elbtypes.ActionTypeEnumForward, TargetGroupArn: awssdk.String(f.Fallback)}}})
	if err == nil {
		return *l.Listeners[0].ListenerArn, nil
	}
	if apiCode(err) != "DuplicateListener" {
		return "", err
	}
	out, derr := f.ELB.DescribeListeners(ctx, &elbv2.DescribeListenersInput{LoadBalancerArn: awssdk.String(f.LoadBalancerARN)})
	if derr != nil || len(out.Listeners) != 1 {
		return "", err
	}
	return *out.Listeners[0].ListenerArn, nil
}

// apiCode is the error code of an AWS API error, or "".
func apiCode(err error) string {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return ae.ErrorCode()
	}
	return ""
}

// ListenerWeights reads the listener's default forward action: target
// group name → weight (a plain forward is weight 1).
func (f *Fixture) ListenerWeights(ctx context.Context) (map[string]int, error) {
	out, err := f.ELB.DescribeListeners(ctx, &elbv2.DescribeListenersInput{ListenerArns: []string{f.Listener}})
	if err != nil {
		return nil, err
	}
	got := map[string]int{}
	for _, a := range out.Listeners[0].DefaultActions {
		if a.Type != elbtypes.ActionTypeEnumForward {
			continue
		}
		if a.ForwardConfig == nil || len(a.ForwardConfig.TargetGroups) == 0 {
			got[tgName(awssdk.ToString(a.TargetGroupArn))] = 1
			continue
		}
		for _, t := range a.ForwardConfig.TargetGroups {
			got[tgName(awssdk.ToString(t.TargetGroupArn))] = int(awssdk.ToInt32(t.Weight))
		}
	}
	return got, nil
}

// tgName returns the name in a target group ARN
// (…:targetgroup/NAME/ID).
func tgName(arn string) string {
	const marker = "targetgroup/"
	for i := 0; i+len(marker) <= len(arn); i++ {
		if arn[i:i+len(marker)] == marker {
			rest := arn[i+len(marker):]
			for j := range len(rest) {
				if rest[j] == '/' {
					return rest[:j]
				}
			}
			return rest
		}
	}
	return arn
}
