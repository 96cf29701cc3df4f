package aws

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	awssdk "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/autoscaling"
	astypes "github.com/aws/aws-sdk-go-v2/service/autoscaling/types"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	elbv2 "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	elbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"

	"github.com/gennaker/gennaker/providers"
)

// Artifact types the driver runs: Reference is an AMI id or name.
const (
	ArtifactAMI    = "ami"
	ArtifactAWSAMI = "aws/ami"
)

// The processes suspended while a group is disabled, as Spinnaker does:
// AddToLoadBalancer keeps new instances out of traffic, Launch and
// Terminate keep scaling policies from shrinking an idle group that a
// rollback may need at full size.
var disabledProcesses = []string{"Launch", "Terminate", "AddToLoadBalancer"}

// resolved is everything CreateServerGroup looked up before creating.
type resolved struct {
	image   string
	sgs     []string
	subnets []string
	lbs     []*elbtypes.LoadBalancer
	launch  LaunchSettings
	digest  string
}

// CreateServerGroup implements providers.Provider the way Clouddriver
// deploys: it resolves the AMI (DescribeImages), the subnets by purpose tag
// (DescribeSubnets), the security groups by name (DescribeSecurityGroups)
// and the load balancers (DescribeLoadBalancers); creates one target group
// per load balancer for the group; creates the launch template and then the
// Auto Scaling group (capacity, subnets, target groups unless disabled,
// health check, tags); suspends Launch, Terminate and AddToLoadBalancer
// when spec.Disabled; and adds the target groups to the load balancers'
// weighted forward actions.
//
// It is safe to repeat: an Auto Scaling group of that name created from the
// same spec is adopted (and finished when a crash cut its creation short); a
// different spec is an ErrConflict error. When the Auto Scaling group cannot
// be created, the launch template and target groups made for it are
// deleted. AWS errors that say the request is wrong (an invalid AMI or
// subnet) are ErrInvalidSpec errors carrying AWS's code and message.
func (d *Driver) CreateServerGroup(ctx context.Context, spec providers.ServerGroupSpec) (providers.ServerGroup, error) {
	name := spec.Moniker.Name()
	fail := func(err error) (providers.ServerGroup, error) {
		return providers.ServerGroup{}, fmt.Errorf("creating server group %s: %w", name, err)
	}
	if err := spec.Moniker.Validate(); err != nil {
		return fail(err)
	}
	if err := spec.Capacity.Validate(); err != nil {
		return fail(err)
	}
	if spec.Artifact.Type != ArtifactAMI && spec.Artifact.Type != ArtifactAWSAMI {
		return fail(providers.Errorf(providers.CodeUnsupported, "artifact type %q: the aws driver runs %q (an AMI id or name)", spec.Artifact.Type, ArtifactAMI))
	}
	if spec.Artifact.Reference == "" {
		return fail(providers.Errorf(providers.CodeInvalidSpec, "the artifact names no AMI"))
	}
	c, err := d.in(spec.Account, spec.Region)
	if err != nil {
		return fail(err)
	}
	ls, err := launchSettings(d.settings.Defaults, spec.Artifact.Metadata)
	if err != nil {
		return fail(err)
	}
	digest := specDigest(spec.Artifact, ls, spec.LoadBalancers)
	asg, err := findGroup(ctx, c, name)
	if err != nil {
		return fail(err)
	}
	if asg != nil {
		return d.adopt(ctx, c, spec, *asg, digest)
	}
	r, err := d.resolve(ctx, c, spec, ls)
	if err != nil {
		return fail(err)
	}
	r.digest = digest
	if err := d.create(ctx, c, spec, r); err != nil {
		return fail(err)
	}
	if asg, err = findGroup(ctx, c, name); err != nil || asg == nil {
		return fail(errors.Join(err, errors.New("the new Auto Scaling group is not visible yet")))
	}
	return d.adopt(ctx, c, spec, *asg, digest)
}

