package aws

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	awssdk "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/autoscaling"
	astypes "github.com/aws/aws-sdk-go-v2/service/autoscaling/types"
	elbv2 "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	elbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"

	"github.com/gennaker/gennaker/providers"
)

// lookup returns the clients of ref's region and its Auto Scaling group,
// or an ErrNotFound error.
func (d *Driver) lookup(ctx context.Context, ref providers.ServerGroupRef) (*clients, astypes.AutoScalingGroup, error) {
	c, err := d.in(ref.Account, ref.Region)
	if err != nil {
		return nil, astypes.AutoScalingGroup{}, err
	}
	asg, err := findGroup(ctx, c, ref.Name)
	if err != nil {
		return nil, astypes.AutoScalingGroup{}, err
	}
	if asg == nil {
		return nil, astypes.AutoScalingGroup{}, providers.Errorf(providers.CodeNotFound, "server group %s not found", ref)
	}
	return c, *asg, nil
}

// ResizeServerGroup implements providers.Provider with
// UpdateAutoScalingGroup. A disabled group has Launch and Terminate
// suspended (so that scaling policies leave it alone); an explicit resize
// resumes them, or AWS would not launch nor terminate anything.
func (d *Driver) ResizeServerGroup(ctx context.Context, ref providers.ServerGroupRef, capacity providers.Capacity) error {
	if err := capacity.Validate(); err != nil {
		return fmt.Errorf("resizing server group %s: %w", ref, err)
	}
	c, asg, err := d.lookup(ctx, ref)
	if err != nil {
		return fmt.Errorf("resizing server group: %w", err)
	}
	if suspended(asg, "Launch") || suspended(asg, "Terminate") {
		if _, err := c.asg.ResumeProcesses(ctx, &autoscaling.ResumeProcessesInput{AutoScalingGroupName: awssdk.String(ref.Name),
			ScalingProcesses: []string{"Launch", "Terminate"}}); err != nil {
			return awsError("resizing server group "+ref.String()+": resuming Launch and Terminate", err)
		}
	}
	if int(awssdk.ToInt32(asg.MinSize)) == capacity.Min && int(awssdk.ToInt32(asg.MaxSize)) == capacity.Max && int(awssdk.ToInt32(asg.DesiredCapacity)) == capacity.Desired {
		return nil
	}
	_, err = c.asg.UpdateAutoScalingGroup(ctx, &autoscaling.UpdateAutoScalingGroupInput{AutoScalingGroupName: awssdk.String(ref.Name),
		MinSize: awssdk.Int32(int32(capacity.Min)), MaxSize: awssdk.Int32(int32(capacity.Max)), DesiredCapacity: awssdk.Int32(int32(capacity.Desired))})
	if err != nil {
		return awsError("resizing server group "+ref.String(), err)
	}
	d.log.Info("resized server group", "region", ref.Region, "server_group", ref.Name, "capacity", capacity)
	return nil
}

// groupTargets returns, for each load balancer the group names that still
// exists, the load balancer and the group's target group ARN ("" when it
// has none).
func groupTargets(ctx context.Context, c *clients, group string, lbs []string) ([]*elbtypes.LoadBalancer, []string, error) {
	var out []*elbtypes.LoadBalancer
	var arns []string
	for _, name := range lbs {
		lb, err := findLB(ctx, c, name)
		if err != nil {
			return nil, nil, err
		}
		if lb == nil {
			continue
		}
		arn, err := findTargetGroup(ctx, c, targetGroupName(name, group))
		if err != nil {
			return nil, nil, err
		}
		out, arns = append(out, lb), append(arns, arn)
	}
	return out, arns, nil
}

