package local

import (
	"testing"

	"github.com/gennaker/gennaker/providers/providertest"
)

func TestConformance(t *testing.T) {
	d := newDriver(t, t.TempDir())
	providertest.Run(t, providertest.Harness{
		Provider:     d,
		Account:      testAccount,
		Region:       "local",
		Artifact:     hello("v1"),
		LoadBalancer: "conformance",
	})
}

func TestConformanceWithoutLoadBalancer(t *testing.T) {
	d := newDriver(t, t.TempDir())
	providertest.Run(t, providertest.Harness{
		Provider: d,
		Account:  testAccount,
		Region:   "local",
		Artifact: hello("v1"),
	})
}
