package resolvers

import (
	"context"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
)

// Dataloaders batch the keys that arrive within a short window, which depends on how fast
// the resolvers of a list run. To make the cluster view cost a fixed number of statements
// whatever the counts, the resolver at the top of the chain looks at the selection and
// loads each level for every parent at once, priming the loaders the lower resolvers use.

// child returns the selection of field name under sel (through fragments), or nil.
func child(ctx context.Context, sel ast.SelectionSet, name string) ast.SelectionSet {
	if sel == nil {
		return nil
	}
	for _, f := range graphql.CollectFields(graphql.GetOperationContext(ctx), sel, nil) {
		if f.Name == name {
			return f.Selections
		}
	}
	return nil
}

// path follows names down the selection; nil when any is not selected.
func path(ctx context.Context, sel ast.SelectionSet, names ...string) ast.SelectionSet {
	for _, n := range names {
		if sel = child(ctx, sel, n); sel == nil {
			return nil
		}
	}
	return sel
}

func selected(ctx context.Context, sel ast.SelectionSet, name string) bool {
	for _, f := range graphql.CollectFields(graphql.GetOperationContext(ctx), sel, nil) {
		if f.Name == name {
			return true
		}
	}
	return false
}

// prefetchClusters loads, for these applications, their clusters, and when the selection
// (of a clusters connection) asks for them, the server groups and instances below.
func (r *Resolver) prefetchClusters(ctx context.Context, appIDs []string, clustersSel ast.SelectionSet) error {
	l := r.loaders(ctx)
	lists, err := l.clustersByApp.LoadAll(ctx, appIDs)
	if err != nil {
		return err
	}
	groupsSel := path(ctx, clustersSel, "edges", "node", "serverGroups")
	if groupsSel == nil {
		return nil
	}
	var clusterIDs []string
	for _, cs := range lists {
		for _, c := range cs {
			clusterIDs = append(clusterIDs, c.ID)
			l.cluster.Prime(c.ID, c)
		}
	}
	groupLists, err := l.groupsByCluster.LoadAll(ctx, clusterIDs)
	if err != nil {
		return err
	}
	node := path(ctx, groupsSel, "edges", "node")
	if !selected(ctx, node, "instances") && !selected(ctx, node, "instanceCounts") {
		return nil
	}
	var groupIDs []string
	for _, gs := range groupLists {
		for _, g := range gs {
			groupIDs = append(groupIDs, g.ID)
		}
	}
	_, err = l.instancesBySG.LoadAll(ctx, groupIDs)
	return err
}

// fieldSelection is the selection set of the field being resolved.
func fieldSelection(ctx context.Context) ast.SelectionSet {
	if fc := graphql.GetFieldContext(ctx); fc != nil {
		return fc.Field.Selections
	}
	return nil
}

// connectionArgs are the arguments of one selection of a connection field.
type connectionArgs struct {
	first *int
	after *string
	args  map[string]any
}

// selectedConnections lists the arguments of each selection of the connection field name
// under sel. A selection whose first is not an int is left out: its resolver reports it.
func selectedConnections(ctx context.Context, sel ast.SelectionSet, name string) []connectionArgs {
	oc := graphql.GetOperationContext(ctx)
	var out []connectionArgs
	for _, f := range graphql.CollectFields(oc, sel, nil) {
		if f.Name != name {
			continue
		}
		c := connectionArgs{args: f.ArgumentMap(oc.Variables)}
		if v, ok := c.args["first"]; ok && v != nil {
			n, err := graphql.UnmarshalInt(v)
			if err != nil {
				continue
			}
			c.first = &n
		}
		if v, ok := c.args["after"].(string); ok {
			c.after = &v
		}
		out = append(out, c)
	}
	return out
}