// adopt returns an existing group created from the same spec, finishing
// its creation when it was cut short.
func (d *Driver) adopt(ctx context.Context, c *clients, spec providers.ServerGroupSpec, asg astypes.AutoScalingGroup, digest string) (providers.ServerGroup, error) {
	name := spec.Moniker.Name()
	tags := asgTags(asg)
	if tags[tagSpec] != digest {
		return providers.ServerGroup{}, providers.Errorf(providers.CodeConflict,
			"creating server group %s: it exists from another spec (artifact %s %s)", name, tags[tagArtifactRef], tags[tagArtifactVer])
	}
	if tags[tagPhase] == phaseCreating {
		if err := d.finish(ctx, c, spec, asg); err != nil {
			return providers.ServerGroup{}, fmt.Errorf("creating server group %s: finishing: %w", name, err)
		}
		a, err := findGroup(ctx, c, name)
		if err != nil || a == nil {
			return providers.ServerGroup{}, fmt.Errorf("creating server group %s: reading it back: %w", name, errors.Join(err, errGone))
		}
		asg = *a
	}
	gs, err := d.views(ctx, c, []astypes.AutoScalingGroup{asg})
	if err != nil {
		return providers.ServerGroup{}, fmt.Errorf("creating server group %s: reading it back: %w", name, err)
	}
	return gs[0], nil
}

// finish does what follows the creation of the Auto Scaling group: suspend
// it when created disabled, add its target groups to the listeners, and
// mark it created.
func (d *Driver) finish(ctx context.Context, c *clients, spec providers.ServerGroupSpec, asg astypes.AutoScalingGroup) error {
	name := spec.Moniker.Name()
	if spec.Disabled {
		if _, err := c.asg.SuspendProcesses(ctx, &autoscaling.SuspendProcessesInput{AutoScalingGroupName: awssdk.String(name), ScalingProcesses: disabledProcesses}); err != nil {
			return awsError("suspending processes", err)
		}
	}
	for _, lbName := range spec.LoadBalancers {
		lb, err := findLB(ctx, c, lbName)
		if err != nil {
			return err
		}
		if lb == nil {
			continue
		}
		arn, err := findTargetGroup(ctx, c, targetGroupName(lbName, name))
		if err != nil {
			return err
		}
		if arn == "" {
			continue
		}
		if err := d.syncListeners(ctx, c, lb, []string{arn}, nil); err != nil {
			return err
		}
	}
	_, err := c.asg.CreateOrUpdateTags(ctx, &autoscaling.CreateOrUpdateTagsInput{Tags: []astypes.Tag{{
		ResourceId: awssdk.String(name), ResourceType: awssdk.String("auto-scaling-group"),
		Key: awssdk.String(tagPhase), Value: awssdk.String(phaseCreated), PropagateAtLaunch: awssdk.Bool(false)}}})
	if err != nil {
		return awsError("tagging the group created", err)
	}
	d.log.Info("created server group", "region", c.region, "server_group", name, "image", asgTags(asg)[tagImage], "capacity", spec.Capacity, "disabled", spec.Disabled)
	return nil
}

// resolve looks up the image, subnets, security groups and load balancers
// of a new group.
func (d *Driver) resolve(ctx context.Context, c *clients, spec providers.ServerGroupSpec, ls LaunchSettings) (resolved, error) {
	r := resolved{launch: ls}
	var err error
	if r.image, err = resolveImage(ctx, c, spec.Artifact.Reference); err != nil {
		return r, err
	}
	var vpc string
	if r.subnets, vpc, err = d.resolveSubnets(ctx, c, ls); err != nil {
		return r, err
	}
	if r.sgs, err = resolveSecurityGroups(ctx, c, ls.SecurityGroups, vpc); err != nil {
		return r, err
	}
	for _, name := range spec.LoadBalancers {
		lb, err := findLB(ctx, c, name)
		if err != nil {
			return r, err
		}
		if lb == nil {
			return r, providers.Errorf(providers.CodeInvalidSpec, "load balancer %s not found in %s", name, c.region)
		}
		r.lbs = append(r.lbs, lb)
	}
	return r, nil
}

