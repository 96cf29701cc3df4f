package aws

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"sync"

	awssdk "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/autoscaling"
	astypes "github.com/aws/aws-sdk-go-v2/service/autoscaling/types"
	elbv2 "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	elbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"

	"github.com/gennaker/gennaker/providers"
)

// A load balancer is an ELBv2 load balancer found by name. Each server
// group attached to it has its own target group (targetGroupName), and the
// driver owns the default action of the load balancer's forwarding
// listeners: a weighted forward across those target groups, with the
// weights forwardWeights decides. Other rules are left alone.

// findLB returns the named load balancer, or nil when it does not exist.
func findLB(ctx context.Context, c *clients, name string) (*elbtypes.LoadBalancer, error) {
	out, err := c.elb.DescribeLoadBalancers(ctx, &elbv2.DescribeLoadBalancersInput{Names: []string{name}})
	if err != nil {
		if errorCode(err) == "LoadBalancerNotFound" {
			return nil, nil
		}
		return nil, awsError("describing load balancer "+name, err)
	}
	if len(out.LoadBalancers) == 0 {
		return nil, nil
	}
	return &out.LoadBalancers[0], nil
}

// forwardListeners returns the load balancer's listeners whose default
// action forwards, sorted by port.
func forwardListeners(ctx context.Context, c *clients, lbARN string) ([]elbtypes.Listener, error) {
	in := &elbv2.DescribeListenersInput{LoadBalancerArn: awssdk.String(lbARN)}
	var out []elbtypes.Listener
	for {
		page, err := c.elb.DescribeListeners(ctx, in)
		if err != nil {
			return nil, awsError("describing listeners", err)
		}
		for _, l := range page.Listeners {
			if forwardAction(l) != nil {
				out = append(out, l)
			}
		}
		if page.NextMarker == nil || *page.NextMarker == "" {
			break
		}
		in.Marker = page.NextMarker
	}
	slices.SortFunc(out, func(a, b elbtypes.Listener) int { return int(awssdk.ToInt32(a.Port) - awssdk.ToInt32(b.Port)) })
	return out, nil
}

// forwardAction returns the listener's forward default action, or nil.
func forwardAction(l elbtypes.Listener) *elbtypes.Action {
	for i, a := range l.DefaultActions {
		if a.Type == elbtypes.ActionTypeEnumForward {
			return &l.DefaultActions[i]
		}
	}
	return nil
}

// forwardWeightsOf returns the target groups of a forward action with their
// weights; a plain forward to one target group has weight 1.
func forwardWeightsOf(a *elbtypes.Action) map[string]int {
	out := map[string]int{}
	if a.ForwardConfig != nil && len(a.ForwardConfig.TargetGroups) > 0 {
		for _, t := range a.ForwardConfig.TargetGroups {
			w := 1
			if t.Weight != nil {
				w = int(*t.Weight)
			}
			out[awssdk.ToString(t.TargetGroupArn)] = w
		}
	} else if a.TargetGroupArn != nil {
		out[*a.TargetGroupArn] = 1
	}
	return out
}

// tgTags returns the tags of the target groups arns, by ARN.
func tgTags(ctx context.Context, c *clients, arns []string) (map[string]map[string]string, error) {
	out := map[string]map[string]string{}
	for chunk := range slices.Chunk(arns, 20) {
		res, err := c.elb.DescribeTags(ctx, &elbv2.DescribeTagsInput{ResourceArns: chunk})
		if err != nil {
			if errorCode(err) != "TargetGroupNotFound" {
				return nil, awsError("describing target group tags", err)
			}
			if len(chunk) == 1 {
				continue // deleted: absent from the result
			}
			// One of them is gone: ask one by one.
			for _, arn := range chunk {
				one, err := tgTags(ctx, c, []string{arn})
				if err != nil {
					return nil, err
				}
				maps.Copy(out, one)
			}
			continue
		}
		for _, d := range res.TagDescriptions {
			m := map[string]string{}
			for _, t := range d.Tags {
				m[awssdk.ToString(t.Key)] = awssdk.ToString(t.Value)
			}
			out[awssdk.ToString(d.ResourceArn)] = m
		}
	}
	return out, nil
}

