package main

import (
	"fmt"
	"os"

	"github.com/gennaker/gennaker/providers"
	_ "github.com/gennaker/gennaker/providers/aws"   // registers the "aws" kind
	_ "github.com/gennaker/gennaker/providers/local" // registers the "local" kind
	"github.com/gennaker/gennaker/store"
)

// localAccount is built into `gennaker up`.
var localAccount = providers.Account{Name: "local", Kind: "local", Environment: "test", Regions: []string{"local"}}

// loadAccounts reads the accounts file (none is fine: see docs/configuration.md) and adds the
// built-in local account when withLocal and the file does not name one.
func loadAccounts(path string, withLocal bool) ([]providers.Account, error) {
	var accounts []providers.Account
	if path != "" {
		f, err := os.Open(path)
		if err != nil {
			return nil, fmt.Errorf("reading accounts: %w", err)
		}
		defer f.Close()
		if accounts, err = providers.ParseAccounts(f); err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
	}
	has := false
	for _, a := range accounts {
		if len(a.Regions) == 0 {
			return nil, fmt.Errorf("%s: account %q names no regions", path, a.Name)
		}
		has = has || a.Name == localAccount.Name
	}
	if withLocal && !has {
		accounts = append(accounts, localAccount)
	}
	return accounts, nil
}

// storeAccounts is what the database keeps of the accounts: never their settings, which
// may hold credentials.
func storeAccounts(as []providers.Account) []store.Account {
	out := make([]store.Account, 0, len(as))
	for _, a := range as {
		out = append(out, store.Account{Name: a.Name, Provider: a.Kind, Environment: a.Environment, Regions: a.Regions})
	}
	return out
}
