package resolvers_test

import (
	"context"
	"encoding/base64"
	"testing"

	"github.com/gennaker/gennaker/client/clienttest"
	"github.com/gennaker/gennaker/providers"
)

func b64raw(s string) ([]byte, error) { return base64.RawURLEncoding.DecodeString(s) }

// localWeb starts the whole stack on dialect with a `local` account of its own and an
// application "web"; the test's server groups of web are destroyed at its end.
func localWeb(t *testing.T, dialect string) (providers.Provider, *clienttest.Stack) {
	t.Helper()
	ctx := context.Background()
	reg, err := providers.NewRegistry(ctx, []providers.Account{{Name: "local", Kind: "local", Regions: []string{"local"}}}, providers.Host{StateDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	prov, _ := reg.Provider("local")
	t.Cleanup(func() {
		gs, _ := prov.ServerGroups(ctx, "local", "web")
		for _, g := range gs {
			_ = prov.DestroyServerGroup(ctx, g.Ref())
		}
		_ = reg.Close()
	})
	stack := clienttest.StartWith(t, clienttest.Options{Dialect: dialect, Providers: reg})
	if err := stack.Client().Do(ctx, `mutation { createApplication(input: {name: "web", ownerEmail: "o@x.io"}) { application { id } } }`, nil, nil); err != nil {
		t.Fatal(err)
	}
	return prov, stack
}