// EnableServerGroup implements providers.Provider: it resumes Launch,
// Terminate and AddToLoadBalancer, attaches the group's target groups (Auto
// Scaling registers its instances; those it left out are registered here),
// waits until each in-service instance
// is healthy in them (up to the account's enableTimeout; a timeout is not an
// error, the weights then follow on the next LoadBalancers read) and gives
// the group its weight in the listeners.
func (d *Driver) EnableServerGroup(ctx context.Context, ref providers.ServerGroupRef) error {
	c, asg, err := d.lookup(ctx, ref)
	if err != nil {
		return fmt.Errorf("enabling server group: %w", err)
	}
	if len(asg.SuspendedProcesses) > 0 {
		if _, err := c.asg.ResumeProcesses(ctx, &autoscaling.ResumeProcessesInput{AutoScalingGroupName: awssdk.String(ref.Name), ScalingProcesses: disabledProcesses}); err != nil {
			return awsError("enabling server group "+ref.String()+": resuming processes", err)
		}
	}
	lbs, arns, err := groupTargets(ctx, c, ref.Name, lbNames(asgTags(asg)[tagLoadBalancers]))
	if err != nil {
		return fmt.Errorf("enabling server group %s: %w", ref, err)
	}
	var attach []string
	for _, arn := range arns {
		if arn != "" && !slices.Contains(asg.TargetGroupARNs, arn) {
			attach = append(attach, arn)
		}
	}
	if len(attach) > 0 {
		if _, err := c.asg.AttachLoadBalancerTargetGroups(ctx, &autoscaling.AttachLoadBalancerTargetGroupsInput{AutoScalingGroupName: awssdk.String(ref.Name), TargetGroupARNs: attach}); err != nil {
			return awsError("enabling server group "+ref.String()+": attaching target groups", err)
		}
	}
	for _, arn := range arns {
		if arn == "" {
			continue
		}
		if err := registerMissing(ctx, c, arn, asg); err != nil {
			return fmt.Errorf("enabling server group %s: %w", ref, err)
		}
	}
	if err := d.waitTargets(ctx, c, ref, arns, d.settings.EnableTimeout.D(), allHealthy); err != nil {
		return fmt.Errorf("enabling server group %s: %w", ref, err)
	}
	for i, lb := range lbs {
		if arns[i] == "" {
			continue
		}
		if err := d.syncListeners(ctx, c, lb, []string{arns[i]}, nil); err != nil {
			return fmt.Errorf("enabling server group %s: %w", ref, err)
		}
	}
	d.log.Info("enabled server group", "region", ref.Region, "server_group", ref.Name)
	return nil
}

// DisableServerGroup implements providers.Provider: it suspends Launch,
// Terminate and AddToLoadBalancer, sets the group's weight to 0 in the
// listeners (no new requests), detaches its target groups, deregisters its
// instances and removes the weight tag SetWeights left (enabled again, the
// group serves at defaultWeight), then waits for the instances to drain, up
// to the account's drainTimeout (not an error) or ctx (its error).
func (d *Driver) DisableServerGroup(ctx context.Context, ref providers.ServerGroupRef) error {
	c, asg, err := d.lookup(ctx, ref)
	if err != nil {
		return fmt.Errorf("disabling server group: %w", err)
	}
	if enabled(asg) || !suspended(asg, "Launch") || !suspended(asg, "Terminate") {
		if _, err := c.asg.SuspendProcesses(ctx, &autoscaling.SuspendProcessesInput{AutoScalingGroupName: awssdk.String(ref.Name), ScalingProcesses: disabledProcesses}); err != nil {
			return awsError("disabling server group "+ref.String()+": suspending processes", err)
		}
	}
	lbs, arns, err := groupTargets(ctx, c, ref.Name, lbNames(asgTags(asg)[tagLoadBalancers]))
	if err != nil {
		return fmt.Errorf("disabling server group %s: %w", ref, err)
	}
	var detach []string
	for _, arn := range arns {
		if arn != "" && slices.Contains(asg.TargetGroupARNs, arn) {
			detach = append(detach, arn)
		}
	}
	if len(detach) > 0 {
		// Detached first: the listener sync reads a detached target group as
		// out of service and gives it 0.
		if _, err := c.asg.DetachLoadBalancerTargetGroups(ctx, &autoscaling.DetachLoadBalancerTargetGroupsInput{AutoScalingGroupName: awssdk.String(ref.Name), TargetGroupARNs: detach}); err != nil {
			return awsError("disabling server group "+ref.String()+": detaching target groups", err)
		}
	}
	for i, lb := range lbs {
		if arns[i] == "" {
			continue
		}
		if err := d.syncListeners(ctx, c, lb, []string{arns[i]}, nil); err != nil {
			return fmt.Errorf("disabling server group %s: %w", ref, err)
		}
		if err := deregisterAll(ctx, c, arns[i], asg); err != nil {
			return fmt.Errorf("disabling server group %s: %w", ref, err)
		}
		// Its weight is forgotten once it is out of the listeners: enabled
		// again (rollback), the group serves at defaultWeight.
		if _, err := c.elb.RemoveTags(ctx, &elbv2.RemoveTagsInput{ResourceArns: []string{arns[i]}, TagKeys: []string{tagWeight}}); err != nil {
			return awsError("disabling server group "+ref.String()+": resetting its weight", err)
		}
	}
	// Also when it was disabled already: a redelivered disable must not
	// return before the first one's drain would have.
	if err := d.waitTargets(ctx, c, ref, arns, d.settings.DrainTimeout.D(), noneDraining); err != nil {
		return fmt.Errorf("disabling server group %s: %w", ref, err)
	}
	d.log.Info("disabled server group", "region", ref.Region, "server_group", ref.Name)
	return nil
}

