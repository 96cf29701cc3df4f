package aws

import (
	"context"
	"fmt"
	"slices"
	"strings"

	awssdk "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/autoscaling"

	"github.com/gennaker/gennaker/providers"
)

// TerminateInstances implements providers.InstanceTerminator with
// TerminateInstanceInAutoScalingGroup, one call per instance, keeping the
// desired capacity: Auto Scaling launches a replacement for each. Ids that
// are not in the group, or already terminating, are skipped, and so is an
// instance that left the group between the read and the call, so a
// redelivered command is a no-op. A missing group is an ErrNotFound error.
func (d *Driver) TerminateInstances(ctx context.Context, ref providers.ServerGroupRef, ids []string) error {
	c, asg, err := d.lookup(ctx, ref)
	if err != nil {
		return fmt.Errorf("terminating instances: %w", err)
	}
	for _, in := range asg.Instances {
		id := awssdk.ToString(in.InstanceId)
		if !slices.Contains(ids, id) || strings.HasPrefix(string(in.LifecycleState), "Terminat") {
			continue
		}
		_, err := c.asg.TerminateInstanceInAutoScalingGroup(ctx, &autoscaling.TerminateInstanceInAutoScalingGroupInput{
			InstanceId: awssdk.String(id), ShouldDecrementDesiredCapacity: awssdk.Bool(false)})
		if err != nil && !isInstanceGone(err) {
			return awsError("terminating instance "+id+" of server group "+ref.String(), err)
		}
		d.log.Info("terminated instance", "region", ref.Region, "server_group", ref.Name, "instance_id", id)
	}
	return nil
}

// isInstanceGone reports an Auto Scaling error for an instance that is no
// longer in a group ("Instance Id not found - No managed instance found"),
// or an EC2 instance that no longer exists.
func isInstanceGone(err error) bool {
	return isGroupMissing(err) || strings.HasPrefix(errorCode(err), "InvalidInstanceID.NotFound")
}
