package aws

import (
	"errors"
	"slices"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/gennaker/gennaker/providers"
)

// TestTerminateInstances: a terminated instance leaves the group (or is
// shown terminating), is terminated in EC2, and the group is back at its
// desired capacity with a replacement; terminating it again, or an unknown
// id, is no error; a missing group is ErrNotFound.
func TestTerminateInstances(t *testing.T) {
	w := seed(t)
	d := newDriver(t, nil)
	ctx := t.Context()
	g, err := d.CreateServerGroup(ctx, w.spec("term", 1, w.artifact("1.0")))
	if err != nil {
		t.Fatal(err)
	}
	if len(g.Instances) != g.Capacity.Desired {
		t.Fatalf("created with %d instances, want %d", len(g.Instances), g.Capacity.Desired)
	}
	victim := g.Instances[0].ID
	if err := d.TerminateInstances(ctx, g.Ref(), []string{victim}); err != nil {
		t.Fatalf("TerminateInstances: %v", err)
	}
	after, err := d.ServerGroup(ctx, g.Ref())
	if err != nil {
		t.Fatal(err)
	}
	var live []string
	for _, in := range after.Instances {
		if in.ID == victim && in.Health != providers.Draining {
			t.Errorf("terminated instance %s is still in the group, %s", victim, in.Health)
		}
		if in.ID != victim {
			live = append(live, in.ID)
		}
	}
	if len(live) != g.Capacity.Desired {
		t.Errorf("group has %d instances besides the terminated one (%v), want %d", len(live), live, g.Capacity.Desired)
	}
	if after.Capacity != g.Capacity {
		t.Errorf("capacity = %+v, want %+v unchanged", after.Capacity, g.Capacity)
	}
	out, err := w.ec2.DescribeInstances(ctx, &ec2.DescribeInstancesInput{InstanceIds: []string{victim}})
	if err != nil {
		t.Fatal(err)
	}
	if st := out.Reservations[0].Instances[0].State.Name; !slices.Contains([]ec2types.InstanceStateName{ec2types.InstanceStateNameShuttingDown, ec2types.InstanceStateNameTerminated}, st) {
		t.Errorf("EC2 state of %s = %s, want shutting-down or terminated", victim, st)
	}

	if err := d.TerminateInstances(ctx, g.Ref(), []string{victim, "i-0123456789abcdef0"}); err != nil {
		t.Errorf("TerminateInstances again and of an unknown id: %v, want nil", err)
	}
	again, err := d.ServerGroup(ctx, g.Ref())
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range live {
		if !slices.ContainsFunc(again.Instances, func(in providers.Instance) bool { return in.ID == id }) {
			t.Errorf("instance %s was terminated by a call that did not name it", id)
		}
	}

	missing := g.Ref()
	missing.Name = "term-test-v999"
	if err := d.TerminateInstances(ctx, missing, []string{victim}); !errors.Is(err, providers.ErrNotFound) {
		t.Errorf("TerminateInstances(missing group) error = %v, want ErrNotFound", err)
	}
}