// findTargetGroup returns the ARN of the named target group, or "".
func findTargetGroup(ctx context.Context, c *clients, name string) (string, error) {
	out, err := c.elb.DescribeTargetGroups(ctx, &elbv2.DescribeTargetGroupsInput{Names: []string{name}})
	if err != nil {
		if errorCode(err) == "TargetGroupNotFound" {
			return "", nil
		}
		return "", awsError("describing target group "+name, err)
	}
	if len(out.TargetGroups) == 0 {
		return "", nil
	}
	return awssdk.ToString(out.TargetGroups[0].TargetGroupArn), nil
}

// syncListeners sets the weighted forward action of every forwarding
// listener of lb: the target groups already in it plus add, minus remove,
// weighted by forwardWeights. A listener already right is not modified.
//
// Syncs of one driver take turns per load balancer, each reading the world
// afresh. Two processes changing one listener at the same moment can still
// lose one's change (ELBv2 has no conditional update); the next call on that
// load balancer, or the next LoadBalancers read, repairs it for target
// groups still in the action.
func (d *Driver) syncListeners(ctx context.Context, c *clients, lb *elbtypes.LoadBalancer, add, remove []string) error {
	mu, _ := d.listeners.LoadOrStore(awssdk.ToString(lb.LoadBalancerArn), new(sync.Mutex))
	mu.(*sync.Mutex).Lock()
	defer mu.(*sync.Mutex).Unlock()
	ls, err := forwardListeners(ctx, c, awssdk.ToString(lb.LoadBalancerArn))
	if err != nil {
		return err
	}
	for _, l := range ls {
		a := forwardAction(l)
		current := forwardWeightsOf(a)
		set := maps.Clone(current)
		for _, arn := range add {
			set[arn] = 0
		}
		for _, arn := range remove {
			delete(set, arn)
		}
		if len(set) == 0 {
			continue // nothing to forward to: leave the listener as it is
		}
		ms, err := d.members(ctx, c, slices.Sorted(maps.Keys(set)))
		if err != nil {
			return err
		}
		want := forwardWeights(ms)
		if len(want) == 0 || maps.Equal(want, current) {
			continue
		}
		fc := &elbtypes.ForwardActionConfig{TargetGroupStickinessConfig: nil}
		if a.ForwardConfig != nil {
			fc.TargetGroupStickinessConfig = a.ForwardConfig.TargetGroupStickinessConfig
		}
		for _, arn := range slices.Sorted(maps.Keys(want)) {
			fc.TargetGroups = append(fc.TargetGroups, elbtypes.TargetGroupTuple{TargetGroupArn: awssdk.String(arn), Weight: awssdk.Int32(int32(want[arn]))})
		}
		_, err = c.elb.ModifyListener(ctx, &elbv2.ModifyListenerInput{ListenerArn: l.ListenerArn,
			DefaultActions: []elbtypes.Action{{Type: elbtypes.ActionTypeEnumForward, ForwardConfig: fc}}})
		if err != nil {
			return awsError(fmt.Sprintf("setting the weights of listener %s:%d", awssdk.ToString(lb.LoadBalancerName), awssdk.ToInt32(l.Port)), err)
		}
		d.log.Info("set listener weights", "region", c.region, "load_balancer", awssdk.ToString(lb.LoadBalancerName), "port", awssdk.ToInt32(l.Port), "weights", weightsByGroup(ms, want))
	}
	return nil
}

func weightsByGroup(ms []member, w map[string]int) map[string]int {
	out := map[string]int{}
	for _, m := range ms {
		if m.group != "" {
			out[m.group] = w[m.arn]
		}
	}
	return out
}

