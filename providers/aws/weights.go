package aws

// member is a target group in a listener's weighted forward action, as the
// listener sync sees it.
type member struct {
	arn string
	// group is the server group the target group belongs to; empty for a
	// target group Gennaker did not create (the listener's original one).
	group string
	// weight is the group's configured weight (tagWeight, default 100).
	weight int
	// enabled: the group exists and is not disabled.
	enabled bool
	// healthy counts the group's healthy targets.
	healthy int
	// gone: the target group, or its server group, no longer exists; it
	// leaves the action.
	gone bool
}

// forwardWeights decides each target group's weight in the forward action.
//
// A server group's target group gets its configured weight while the group
// is enabled and has at least one healthy target, 0 otherwise: ELBv2 sends a
// weighted target group its share even when no target can answer, so a new
// group must not get traffic before it has a healthy instance. A target
// group Gennaker did not create (the one the listener forwarded to before
// Gennaker managed it) is a fallback: weight 1 while no server group takes
// traffic, 0 otherwise. A gone target group leaves the action: a listener
// write that raced with a destroy is repaired by the next sync.
func forwardWeights(ms []member) map[string]int {
	out := make(map[string]int, len(ms))
	total := 0
	for _, m := range ms {
		if m.group == "" || m.gone {
			continue
		}
		w := 0
		if m.enabled && m.healthy > 0 {
			w = min(max(m.weight, 0), maxWeight)
		}
		out[m.arn] = w
		total += w
	}
	for _, m := range ms {
		if m.group == "" && !m.gone {
			out[m.arn] = 0
			if total == 0 {
				out[m.arn] = 1
			}
		}
	}
	return out
}
