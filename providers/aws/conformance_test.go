package aws

import (
	"testing"
	"time"

	"github.com/gennaker/gennaker/providers/providertest"
)

func TestConformance(t *testing.T) {
	w := seed(t)
	providertest.Run(t, providertest.Harness{
		Provider: newDriver(t, nil), Account: testAccount, Region: testRegion,
		Artifact: w.artifact("1.0"), LoadBalancer: "conformance",
		Timeout: 30 * time.Second, Poll: 50 * time.Millisecond,
	})
	// Gennaker's target groups are gone; the listener forwards to its
	// original target group again.
	if got := w.listenerWeights(t); len(got) != 1 || got["conformance-default"] != 1 {
		t.Errorf("listener after the suite = %v, want only conformance-default at 1", got)
	}
}

func TestConformanceWithoutLoadBalancer(t *testing.T) {
	w := seed(t)
	providertest.Run(t, providertest.Harness{
		Provider: newDriver(t, nil), Account: testAccount, Region: testRegion,
		Artifact: w.artifact("1.0"), Timeout: 30 * time.Second, Poll: 50 * time.Millisecond,
	})
}