// members reads what forwardWeights needs about target groups: their
// server group, configured weight, whether the group is enabled and how
// many of its targets are healthy.
func (d *Driver) members(ctx context.Context, c *clients, arns []string) ([]member, error) {
	tags, err := tgTags(ctx, c, arns)
	if err != nil {
		return nil, err
	}
	var names []string
	for _, arn := range arns {
		if g := tags[arn][tagServerGroup]; g != "" {
			names = append(names, g)
		}
	}
	groups := map[string]astypes.AutoScalingGroup{}
	for chunk := range slices.Chunk(names, 50) {
		gs, err := describeGroups(ctx, c, &autoscaling.DescribeAutoScalingGroupsInput{AutoScalingGroupNames: chunk})
		if err != nil {
			return nil, err
		}
		for _, g := range gs {
			groups[awssdk.ToString(g.AutoScalingGroupName)] = g
		}
	}
	ms := make([]member, 0, len(arns))
	for _, arn := range arns {
		t, exists := tags[arn]
		m := member{arn: arn, group: t[tagServerGroup], weight: defaultWeight, gone: !exists}
		if _, ok := groups[m.group]; m.group != "" && !ok {
			m.gone = true // its server group was destroyed
		}
		if m.group != "" && !m.gone {
			if w, err := strconv.Atoi(tags[arn][tagWeight]); err == nil {
				m.weight = w
			}
			g, ok := groups[m.group]
			m.enabled = ok && enabled(g) && slices.Contains(g.TargetGroupARNs, arn)
			if m.enabled {
				th, err := targetHealth(ctx, c, arn)
				if err != nil {
					return nil, err
				}
				for _, t := range th {
					if t.state == elbtypes.TargetHealthStateEnumHealthy {
						m.healthy++
					}
				}
			}
		}
		ms = append(ms, m)
	}
	return ms, nil
}

// SetWeights implements providers.TrafficSplitter. Each weight is kept as
// a tag of the group's target group, and the listeners' forward actions are
// set from them (see forwardWeights: a disabled group, or one with no
// healthy target, gets 0 until it is enabled and healthy; DisableServerGroup
// removes the tag). It returns an
// ErrInvalidSpec error for a weight outside 0–999 (ELBv2's range), and an
// ErrNotFound error when the load balancer is missing or a group has no
// target group on it; on error no weight is changed.
func (d *Driver) SetWeights(ctx context.Context, account, region, loadBalancer string, weights map[string]int) error {
	c, err := d.in(account, region)
	if err != nil {
		return fmt.Errorf("setting weights: %w", err)
	}
	for g, w := range weights {
		if w < 0 || w > maxWeight {
			return providers.Errorf(providers.CodeInvalidSpec, "setting weights on %s: weight %d of %s outside 0–%d", loadBalancer, w, g, maxWeight)
		}
	}
	lb, err := findLB(ctx, c, loadBalancer)
	if err != nil {
		return fmt.Errorf("setting weights on %s: %w", loadBalancer, err)
	}
	if lb == nil {
		return providers.Errorf(providers.CodeNotFound, "setting weights: load balancer %s not found in %s", loadBalancer, region)
	}
	arns := map[string]string{}
	for g := range weights {
		arn, err := findTargetGroup(ctx, c, targetGroupName(loadBalancer, g))
		if err != nil {
			return fmt.Errorf("setting weights on %s: %w", loadBalancer, err)
		}
		if arn == "" {
			return providers.Errorf(providers.CodeNotFound, "setting weights: server group %s is not attached to load balancer %s", g, loadBalancer)
		}
		arns[g] = arn
	}
	for g, w := range weights {
		_, err := c.elb.AddTags(ctx, &elbv2.AddTagsInput{ResourceArns: []string{arns[g]},
			Tags: []elbtypes.Tag{{Key: awssdk.String(tagWeight), Value: awssdk.String(strconv.Itoa(w))}}})
		if err != nil {
			return awsError("setting weights: tagging the target group of "+g, err)
		}
	}
	if err := d.syncListeners(ctx, c, lb, slices.Collect(maps.Values(arns)), nil); err != nil {
		return fmt.Errorf("setting weights on %s: %w", loadBalancer, err)
	}
	return nil
}