// deregisterAll deregisters the group's instances still registered in tg.
func deregisterAll(ctx context.Context, c *clients, tg string, asg astypes.AutoScalingGroup) error {
	targets, err := instancesIn(ctx, c, tg, asg, func(_ astypes.Instance, s targetState, registered bool) bool {
		return registered && !draining(s)
	})
	if err != nil || len(targets) == 0 {
		return err
	}
	if _, err := c.elb.DeregisterTargets(ctx, &elbv2.DeregisterTargetsInput{TargetGroupArn: awssdk.String(tg), Targets: targets}); err != nil {
		return awsError("deregistering targets", err)
	}
	return nil
}

// registerMissing registers in tg the group's in-service instances that are
// not registered in it (or are draining from an earlier disable). Auto
// Scaling registers a group's instances when a target group is attached,
// but not again when the target group stayed attached while they were
// deregistered (a disable cut short, a hand-made change).
func registerMissing(ctx context.Context, c *clients, tg string, asg astypes.AutoScalingGroup) error {
	targets, err := instancesIn(ctx, c, tg, asg, func(in astypes.Instance, s targetState, registered bool) bool {
		return in.LifecycleState == astypes.LifecycleStateInService && (!registered || draining(s))
	})
	if err != nil || len(targets) == 0 {
		return err
	}
	if _, err := c.elb.RegisterTargets(ctx, &elbv2.RegisterTargetsInput{TargetGroupArn: awssdk.String(tg), Targets: targets}); err != nil {
		return awsError("registering targets", err)
	}
	return nil
}

// instancesIn reads tg's target health and returns, as targets, the group's instances pick
// accepts, given their state in tg and whether they are registered there at all.
func instancesIn(ctx context.Context, c *clients, tg string, asg astypes.AutoScalingGroup,
	pick func(in astypes.Instance, s targetState, registered bool) bool) ([]elbtypes.TargetDescription, error) {
	th, err := targetHealth(ctx, c, tg)
	if err != nil {
		return nil, err
	}
	var targets []elbtypes.TargetDescription
	for _, in := range asg.Instances {
		id := awssdk.ToString(in.InstanceId)
		s, ok := th[id]
		if pick(in, s, ok) {
			targets = append(targets, elbtypes.TargetDescription{Id: awssdk.String(id)})
		}
	}
	return targets, nil
}

func draining(s targetState) bool {
	return s.state == elbtypes.TargetHealthStateEnumDraining || s.state == elbtypes.TargetHealthStateEnumUnhealthyDraining
}

// A targetsDone tells, from the group and the health of the targets in one
// of its target groups, whether a wait is over.
type targetsDone func(asg astypes.AutoScalingGroup, th map[string]targetState) bool

// allHealthy: every in-service instance of the group is healthy.
func allHealthy(asg astypes.AutoScalingGroup, th map[string]targetState) bool {
	for _, in := range asg.Instances {
		if in.LifecycleState == astypes.LifecycleStateInService && th[awssdk.ToString(in.InstanceId)].state != elbtypes.TargetHealthStateEnumHealthy {
			return false
		}
	}
	return true
}

// noneDraining: no instance of the group is registered or draining.
func noneDraining(asg astypes.AutoScalingGroup, th map[string]targetState) bool {
	for _, in := range asg.Instances {
		if _, ok := th[awssdk.ToString(in.InstanceId)]; ok {
			return false
		}
	}
	return true
}

