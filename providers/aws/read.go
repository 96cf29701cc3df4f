package aws

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	awssdk "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/autoscaling"
	astypes "github.com/aws/aws-sdk-go-v2/service/autoscaling/types"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	elbv2 "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"

	"github.com/gennaker/gennaker/providers"
)

// RegionsError is returned by ServerGroups and LoadBalancers when some
// regions could not be read: the results of the other regions are returned
// with it, so one region's outage does not hide the others.
type RegionsError struct {
	// Errs maps each failed region to its error.
	Errs map[string]error
}

// Error names the failed regions and why.
func (e *RegionsError) Error() string {
	var parts []string
	for _, r := range slices.Sorted(mapsKeys(e.Errs)) {
		parts = append(parts, fmt.Sprintf("%s: %v", r, e.Errs[r]))
	}
	return "reading regions: " + strings.Join(parts, "; ")
}

// FailedRegions lists the regions that could not be read; the caching agent keeps what it
// has of them instead of taking their server groups as gone.
func (e *RegionsError) FailedRegions() []string { return slices.Sorted(mapsKeys(e.Errs)) }

// Unwrap returns the regions' errors.
func (e *RegionsError) Unwrap() []error {
	out := make([]error, 0, len(e.Errs))
	for _, err := range e.Errs {
		out = append(out, err)
	}
	return out
}

func mapsKeys[V any](m map[string]V) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