// resolveImage finds the AMI by id, or by name (the newest of that name).
func resolveImage(ctx context.Context, c *clients, ref string) (string, error) {
	in := &ec2.DescribeImagesInput{}
	if strings.HasPrefix(ref, "ami-") {
		in.ImageIds = []string{ref}
	} else {
		in.Filters = []ec2types.Filter{{Name: awssdk.String("name"), Values: []string{ref}}}
	}
	out, err := c.ec2.DescribeImages(ctx, in)
	if err != nil {
		return "", awsError("describing image "+ref, err)
	}
	if len(out.Images) == 0 {
		return "", providers.Errorf(providers.CodeInvalidSpec, "image %s not found in %s", ref, c.region)
	}
	best := out.Images[0]
	for _, im := range out.Images[1:] {
		if awssdk.ToString(im.CreationDate) > awssdk.ToString(best.CreationDate) {
			best = im
		}
	}
	return awssdk.ToString(best.ImageId), nil
}

// resolveSubnets returns the subnets named by id or tagged with the
// purpose, and their VPC; subnets of more than one VPC are an error.
func (d *Driver) resolveSubnets(ctx context.Context, c *clients, ls LaunchSettings) ([]string, string, error) {
	in := &ec2.DescribeSubnetsInput{}
	what := fmt.Sprintf("subnets %v", ls.SubnetIDs)
	if len(ls.SubnetIDs) > 0 {
		in.SubnetIds = ls.SubnetIDs
	} else {
		what = fmt.Sprintf("subnets tagged %s=%s", d.settings.SubnetPurposeTag, ls.SubnetPurpose)
		in.Filters = []ec2types.Filter{{Name: awssdk.String("tag:" + d.settings.SubnetPurposeTag), Values: []string{ls.SubnetPurpose}}}
	}
	var ids []string
	vpcs := map[string]bool{}
	for {
		out, err := c.ec2.DescribeSubnets(ctx, in)
		if err != nil {
			return nil, "", awsError("describing "+what, err)
		}
		for _, s := range out.Subnets {
			ids = append(ids, awssdk.ToString(s.SubnetId))
			vpcs[awssdk.ToString(s.VpcId)] = true
		}
		if out.NextToken == nil || *out.NextToken == "" {
			break
		}
		in.NextToken = out.NextToken
	}
	if len(ids) == 0 {
		return nil, "", providers.Errorf(providers.CodeInvalidSpec, "no %s in %s", what, c.region)
	}
	if len(vpcs) > 1 {
		return nil, "", providers.Errorf(providers.CodeInvalidSpec, "%s span %d VPCs; want one", what, len(vpcs))
	}
	slices.Sort(ids)
	var vpc string
	for v := range vpcs {
		vpc = v
	}
	return ids, vpc, nil
}

// resolveSecurityGroups maps names (or sg- ids) to ids in the VPC.
func resolveSecurityGroups(ctx context.Context, c *clients, names []string, vpc string) ([]string, error) {
	if len(names) == 0 {
		return nil, nil
	}
	out, err := c.ec2.DescribeSecurityGroups(ctx, &ec2.DescribeSecurityGroupsInput{Filters: []ec2types.Filter{{Name: awssdk.String("vpc-id"), Values: []string{vpc}}}})
	if err != nil {
		return nil, awsError("describing security groups", err)
	}
	byName := map[string]string{}
	for _, g := range out.SecurityGroups {
		byName[awssdk.ToString(g.GroupName)] = awssdk.ToString(g.GroupId)
		byName[awssdk.ToString(g.GroupId)] = awssdk.ToString(g.GroupId)
	}
	var ids, missing []string
	for _, n := range names {
		if id, ok := byName[n]; ok {
			ids = append(ids, id)
		} else {
			missing = append(missing, n)
		}
	}
	if len(missing) > 0 {
		return nil, providers.Errorf(providers.CodeInvalidSpec, "security groups %v not found in %s", missing, vpc)
	}
	return ids, nil
}

