package providers

// Capacity is a server group's size, as in an auto-scaling group: the
// driver keeps Desired instances running and never fewer than Min nor more
// than Max.
type Capacity struct {
	Min     int `json:"min" yaml:"min"`
	Desired int `json:"desired" yaml:"desired"`
	Max     int `json:"max" yaml:"max"`
}

// Fixed returns a Capacity with Min, Desired and Max all n.
func Fixed(n int) Capacity { return Capacity{Min: n, Desired: n, Max: n} }

// Validate returns an ErrInvalidSpec error unless 0 ≤ Min ≤ Desired ≤ Max.
// An all-zero capacity is valid: a server group scaled to nothing.
func (c Capacity) Validate() error {
	if c.Min < 0 || c.Min > c.Desired || c.Desired > c.Max {
		return Errorf(CodeInvalidSpec, "validating capacity: want 0 ≤ min ≤ desired ≤ max, got min=%d desired=%d max=%d", c.Min, c.Desired, c.Max)
	}
	return nil
}
