package pipeline

import (
	"sort"
	"strings"
)

// ResolveParameters returns the values an execution runs with: every declared
// parameter, with given values first and defaults for the others. It refuses
// a required parameter left empty (MISSING_PARAMETER), a value outside a
// parameter's options (INVALID_PARAMETER_VALUE) and a value for a name no
// parameter declares (UNKNOWN_PARAMETER), listing all of them in one
// *ValidationError with paths `parameters.<name>`, sorted by path.
//
// An empty value counts as not given, as Deck sends "" for untouched fields:
// the default applies. A parameter that is neither given nor defaulted and
// not required resolves to "".
func ResolveParameters(defs []Parameter, given map[string]string) (map[string]string, error) {
	var ps problems
	out := make(map[string]string, len(defs))
	declared := map[string]bool{}
	for _, p := range defs {
		name := strings.TrimSpace(p.Name)
		if name == "" || declared[name] {
			continue // Validate reports these; the first declaration wins
		}
		declared[name] = true
		v := given[name]
		if v == "" {
			v = p.Default
		}
		path := "parameters." + name
		switch {
		case v == "" && p.Required:
			ps.add(path, CodeMissingParameter, "parameter %q is required", label(p))
		case v != "" && len(p.Options) > 0 && !contains(p.Options, v):
			ps.add(path, CodeInvalidParamValue, "parameter %q must be one of %s, got %q", label(p), quoteList(p.Options), v)
		}
		out[name] = v
	}
	for name := range given {
		if !declared[name] {
			ps.add("parameters."+name, CodeUnknownParameter, "this pipeline has no parameter %q", name)
		}
	}
	sort.SliceStable(ps, func(i, j int) bool { return ps[i].Path < ps[j].Path })
	if err := ps.err(); err != nil {
		return nil, err
	}
	return out, nil
}

// label is how a person knows the parameter: its label, else its name.
func label(p Parameter) string {
	if p.Label != "" {
		return p.Label
	}
	return p.Name
}