// create makes the target groups, the launch template and the Auto
// Scaling group; when the group cannot be created it deletes what it made.
func (d *Driver) create(ctx context.Context, c *clients, spec providers.ServerGroupSpec, r resolved) (err error) {
	name := spec.Moniker.Name()
	var made []string // target groups made here
	var madeLT bool
	defer func() {
		if err == nil {
			return
		}
		// Clean with a context of its own: ctx may be what ended.
		cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), cleanupTimeout)
		defer cancel()
		if madeLT {
			if cerr := deleteLaunchTemplate(cctx, c, name); cerr != nil {
				err = errors.Join(err, fmt.Errorf("cleaning up: %w", cerr))
			}
		}
		for _, arn := range made {
			if _, cerr := c.elb.DeleteTargetGroup(cctx, &elbv2.DeleteTargetGroupInput{TargetGroupArn: awssdk.String(arn)}); cerr != nil {
				err = errors.Join(err, awsError("cleaning up: deleting target group", cerr))
			}
		}
	}()
	var tgs []string
	for _, lb := range r.lbs {
		arn, fresh, err := d.ensureTargetGroup(ctx, c, lb, name, spec.Moniker.App)
		if err != nil {
			return err
		}
		if fresh {
			made = append(made, arn)
		}
		tgs = append(tgs, arn)
	}
	tags := d.groupTags(spec, r)
	ltID, fresh, err := d.ensureLaunchTemplate(ctx, c, name, r, tags)
	if err != nil {
		return err
	}
	madeLT = fresh
	hc := r.launch.HealthCheckType
	if hc == "" {
		hc = "EC2"
		if len(r.lbs) > 0 {
			hc = "ELB"
		}
	}
	in := &autoscaling.CreateAutoScalingGroupInput{
		AutoScalingGroupName: awssdk.String(name),
		LaunchTemplate:       &astypes.LaunchTemplateSpecification{LaunchTemplateId: awssdk.String(ltID), Version: awssdk.String("$Latest")},
		MinSize:              awssdk.Int32(int32(spec.Capacity.Min)),
		MaxSize:              awssdk.Int32(int32(spec.Capacity.Max)),
		DesiredCapacity:      awssdk.Int32(int32(spec.Capacity.Desired)),
		VPCZoneIdentifier:    awssdk.String(strings.Join(r.subnets, ",")),
		HealthCheckType:      awssdk.String(hc),
	}
	if r.launch.HealthCheckGracePeriodSec != nil {
		in.HealthCheckGracePeriod = awssdk.Int32(int32(*r.launch.HealthCheckGracePeriodSec))
	}
	if !spec.Disabled {
		in.TargetGroupARNs = tgs
	}
	for _, k := range slices.Sorted(mapsKeys(tags)) {
		in.Tags = append(in.Tags, astypes.Tag{Key: awssdk.String(k), Value: awssdk.String(tags[k]), PropagateAtLaunch: awssdk.Bool(k != tagPhase)})
	}
	if _, err := c.asg.CreateAutoScalingGroup(ctx, in); err != nil {
		if errorCode(err) == "AlreadyExists" {
			madeLT, made = false, nil // someone else's creation: adopt it
			return nil
		}
		return awsError("creating auto scaling group", err)
	}
	return nil
}

// cleanupTimeout bounds the deletion of a half-created group's parts.
const cleanupTimeout = time.Minute

// groupTags are the tags of the Auto Scaling group (propagated to its
// instances) and its launch template.
func (d *Driver) groupTags(spec providers.ServerGroupSpec, r resolved) map[string]string {
	m := spec.Moniker
	tags := map[string]string{}
	for k, v := range spec.Tags {
		tags[k] = v
	}
	tags["Name"] = m.Name()
	tags[tagApplication] = m.App
	tags[tagCluster] = m.Cluster()
	if m.Stack != "" {
		tags[tagStack] = m.Stack
	}
	if m.Detail != "" {
		tags[tagDetail] = m.Detail
	}
	tags[tagArtifactType] = spec.Artifact.Type
	tags[tagArtifactRef] = spec.Artifact.Reference
	if spec.Artifact.Version != "" {
		tags[tagArtifactVer] = spec.Artifact.Version
	}
	tags[tagImage] = r.image
	if len(spec.LoadBalancers) > 0 {
		tags[tagLoadBalancers] = strings.Join(spec.LoadBalancers, ",")
	}
	tags[tagSpec] = r.digest
	tags[tagPhase] = phaseCreating
	return tags
}

