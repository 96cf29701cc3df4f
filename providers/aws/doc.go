// Package aws is the Gennaker driver for Amazon EC2: a server group is an
// Auto Scaling group launched from a launch template, and a load balancer
// is an ELBv2 (application) load balancer whose listeners split traffic
// between server groups with weighted forward actions.
//
// # Accounts
//
// An account of kind "aws" names its credentials in its settings (see
// Settings): the SDK's default chain, a shared-config profile, and/or an
// IAM role to assume with an optional external id; an optional endpoint
// override (emulators, private endpoints); the standard retryer's
// maxAttempts and maxBackoff. No secret is ever written in the accounts
// file, logged, or returned: the API shows an account's name, kind,
// environment and regions only.
//
// # Deploy
//
// CreateServerGroup follows Clouddriver: DescribeImages (the artifact's
// reference, an AMI id or name) → DescribeSubnets (by the purpose tag,
// gennaker:purpose=<subnetPurpose>, or explicit subnetIds) →
// DescribeSecurityGroups (by name in the subnets' VPC) →
// DescribeLoadBalancers → CreateTargetGroup (one per load balancer and
// server group, shaped like the listener's original target group) →
// CreateLaunchTemplate (AMI, instance type, key pair, instance profile,
// user data, tags) → CreateAutoScalingGroup app-stack-detail-vNNN
// (capacity, subnets, target groups unless disabled, health check type and
// grace period, tags propagated to instances) → SuspendProcesses (Launch,
// Terminate, AddToLoadBalancer) when created disabled → ModifyListener (the
// new target group joins the weighted forward). Launch settings come from
// the account's defaults, overridden key by key by the artifact's metadata
// (LaunchSettings).
//
// # Traffic
//
// The driver owns the default action of each forwarding listener of a load
// balancer: a weighted forward across the target groups of its server
// groups. A group's weight (SetWeights, default 100, kept as a tag of its
// target group) applies while the group is enabled and has a healthy target;
// otherwise it is 0, so a group never gets traffic before it can serve it.
// The target group the listener forwarded to before Gennaker stays in the
// action as a fallback, at 1 only when no group takes traffic. Disable
// suspends the processes, detaches and deregisters, forgets the group's
// weight (enabled again, it serves at the default) and waits for draining;
// enable resumes, attaches, registers instances left out, waits for healthy
// targets, then weighs.
//
// # Safety
//
// Every method can be repeated: an Auto Scaling group found with the same
// spec digest is adopted (and finished when a crash cut its creation
// short), with another is ErrConflict; a launch template left by a failed
// creation is reused or replaced; a refused Auto Scaling group has its
// launch template and target groups deleted. AWS errors carry their code
// and message; those that say the request is wrong are ErrInvalidSpec.
//
// Tests run against moto (providers/aws/awstest, scripts/moto.sh).
package aws