// LoadBalancers implements providers.Provider: the load balancers named app
// or app-…, and those app's server groups are attached to, in every region.
// Reading a load balancer also brings its listeners' weights up to date
// (a group that became healthy since the last change gets its weight), so
// the caching agent's reads converge traffic. When a region fails, it
// returns the load balancers of the others with a *RegionsError.
func (d *Driver) LoadBalancers(ctx context.Context, account, app string) ([]providers.LoadBalancer, error) {
	if err := d.checkAccount(account); err != nil {
		return nil, fmt.Errorf("listing load balancers: %w", err)
	}
	var mu sync.Mutex
	out := []providers.LoadBalancer{}
	err := d.eachRegion(func(c *clients) error {
		lbs, err := d.regionLBs(ctx, c, app)
		mu.Lock()
		out = append(out, lbs...)
		mu.Unlock()
		return err
	})
	slices.SortFunc(out, func(a, b providers.LoadBalancer) int {
		return strings.Compare(a.Region+"/"+a.Name, b.Region+"/"+b.Name)
	})
	if err != nil {
		return out, fmt.Errorf("listing load balancers of %s: %w", app, err)
	}
	return out, nil
}

func (d *Driver) regionLBs(ctx context.Context, c *clients, app string) ([]providers.LoadBalancer, error) {
	wanted := map[string]bool{}
	asgs, err := describeGroups(ctx, c, &autoscaling.DescribeAutoScalingGroupsInput{
		Filters: []astypes.Filter{{Name: awssdk.String("tag:" + tagApplication), Values: []string{app}}}})
	if err != nil {
		return nil, err
	}
	for _, g := range asgs {
		for _, lb := range lbNames(asgTags(g)[tagLoadBalancers]) {
			wanted[lb] = true
		}
	}
	var lbs []elbtypes.LoadBalancer
	in := &elbv2.DescribeLoadBalancersInput{}
	for {
		page, err := c.elb.DescribeLoadBalancers(ctx, in)
		if err != nil {
			return nil, awsError("describing load balancers", err)
		}
		for _, lb := range page.LoadBalancers {
			n := awssdk.ToString(lb.LoadBalancerName)
			if n == app || strings.HasPrefix(n, app+"-") || wanted[n] {
				lbs = append(lbs, lb)
			}
		}
		if page.NextMarker == nil || *page.NextMarker == "" {
			break
		}
		in.Marker = page.NextMarker
	}
	var out []providers.LoadBalancer
	for i := range lbs {
		lb := &lbs[i]
		if err := d.syncListeners(ctx, c, lb, nil, nil); err != nil {
			return out, err
		}
		v := providers.LoadBalancer{Account: d.account.Name, Region: c.region, Name: awssdk.ToString(lb.LoadBalancerName),
			Address: awssdk.ToString(lb.DNSName), Targets: []providers.Target{}}
		ls, err := forwardListeners(ctx, c, awssdk.ToString(lb.LoadBalancerArn))
		if err != nil {
			return out, err
		}
		if len(ls) > 0 {
			// The first forwarding listener speaks for all: the driver keeps
			// them the same.
			w := forwardWeightsOf(forwardAction(ls[0]))
			tags, err := tgTags(ctx, c, slices.Sorted(maps.Keys(w)))
			if err != nil {
				return out, err
			}
			for arn, weight := range w {
				if g := tags[arn][tagServerGroup]; g != "" {
					v.Targets = append(v.Targets, providers.Target{ServerGroup: g, Weight: weight})
				}
			}
			slices.SortFunc(v.Targets, func(a, b providers.Target) int { return strings.Compare(a.ServerGroup, b.ServerGroup) })
		}
		out = append(out, v)
	}
	return out, nil
}