// ensureLaunchTemplate creates the group's launch template, or reuses the
// one a crashed creation of the same spec left; one of another spec is
// replaced. fresh reports whether this call created it.
func (d *Driver) ensureLaunchTemplate(ctx context.Context, c *clients, name string, r resolved, tags map[string]string) (id string, fresh bool, err error) {
	lt, err := findLaunchTemplate(ctx, c, name)
	if err != nil {
		return "", false, err
	}
	if lt != nil {
		if ltTag(lt, tagSpec) == r.digest {
			return awssdk.ToString(lt.LaunchTemplateId), false, nil
		}
		d.log.Warn("replacing a launch template left by another creation", "region", c.region, "launch_template", name)
		if err := deleteLaunchTemplate(ctx, c, name); err != nil {
			return "", false, err
		}
	}
	data := &ec2types.RequestLaunchTemplateData{
		ImageId:          awssdk.String(r.image),
		InstanceType:     ec2types.InstanceType(r.launch.InstanceType),
		SecurityGroupIds: r.sgs,
	}
	if r.launch.KeyPair != "" {
		data.KeyName = awssdk.String(r.launch.KeyPair)
	}
	if p := r.launch.IAMInstanceProfile; p != "" {
		data.IamInstanceProfile = &ec2types.LaunchTemplateIamInstanceProfileSpecificationRequest{}
		if strings.HasPrefix(p, "arn:") {
			data.IamInstanceProfile.Arn = awssdk.String(p)
		} else {
			data.IamInstanceProfile.Name = awssdk.String(p)
		}
	}
	if r.launch.UserData != "" {
		data.UserData = awssdk.String(base64.StdEncoding.EncodeToString([]byte(r.launch.UserData)))
	}
	var ec2Tags []ec2types.Tag
	for _, k := range slices.Sorted(mapsKeys(tags)) {
		if k != tagPhase {
			ec2Tags = append(ec2Tags, ec2types.Tag{Key: awssdk.String(k), Value: awssdk.String(tags[k])})
		}
	}
	data.TagSpecifications = []ec2types.LaunchTemplateTagSpecificationRequest{{ResourceType: ec2types.ResourceTypeVolume, Tags: ec2Tags}}
	out, err := c.ec2.CreateLaunchTemplate(ctx, &ec2.CreateLaunchTemplateInput{
		LaunchTemplateName: awssdk.String(name),
		LaunchTemplateData: data,
		VersionDescription: awssdk.String("gennaker " + tags[tagArtifactRef] + " " + tags[tagArtifactVer]),
		TagSpecifications:  []ec2types.TagSpecification{{ResourceType: ec2types.ResourceTypeLaunchTemplate, Tags: ec2Tags}},
	})
	if err != nil {
		return "", false, awsError("creating launch template", err)
	}
	return awssdk.ToString(out.LaunchTemplate.LaunchTemplateId), true, nil
}

func ltTag(lt *ec2types.LaunchTemplate, key string) string {
	for _, t := range lt.Tags {
		if awssdk.ToString(t.Key) == key {
			return awssdk.ToString(t.Value)
		}
	}
	return ""
}

// findLaunchTemplate returns the named launch template, or nil.
func findLaunchTemplate(ctx context.Context, c *clients, name string) (*ec2types.LaunchTemplate, error) {
	out, err := c.ec2.DescribeLaunchTemplates(ctx, &ec2.DescribeLaunchTemplatesInput{LaunchTemplateNames: []string{name}})
	if err != nil {
		if strings.HasPrefix(errorCode(err), "InvalidLaunchTemplateName.NotFound") || strings.HasPrefix(errorCode(err), "InvalidLaunchTemplateId.NotFound") {
			return nil, nil
		}
		return nil, awsError("describing launch template "+name, err)
	}
	if len(out.LaunchTemplates) == 0 {
		return nil, nil
	}
	return &out.LaunchTemplates[0], nil
}