// eachRegion runs f for every region of the account at once and returns
// the regions' errors as a *RegionsError, or nil.
func (d *Driver) eachRegion(f func(c *clients) error) error {
	var mu sync.Mutex
	errs := map[string]error{}
	var wg sync.WaitGroup
	for _, r := range d.account.Regions {
		c := d.regions[r]
		wg.Go(func() {
			if err := f(c); err != nil {
				mu.Lock()
				errs[c.region] = err
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if len(errs) > 0 {
		return &RegionsError{Errs: errs}
	}
	return nil
}

// ServerGroups implements providers.Provider: the Auto Scaling groups
// tagged gennaker:application=app in every region of the account. When a
// region fails, it returns the groups of the others with a *RegionsError.
func (d *Driver) ServerGroups(ctx context.Context, account, app string) ([]providers.ServerGroup, error) {
	if err := d.checkAccount(account); err != nil {
		return nil, fmt.Errorf("listing server groups: %w", err)
	}
	var mu sync.Mutex
	out := []providers.ServerGroup{}
	err := d.eachRegion(func(c *clients) error {
		asgs, err := describeGroups(ctx, c, &autoscaling.DescribeAutoScalingGroupsInput{
			Filters: []astypes.Filter{{Name: awssdk.String("tag:" + tagApplication), Values: []string{app}}}})
		if err != nil {
			return err
		}
		gs, err := d.views(ctx, c, asgs)
		if err != nil {
			return err
		}
		mu.Lock()
		out = append(out, gs...)
		mu.Unlock()
		return nil
	})
	slices.SortFunc(out, func(a, b providers.ServerGroup) int {
		return strings.Compare(a.Region+"/"+a.Name, b.Region+"/"+b.Name)
	})
	if err != nil {
		return out, fmt.Errorf("listing server groups of %s: %w", app, err)
	}
	return out, nil
}

// ServerGroup implements providers.Provider.
func (d *Driver) ServerGroup(ctx context.Context, ref providers.ServerGroupRef) (providers.ServerGroup, error) {
	c, err := d.in(ref.Account, ref.Region)
	if err != nil {
		return providers.ServerGroup{}, fmt.Errorf("reading server group: %w", err)
	}
	asg, err := findGroup(ctx, c, ref.Name)
	if err != nil {
		return providers.ServerGroup{}, fmt.Errorf("reading server group %s: %w", ref, err)
	}
	if asg == nil {
		return providers.ServerGroup{}, providers.Errorf(providers.CodeNotFound, "server group %s not found", ref)
	}
	gs, err := d.views(ctx, c, []astypes.AutoScalingGroup{*asg})
	if err != nil {
		return providers.ServerGroup{}, fmt.Errorf("reading server group %s: %w", ref, err)
	}
	return gs[0], nil
}

// describeGroups pages through DescribeAutoScalingGroups, leaving out
// groups being deleted.
func describeGroups(ctx context.Context, c *clients, in *autoscaling.DescribeAutoScalingGroupsInput) ([]astypes.AutoScalingGroup, error) {
	var out []astypes.AutoScalingGroup
	for {
		page, err := c.asg.DescribeAutoScalingGroups(ctx, in)
		if err != nil {
			return nil, awsError("describing auto scaling groups", err)
		}
		for _, g := range page.AutoScalingGroups {
			if g.Status != nil && strings.HasPrefix(*g.Status, "Delete") {
				continue
			}
			out = append(out, g)
		}
		if page.NextToken == nil || *page.NextToken == "" {
			return out, nil
		}
		in.NextToken = page.NextToken
	}
}

// findGroup returns the named group, or nil when it does not exist or is
// being deleted.
func findGroup(ctx context.Context, c *clients, name string) (*astypes.AutoScalingGroup, error) {
	gs, err := describeGroups(ctx, c, &autoscaling.DescribeAutoScalingGroupsInput{AutoScalingGroupNames: []string{name}})
	if err != nil || len(gs) == 0 {
		return nil, err
	}
	return &gs[0], nil
}

func asgTags(g astypes.AutoScalingGroup) map[string]string {
	m := make(map[string]string, len(g.Tags))
	for _, t := range g.Tags {
		m[awssdk.ToString(t.Key)] = awssdk.ToString(t.Value)
	}
	return m
}

// enabled reports whether the group takes traffic: Spinnaker's rule, a
// group is disabled when AddToLoadBalancer is suspended.
func enabled(g astypes.AutoScalingGroup) bool {
	return !suspended(g, "AddToLoadBalancer")
}

func suspended(g astypes.AutoScalingGroup, process string) bool {
	return slices.ContainsFunc(g.SuspendedProcesses, func(p astypes.SuspendedProcess) bool {
		return awssdk.ToString(p.ProcessName) == process
	})
}

// views maps Auto Scaling groups to server groups, reading their
// instances from EC2 and their targets' health from ELBv2.
func (d *Driver) views(ctx context.Context, c *clients, asgs []astypes.AutoScalingGroup) ([]providers.ServerGroup, error) {
	var ids []string
	for _, g := range asgs {
		for _, in := range g.Instances {
			ids = append(ids, awssdk.ToString(in.InstanceId))
		}
	}
	ec2s, err := describeInstances(ctx, c, ids)
	if err != nil {
		return nil, err
	}
	health := map[string]map[string]targetState{} // target group → instance → state
	out := make([]providers.ServerGroup, 0, len(asgs))
	for _, g := range asgs {
		for _, tg := range g.TargetGroupARNs {
			if _, ok := health[tg]; ok {
				continue
			}
			if health[tg], err = targetHealth(ctx, c, tg); err != nil {
				return nil, err
			}
		}
		out = append(out, d.view(c.region, g, ec2s, health))
	}
	return out, nil
}

// view builds one server group from its Auto Scaling group.
func (d *Driver) view(region string, g astypes.AutoScalingGroup, ec2s map[string]ec2types.Instance, health map[string]map[string]targetState) providers.ServerGroup {
	tags := asgTags(g)
	name := awssdk.ToString(g.AutoScalingGroupName)
	m, err := providers.ParseName(name)
	if err != nil {
		m = providers.Moniker{App: tags[tagApplication], Stack: tags[tagStack], Detail: tags[tagDetail]}
	}
	on := enabled(g)
	lbs := lbNames(tags[tagLoadBalancers])
	sg := providers.ServerGroup{
		Account: d.account.Name, Region: region, Name: name, Moniker: m,
		Capacity: providers.Capacity{Min: int(awssdk.ToInt32(g.MinSize)), Desired: int(awssdk.ToInt32(g.DesiredCapacity)), Max: int(awssdk.ToInt32(g.MaxSize))},
		Artifact: providers.Artifact{Type: tags[tagArtifactType], Reference: tags[tagArtifactRef], Version: tags[tagArtifactVer]},
		Enabled:  on, CreatedAt: awssdk.ToTime(g.CreatedTime), LoadBalancers: lbs,
		Instances: []providers.Instance{},
		Tags:      map[string]string{},
	}
	for k, v := range tags {
		if !strings.HasPrefix(k, "gennaker:") && k != "Name" {
			sg.Tags[k] = v
		}
	}
	st := groupState{Version: stateVersion, Image: tags[tagImage]}
	if g.LaunchTemplate != nil {
		st.LaunchTemplate = awssdk.ToString(g.LaunchTemplate.LaunchTemplateId)
	}
	sg.State, _ = json.Marshal(st)
	for _, in := range g.Instances {
		id := awssdk.ToString(in.InstanceId)
		var ts []targetState
		for _, tg := range g.TargetGroupARNs {
			if s, ok := health[tg][id]; ok {
				ts = append(ts, s)
			}
		}
		h, why := instanceHealth(in, on, len(lbs) > 0, ts)
		inst := providers.Instance{ID: id, Zone: awssdk.ToString(in.AvailabilityZone), Health: h, HealthDetail: why}
		if e, ok := ec2s[id]; ok {
			inst.Address = awssdk.ToString(e.PrivateIpAddress)
			inst.LaunchedAt = awssdk.ToTime(e.LaunchTime)
			if e.State != nil && (e.State.Name == ec2types.InstanceStateNameTerminated || e.State.Name == ec2types.InstanceStateNameShuttingDown) {
				inst.Health, inst.HealthDetail = providers.Draining, "instance "+string(e.State.Name)
			}
		}
		sg.Instances = append(sg.Instances, inst)
	}
	slices.SortStableFunc(sg.Instances, func(a, b providers.Instance) int { return a.LaunchedAt.Compare(b.LaunchedAt) })
	return sg
}

// describeInstances returns the EC2 view of ids, by id.
func describeInstances(ctx context.Context, c *clients, ids []string) (map[string]ec2types.Instance, error) {
	out := map[string]ec2types.Instance{}
	for chunk := range slices.Chunk(ids, 100) {
		in := &ec2.DescribeInstancesInput{InstanceIds: chunk}
		for {
			page, err := c.ec2.DescribeInstances(ctx, in)
			if err != nil {
				if strings.HasPrefix(errorCode(err), "InvalidInstanceID") {
					break // terminated and forgotten between the two calls
				}
				return nil, awsError("describing instances", err)
			}
			for _, r := range page.Reservations {
				for _, i := range r.Instances {
					out[awssdk.ToString(i.InstanceId)] = i
				}
			}
			if page.NextToken == nil || *page.NextToken == "" {
				break
			}
			in.NextToken = page.NextToken
		}
	}
	return out, nil
}

// targetHealth returns the health of the targets registered in tg, by id.
// A target group that no longer exists has none.
func targetHealth(ctx context.Context, c *clients, tg string) (map[string]targetState, error) {
	out, err := c.elb.DescribeTargetHealth(ctx, &elbv2.DescribeTargetHealthInput{TargetGroupArn: awssdk.String(tg)})
	if err != nil {
		if errorCode(err) == "TargetGroupNotFound" {
			return map[string]targetState{}, nil
		}
		return nil, awsError("describing target health", err)
	}
	m := make(map[string]targetState, len(out.TargetHealthDescriptions))
	for _, th := range out.TargetHealthDescriptions {
		if th.Target == nil || th.TargetHealth == nil {
			continue
		}
		m[awssdk.ToString(th.Target.Id)] = targetState{state: th.TargetHealth.State,
			reason: string(th.TargetHealth.Reason), description: awssdk.ToString(th.TargetHealth.Description)}
	}
	return m, nil
}

// sleep waits d or until ctx ends.
func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

var errGone = errors.New("gone")
