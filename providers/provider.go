package providers

import "context"

// Provider is the contract deploy strategies are written against: read the
// world for an application, and create, resize, enable, disable and destroy
// server groups.
//
// Every method takes a context first, honours its cancellation and deadline,
// and is idempotent: calling it again with the same arguments after a
// success returns the same outcome without a second side effect. Errors
// match this package's sentinels with errors.Is: ErrAccountUnknown for an
// account the provider does not serve, ErrInvalidSpec for a request that can
// never succeed, ErrNotFound for a missing object where its absence matters.
// Any other error is transient from the caller's point of view (a cloud API
// failing) and the call may be retried.
//
// Methods that change the world return once the change is accepted, not once
// it has converged: callers poll ServerGroup to wait for instances to be Up.
// DisableServerGroup is the exception; see its comment.
type Provider interface {
	// ServerGroups returns every server group of app (by moniker) in the
	// account, across its regions, sorted by region then name. No group is
	// not an error: it returns an empty slice.
	ServerGroups(ctx context.Context, account, app string) ([]ServerGroup, error)

	// ServerGroup returns one server group, or an ErrNotFound error.
	ServerGroup(ctx context.Context, ref ServerGroupRef) (ServerGroup, error)

	// LoadBalancers returns the load balancers of app in the account: those
	// whose name is app or starts with "app-", and those an app's server
	// group is attached to; sorted by region then name.
	LoadBalancers(ctx context.Context, account, app string) ([]LoadBalancer, error)

	// CreateServerGroup creates the server group spec.Moniker.Name() and
	// starts launching spec.Capacity.Desired instances; it returns without
	// waiting for them. The group takes traffic from spec.LoadBalancers as
	// its instances become healthy, unless spec.Disabled.
	//
	// It is idempotent by name: when the group exists with the same artifact
	// it returns the existing group unchanged (even if it was resized since);
	// with a different artifact it returns an ErrConflict error. An invalid
	// moniker, capacity, region or artifact is an ErrInvalidSpec error; an
	// artifact type the driver does not run is ErrUnsupported.
	CreateServerGroup(ctx context.Context, spec ServerGroupSpec) (ServerGroup, error)

	// ResizeServerGroup sets the group's capacity; the driver then launches or
	// terminates instances to reach Desired. It returns an ErrNotFound error
	// for a missing group and an ErrInvalidSpec error for an invalid capacity.
	ResizeServerGroup(ctx context.Context, ref ServerGroupRef, capacity Capacity) error

	// EnableServerGroup puts the group in service: its healthy instances
	// receive traffic from its load balancers, at its weight on each when the
	// provider is a TrafficSplitter (DefaultWeight unless set since the group
	// was last disabled). Enabling an enabled group does nothing. It returns
	// an ErrNotFound error for a missing group.
	EnableServerGroup(ctx context.Context, ref ServerGroupRef) error

	// DisableServerGroup takes the group out of service: its load balancers
	// stop sending it new requests at once. It returns when requests in flight
	// to the group have finished (draining), or when the driver's drain
	// timeout or ctx ends first; a drain cut short by the timeout is not an
	// error, by ctx it returns ctx.Err(). Instances keep running, so the group
	// can be enabled again (rollback). A TrafficSplitter forgets the group's
	// weights: enabled again, it takes traffic at DefaultWeight, not at the
	// weight a traffic shift left it (often 0 after a rolling deploy).
	// Disabling a disabled group does nothing. It returns an ErrNotFound error
	// for a missing group.
	DisableServerGroup(ctx context.Context, ref ServerGroupRef) error

	// DestroyServerGroup detaches the group from its load balancers,
	// terminates its instances and deletes it. Destroying a missing group is
	// not an error. Drivers that can wait for the instances to end do so
	// within ctx.
	DestroyServerGroup(ctx context.Context, ref ServerGroupRef) error
}

// DefaultWeight is a server group's weight on a load balancer when it is
// attached, and again after it is disabled (see TrafficSplitter).
const DefaultWeight = 100

// TrafficSplitter is implemented by providers whose load balancers split
// traffic between server groups by weight (canary, gradual shift).
type TrafficSplitter interface {
	// SetWeights sets the relative weight of each named server group attached
	// to the load balancer; groups not named keep theirs. A group's weight is
	// DefaultWeight when it is attached; a weight of 0 keeps an enabled group
	// out of new requests. Only enabled groups receive traffic, in proportion
	// to their weights among the enabled groups. DisableServerGroup resets a
	// group's weights to DefaultWeight, so that enabling it again (rollback)
	// puts it back in service; a weight set while the group is disabled is
	// the one it takes traffic at once enabled. It returns an ErrNotFound error
	// when the load balancer is missing or a named group is not attached to
	// it, and an ErrInvalidSpec error for a negative weight; on error no
	// weight is changed.
	SetWeights(ctx context.Context, account, region, loadBalancer string, weights map[string]int) error
}

// LoadBalancerManager is implemented by providers that create and delete
// load balancers themselves.
type LoadBalancerManager interface {
	// UpsertLoadBalancer creates the load balancer or updates it to spec and
	// returns it. It returns an ErrInvalidSpec error for an invalid name,
	// region or address.
	UpsertLoadBalancer(ctx context.Context, spec LoadBalancerSpec) (LoadBalancer, error)
	// DeleteLoadBalancer deletes a load balancer no server group is attached
	// to. Deleting a missing one is not an error; deleting one still in use
	// is an ErrConflict error.
	DeleteLoadBalancer(ctx context.Context, account, region, name string) error
}

// InstanceTerminator is implemented by providers that can terminate single
// instances of a server group.
type InstanceTerminator interface {
	// TerminateInstances terminates the named instances; the server group
	// then replaces them to stay at its desired capacity. Ids that are not
	// (or no longer) in the group are ignored. It returns an ErrNotFound error
	// for a missing group.
	TerminateInstances(ctx context.Context, ref ServerGroupRef, instanceIDs []string) error
}

// Watcher is implemented by providers that notify changes as they happen, so
// that the caching agent refreshes at once instead of at its next poll.
type Watcher interface {
	// Watch returns a channel of changes that is closed when ctx ends.
	// Notifications are hints, not a log: a slow reader misses some, and the
	// reader then reads the world with ServerGroups.
	Watch(ctx context.Context) <-chan Change
}

// Change says that something about a server group or load balancer changed.
type Change struct {
	Account string
	Region  string
	// ServerGroup or LoadBalancer names what changed; one is set.
	ServerGroup  string
	LoadBalancer string
}
