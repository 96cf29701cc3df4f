package aws

import (
	"fmt"
	"strings"

	astypes "github.com/aws/aws-sdk-go-v2/service/autoscaling/types"
	elbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"

	"github.com/gennaker/gennaker/providers"
)

// targetState is one instance's health in one target group.
type targetState struct {
	state       elbtypes.TargetHealthStateEnum
	reason      string
	description string
}

// instanceHealth maps what Auto Scaling and ELBv2 say of an instance to
// Spinnaker's health states. targets holds its health in each target group
// its group is attached to (none when the group is disabled or has no load
// balancer); inLB says whether the group has load balancers at all.
func instanceHealth(in astypes.Instance, enabled, inLB bool, targets []targetState) (providers.HealthState, string) {
	state := string(in.LifecycleState)
	switch {
	case strings.HasPrefix(state, "Pending"), strings.HasPrefix(state, "Warmed"):
		return providers.Starting, "lifecycle " + state
	case strings.HasPrefix(state, "Terminat"), strings.HasPrefix(state, "Detach"):
		return providers.Draining, "lifecycle " + state
	case strings.Contains(state, "Standby"):
		return providers.OutOfService, "lifecycle " + state
	case state != string(astypes.LifecycleStateInService):
		return providers.Unknown, "lifecycle " + state
	}
	if in.HealthStatus != nil && strings.EqualFold(*in.HealthStatus, "Unhealthy") {
		return providers.Down, "Auto Scaling marked it unhealthy"
	}
	for _, t := range targets {
		if t.state == elbtypes.TargetHealthStateEnumDraining || t.state == elbtypes.TargetHealthStateEnumUnhealthyDraining {
			return providers.Draining, detail(t)
		}
	}
	if !enabled {
		return providers.OutOfService, "server group disabled"
	}
	if !inLB {
		return providers.Up, ""
	}
	if len(targets) == 0 {
		return providers.Starting, "not registered in a target group yet"
	}
	worst, why := providers.Up, ""
	for _, t := range targets {
		switch t.state {
		case elbtypes.TargetHealthStateEnumHealthy:
		case elbtypes.TargetHealthStateEnumUnhealthy:
			return providers.Down, detail(t)
		case elbtypes.TargetHealthStateEnumInitial, elbtypes.TargetHealthStateEnumUnused:
			worst, why = providers.Starting, detail(t)
		default:
			if worst == providers.Up {
				worst, why = providers.Unknown, detail(t)
			}
		}
	}
	return worst, why
}

func detail(t targetState) string {
	switch {
	case t.description != "" && t.reason != "":
		return fmt.Sprintf("target %s: %s (%s)", t.state, t.description, t.reason)
	case t.description != "":
		return fmt.Sprintf("target %s: %s", t.state, t.description)
	}
	return fmt.Sprintf("target %s", t.state)
}