// waitTargets polls the group and its target groups until done holds for
// every one, timeout passes (nil) or ctx ends (its error).
func (d *Driver) waitTargets(ctx context.Context, c *clients, ref providers.ServerGroupRef, tgs []string, timeout time.Duration, done targetsDone) error {
	deadline := time.Now().Add(timeout)
	for {
		asg, err := findGroup(ctx, c, ref.Name)
		if err != nil || asg == nil {
			return err
		}
		ok := true
		for _, tg := range tgs {
			if tg == "" {
				continue
			}
			th, err := targetHealth(ctx, c, tg)
			if err != nil {
				return err
			}
			if !done(*asg, th) {
				ok = false
				break
			}
		}
		if ok {
			return nil
		}
		if time.Now().After(deadline) {
			d.log.Warn("stopped waiting for targets", "region", ref.Region, "server_group", ref.Name, "after", timeout)
			return nil
		}
		if err := sleep(ctx, d.opts.poll); err != nil {
			return err
		}
	}
}

// DestroyServerGroup implements providers.Provider: it takes the group's
// target groups out of the listeners, force-deletes the Auto Scaling group
// (terminating its instances), waits within ctx until it is gone, then
// deletes its target groups and, last, its launch template. Each step is
// skipped when already done, so a destroy cut short is finished by the next
// call; the launch template, deleted last, remembers the load balancers
// when the Auto Scaling group is already gone.
func (d *Driver) DestroyServerGroup(ctx context.Context, ref providers.ServerGroupRef) error {
	c, err := d.in(ref.Account, ref.Region)
	if err != nil {
		return fmt.Errorf("destroying server group: %w", err)
	}
	fail := func(err error) error { return fmt.Errorf("destroying server group %s: %w", ref, err) }
	asg, err := findGroup(ctx, c, ref.Name)
	if err != nil {
		return fail(err)
	}
	lt, err := findLaunchTemplate(ctx, c, ref.Name)
	if err != nil {
		return fail(err)
	}
	var lbList []string
	switch {
	case asg != nil:
		lbList = lbNames(asgTags(*asg)[tagLoadBalancers])
	case lt != nil:
		lbList = lbNames(ltTag(lt, tagLoadBalancers))
	}
	lbs, arns, err := groupTargets(ctx, c, ref.Name, lbList)
	if err != nil {
		return fail(err)
	}
	for i, lb := range lbs {
		if arns[i] != "" {
			if err := d.syncListeners(ctx, c, lb, nil, []string{arns[i]}); err != nil {
				return fail(err)
			}
		}
	}
	if asg != nil {
		_, err := c.asg.DeleteAutoScalingGroup(ctx, &autoscaling.DeleteAutoScalingGroupInput{AutoScalingGroupName: awssdk.String(ref.Name), ForceDelete: awssdk.Bool(true)})
		if err != nil && !isGroupMissing(err) {
			return fail(awsError("deleting auto scaling group", err))
		}
		if err := d.waitGone(ctx, c, ref.Name); err != nil {
			return fail(err)
		}
	}
	for _, arn := range arns {
		if arn == "" {
			continue
		}
		if _, err := c.elb.DeleteTargetGroup(ctx, &elbv2.DeleteTargetGroupInput{TargetGroupArn: awssdk.String(arn)}); err != nil && errorCode(err) != "TargetGroupNotFound" {
			return fail(awsError("deleting target group", err))
		}
	}
	if lt != nil {
		if err := deleteLaunchTemplate(ctx, c, ref.Name); err != nil {
			return fail(err)
		}
	}
	if asg != nil || lt != nil {
		d.log.Info("destroyed server group", "region", ref.Region, "server_group", ref.Name)
	}
	return nil
}

// isGroupMissing reports an Auto Scaling error for a group that is not
// there (deleted meanwhile).
func isGroupMissing(err error) bool {
	var ae interface{ ErrorMessage() string }
	return errorCode(err) == "ValidationError" && errors.As(err, &ae) && containsFold(ae.ErrorMessage(), "not found")
}

// waitGone polls until the Auto Scaling group no longer exists (AWS
// deletes it in the background) or ctx ends.
func (d *Driver) waitGone(ctx context.Context, c *clients, name string) error {
	for {
		out, err := c.asg.DescribeAutoScalingGroups(ctx, &autoscaling.DescribeAutoScalingGroupsInput{AutoScalingGroupNames: []string{name}})
		if err != nil {
			return awsError("waiting for the auto scaling group to go", err)
		}
		if len(out.AutoScalingGroups) == 0 {
			return nil
		}
		if err := sleep(ctx, d.opts.poll); err != nil {
			return fmt.Errorf("waiting for the auto scaling group to go: %w", err)
		}
	}
}
