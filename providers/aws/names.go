package aws

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"regexp"
	"slices"
	"strings"

	"github.com/gennaker/gennaker/providers"
)

// Tags the driver writes on Auto Scaling groups (propagated to instances),
// launch templates and target groups. Everything it needs to read a server
// group back is in them.
const (
	tagApplication   = "gennaker:application"
	tagStack         = "gennaker:stack"
	tagDetail        = "gennaker:detail"
	tagCluster       = "gennaker:cluster"
	tagArtifactType  = "gennaker:artifact-type"
	tagArtifactRef   = "gennaker:artifact-reference"
	tagArtifactVer   = "gennaker:artifact-version"
	tagImage         = "gennaker:image"
	tagLoadBalancers = "gennaker:load-balancers"
	// tagSpec is a digest of what makes two creations the same: the
	// artifact, the launch settings and the load balancers.
	tagSpec = "gennaker:spec"
	// tagPhase is "creating" until every step of CreateServerGroup is done,
	// then "created": a redelivered create finishes a half-created group.
	tagPhase = "gennaker:phase"
	// On target groups: the server group and load balancer it joins, and the
	// weight SetWeights gave it.
	tagServerGroup  = "gennaker:server-group"
	tagLoadBalancer = "gennaker:load-balancer"
	tagWeight       = "gennaker:weight"
)

const (
	phaseCreating = "creating"
	phaseCreated  = "created"
)

// defaultWeight is a server group's weight on a load balancer until
// SetWeights changes it, and again once the group is disabled.
const defaultWeight = providers.DefaultWeight

// maxWeight is ELBv2's largest target group weight.
const maxWeight = 999

// specDigest returns the digest stored under tagSpec.
func specDigest(a providers.Artifact, ls LaunchSettings, lbs []string) string {
	lbs = slices.Sorted(slices.Values(lbs))
	b, _ := json.Marshal(struct {
		Type, Reference, Version string
		Launch                   LaunchSettings
		LoadBalancers            []string
	}{a.Type, a.Reference, a.Version, ls, lbs})
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:12])
}

var tgUnsafe = regexp.MustCompile(`[^a-zA-Z0-9-]+`)

// targetGroupName returns the name of the target group that joins server
// group to load balancer lb: at most 32 characters of [a-zA-Z0-9-], the
// group's name made safe and cut, then a digest of both names so that it is
// unique and found again from the names alone.
func targetGroupName(lb, group string) string {
	sum := sha256.Sum256([]byte(lb + "\x00" + group))
	suffix := hex.EncodeToString(sum[:4])
	base := strings.Trim(tgUnsafe.ReplaceAllString(group, "-"), "-")
	if len(base) > 32-1-len(suffix) {
		base = strings.TrimRight(base[:32-1-len(suffix)], "-")
	}
	if base == "" {
		return "gk-" + suffix
	}
	return base + "-" + suffix
}

// lbNames splits the tagLoadBalancers value.
func lbNames(v string) []string {
	if v == "" {
		return nil
	}
	return strings.Split(v, ",")
}

// groupState is the opaque record in providers.ServerGroup.State.
type groupState struct {
	Version        int               `json:"v"`
	LaunchTemplate string            `json:"launchTemplate,omitempty"`
	Image          string            `json:"image,omitempty"`
	TargetGroups   map[string]string `json:"targetGroups,omitempty"` // load balancer → ARN
}

const stateVersion = 1

func containsFold(s, sub string) bool {
	return strings.Contains(strings.ToLower(s), strings.ToLower(sub))
}

// TargetGroupName returns the name of the target group the driver creates
// to join server group group to load balancer lb (at most 32 characters of
// [a-zA-Z0-9-], stable for the pair).
func TargetGroupName(lb, group string) string { return targetGroupName(lb, group) }
