package providers

import (
	"bytes"
	"fmt"
	"io"
	"slices"

	"gopkg.in/yaml.v3"
)

// Account is a deploy target: one set of credentials of one provider Kind,
// with the regions it may deploy to and the environment it stands for.
type Account struct {
	// Name is unique across the platform ("local", "aws-prod").
	Name string `json:"name" yaml:"name"`
	// Kind selects the driver registered with RegisterKind ("local", "aws").
	Kind string `json:"kind" yaml:"kind"`
	// Regions the account deploys to; a driver may default it (local: ["local"]).
	Regions []string `json:"regions,omitempty" yaml:"regions,omitempty"`
	// Environment is a free label such as "test" or "prod"; guardrails use it.
	Environment string `json:"environment,omitempty" yaml:"environment,omitempty"`
	// Settings are the driver's own options, as written in the accounts file.
	Settings map[string]any `json:"settings,omitempty" yaml:"settings,omitempty"`
}

// HasRegion reports whether region is one of the account's regions.
func (a Account) HasRegion(region string) bool {
	return slices.Contains(a.Regions, region)
}

// accountsFile is the shape of the accounts YAML file.
type accountsFile struct {
	Accounts []Account `yaml:"accounts"`
}

// ParseAccounts reads an accounts YAML file:
//
//	accounts:
//	  - name: local
//	    kind: local
//	    regions: [local]
//	    environment: test
//	    settings:
//	      loadBalancers:
//	        hello: {address: "127.0.0.1:9000"}
//
// Unknown top-level keys are an error, so that a typo does not silently drop
// an account. It returns an ErrInvalidSpec error for a missing or duplicate
// name or a missing kind.
func ParseAccounts(r io.Reader) ([]Account, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("reading accounts: %w", err)
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	var f accountsFile
	if err := dec.Decode(&f); err != nil && err != io.EOF {
		return nil, Errorf(CodeInvalidSpec, "decoding accounts: %w", err)
	}
	seen := map[string]bool{}
	for i, a := range f.Accounts {
		switch {
		case a.Name == "":
			return nil, Errorf(CodeInvalidSpec, "decoding accounts: account %d has no name", i)
		case a.Kind == "":
			return nil, Errorf(CodeInvalidSpec, "decoding accounts: account %q has no kind", a.Name)
		case seen[a.Name]:
			return nil, Errorf(CodeInvalidSpec, "decoding accounts: account %q appears twice", a.Name)
		}
		seen[a.Name] = true
	}
	return f.Accounts, nil
}