// deleteLaunchTemplate deletes the named launch template; a missing one is
// not an error.
func deleteLaunchTemplate(ctx context.Context, c *clients, name string) error {
	_, err := c.ec2.DeleteLaunchTemplate(ctx, &ec2.DeleteLaunchTemplateInput{LaunchTemplateName: awssdk.String(name)})
	if err != nil && !strings.HasPrefix(errorCode(err), "InvalidLaunchTemplateName.NotFound") && !strings.HasPrefix(errorCode(err), "InvalidLaunchTemplateId.NotFound") {
		return awsError("deleting launch template "+name, err)
	}
	return nil
}

// ensureTargetGroup returns the target group that joins group to lb,
// creating it like the target group the load balancer's listener forwarded
// to before Gennaker (protocol, port, health check), or HTTP:80 with a
// health check of "/" when there is none. fresh reports whether this call
// created it.
func (d *Driver) ensureTargetGroup(ctx context.Context, c *clients, lb *elbtypes.LoadBalancer, group, app string) (string, bool, error) {
	lbName := awssdk.ToString(lb.LoadBalancerName)
	name := targetGroupName(lbName, group)
	if arn, err := findTargetGroup(ctx, c, name); err != nil || arn != "" {
		return arn, false, err
	}
	in := &elbv2.CreateTargetGroupInput{
		Name: awssdk.String(name), Protocol: elbtypes.ProtocolEnumHttp, Port: awssdk.Int32(80), VpcId: lb.VpcId,
		TargetType: elbtypes.TargetTypeEnumInstance, HealthCheckPath: awssdk.String("/"),
		Tags: []elbtypes.Tag{
			{Key: awssdk.String(tagServerGroup), Value: awssdk.String(group)},
			{Key: awssdk.String(tagLoadBalancer), Value: awssdk.String(lbName)},
			{Key: awssdk.String(tagApplication), Value: awssdk.String(app)},
		},
	}
	tpl, err := templateTargetGroup(ctx, c, lb)
	if err != nil {
		return "", false, err
	}
	if tpl != nil {
		in.Protocol, in.Port, in.ProtocolVersion = tpl.Protocol, tpl.Port, tpl.ProtocolVersion
		in.HealthCheckProtocol, in.HealthCheckPort, in.HealthCheckPath = tpl.HealthCheckProtocol, tpl.HealthCheckPort, tpl.HealthCheckPath
		in.HealthCheckIntervalSeconds, in.HealthCheckTimeoutSeconds = tpl.HealthCheckIntervalSeconds, tpl.HealthCheckTimeoutSeconds
		in.HealthyThresholdCount, in.UnhealthyThresholdCount, in.Matcher = tpl.HealthyThresholdCount, tpl.UnhealthyThresholdCount, tpl.Matcher
	}
	out, err := c.elb.CreateTargetGroup(ctx, in)
	if err != nil {
		if errorCode(err) == "DuplicateTargetGroupName" {
			arn, ferr := findTargetGroup(ctx, c, name)
			return arn, false, ferr
		}
		return "", false, awsError("creating target group "+name, err)
	}
	return awssdk.ToString(out.TargetGroups[0].TargetGroupArn), true, nil
}

// templateTargetGroup returns a target group of the load balancer's
// forward action that Gennaker did not create, or nil.
func templateTargetGroup(ctx context.Context, c *clients, lb *elbtypes.LoadBalancer) (*elbtypes.TargetGroup, error) {
	ls, err := forwardListeners(ctx, c, awssdk.ToString(lb.LoadBalancerArn))
	if err != nil || len(ls) == 0 {
		return nil, err
	}
	w := forwardWeightsOf(forwardAction(ls[0]))
	arns := slices.Sorted(mapsKeys(w))
	tags, err := tgTags(ctx, c, arns)
	if err != nil {
		return nil, err
	}
	for _, arn := range arns {
		if tags[arn][tagServerGroup] != "" {
			continue
		}
		out, err := c.elb.DescribeTargetGroups(ctx, &elbv2.DescribeTargetGroupsInput{TargetGroupArns: []string{arn}})
		if err != nil {
			return nil, awsError("describing target group", err)
		}
		if len(out.TargetGroups) > 0 {
			return &out.TargetGroups[0], nil
		}
	}
	return nil, nil
}
