// Package providers is the contract between Gennaker's engine and the
// clouds it deploys to.
//
// A Provider reads the world for an application (server groups, their
// instances, load balancers) and changes it (create, resize, enable, disable,
// destroy a server group). Deploy strategies — red/black, highlander, rolling
// red/black, canary — are written once in the engine on top of that
// interface; a driver never implements a strategy.
//
// Capabilities beyond the core are small separate interfaces found by type
// assertion: TrafficSplitter, LoadBalancerManager, InstanceTerminator and
// Watcher.
//
//	if ts, ok := p.(providers.TrafficSplitter); ok {
//		err = ts.SetWeights(ctx, account, region, lb, map[string]int{baseline: 90, canary: 10})
//	}
//
// Every method takes a context first and is idempotent: the engine consumes
// commands at least once, so a redelivered command calls a method again with
// the same arguments and must get the same outcome without a second side
// effect. Errors carry a Code and match the sentinels of this package with
// errors.Is.
//
// Drivers live in their own packages (providers/local, providers/aws) and
// register their kind with RegisterKind from an init function; a Registry
// builds one Provider per configured Account. Every driver passes the
// conformance suite in providers/providertest.
package providers
