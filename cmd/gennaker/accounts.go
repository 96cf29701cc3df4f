package main

import (
	"fmt"
	"os"

	"gopkg.in/yaml.v3"

	"github.com/gennaker/gennaker/store"
)

// accountFile is the accounts YAML file: deploy targets and how to reach them.
//
//	accounts:
//	  - name: local
//	    provider: local
//	    environment: test
//	    regions: [local]
type accountFile struct {
	Accounts []accountEntry `yaml:"accounts"`
}

type accountEntry struct {
	Name        string         `yaml:"name"`
	Provider    string         `yaml:"provider"`
	Environment string         `yaml:"environment"`
	Regions     []string       `yaml:"regions"`
	Settings    map[string]any `yaml:",inline"`
}

// localAccount is built into `gennaker up`.
var localAccount = accountEntry{Name: "local", Provider: "local", Environment: "test", Regions: []string{"local"}}

// loadAccounts reads the accounts file (none is fine) and adds the built-in local account
// when withLocal and the file does not name one.
func loadAccounts(path string, withLocal bool) ([]accountEntry, error) {
	var f accountFile
	if path != "" {
		b, err := os.ReadFile(path)
		if err != nil {
			return nil, fmt.Errorf("reading accounts: %w", err)
		}
		if err := yaml.Unmarshal(b, &f); err != nil {
			return nil, fmt.Errorf("parsing accounts %s: %w", path, err)
		}
	}
	seen := map[string]bool{}
	for i, a := range f.Accounts {
		if a.Name == "" || a.Provider == "" {
			return nil, fmt.Errorf("parsing accounts %s: account %d needs a name and a provider", path, i)
		}
		if seen[a.Name] {
			return nil, fmt.Errorf("parsing accounts %s: account %q is named twice", path, a.Name)
		}
		seen[a.Name] = true
		if len(a.Regions) == 0 {
			return nil, fmt.Errorf("parsing accounts %s: account %q names no regions", path, a.Name)
		}
	}
	if withLocal && !seen[localAccount.Name] {
		f.Accounts = append(f.Accounts, localAccount)
	}
	return f.Accounts, nil
}

// storeAccounts is what the database keeps of the accounts: never their settings, which
// may hold credentials.
func storeAccounts(as []accountEntry) []store.Account {
	out := make([]store.Account, 0, len(as))
	for _, a := range as {
		out = append(out, store.Account{Name: a.Name, Provider: a.Provider, Environment: a.Environment, Regions: a.Regions})
	}
	return out
}
