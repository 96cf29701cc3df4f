package pipeline

import (
	"fmt"
	"reflect"
	"strings"
)

// isExpr reports whether v is a string holding a `${...}` template: such a
// value is type-checked when evaluated, not when saved.
func isExpr(v any) bool {
	s, ok := v.(string)
	return ok && strings.Contains(s, "${")
}

// isAbsent reports whether a value counts as not given for a required field:
// null, a blank string, an empty list or an empty object.
func isAbsent(v any) bool {
	switch x := v.(type) {
	case nil:
		return true
	case string:
		return strings.TrimSpace(x) == ""
	case map[string]any:
		return len(x) == 0
	}
	if l, ok := asList(v); ok {
		return len(l) == 0
	}
	return false
}

// asList returns v's elements when v is a slice or array of anything.
func asList(v any) ([]any, bool) {
	if l, ok := v.([]any); ok {
		return l, true
	}
	rv := reflect.ValueOf(v)
	if !rv.IsValid() || (rv.Kind() != reflect.Slice && rv.Kind() != reflect.Array) {
		return nil, false
	}
	out := make([]any, rv.Len())
	for i := range out {
		out[i] = rv.Index(i).Interface()
	}
	return out, true
}

func asObject(v any) (map[string]any, bool) {
	m, ok := v.(map[string]any)
	return m, ok
}

// checkFields runs the per-field checks of t on cfg, then t's own rules.
func checkFields(t StageType, cfg map[string]any, path string, ps *problems) {
	for _, f := range t.Fields {
		v, present := cfg[f.Name]
		fp := path + "." + f.Name
		if !present || isAbsent(v) {
			if f.Required {
				ps.add(fp, CodeMissingField, "%s is required for a %s stage (%s)", f.Name, t.Name, f.Doc)
			}
			continue
		}
		checkKind(f, v, fp, ps)
	}
	if t.check != nil {
		t.check(cfg, path, ps)
	}
}

// checkKind checks one present value against its field's kind, enum and bounds.
func checkKind(f Field, v any, path string, ps *problems) {
	if isExpr(v) {
		return
	}
	bad := func(want string) {
		ps.add(path, CodeInvalidField, "%s must be %s, got %s", f.Name, want, describe(v))
	}
	var n int64
	switch f.Kind {
	case KindString:
		s, ok := v.(string)
		if !ok {
			bad("a string")
			return
		}
		if len(f.Enum) > 0 && !contains(f.Enum, s) {
			ps.add(path, CodeInvalidField, "%s must be one of %s, got %q", f.Name, quoteList(f.Enum), s)
		}
		return
	case KindBool:
		if _, ok := asBool(v); !ok {
			bad("true or false")
		}
		return
	case KindObject:
		if _, ok := asObject(v); !ok {
			bad("an object")
		}
		return
	case KindList:
		if _, ok := asList(v); !ok {
			bad("a list")
		}
		return
	case KindAny:
		return
	case KindInt:
		i, ok := asInt(v)
		if !ok {
			bad("a whole number")
			return
		}
		n = i
	case KindDuration:
		d, ok := asDuration(v)
		if !ok {
			bad("a number of seconds or a duration such as \"90s\"")
			return
		}
		n = int64(d.Seconds())
	}
	if f.Min != nil && n < int64(*f.Min) {
		ps.add(path, CodeInvalidField, "%s must be at least %d, got %d", f.Name, *f.Min, n)
	}
	if f.Max != nil && n > int64(*f.Max) {
		ps.add(path, CodeInvalidField, "%s must be at most %d, got %d", f.Name, *f.Max, n)
	}
}

// describe names a value's JSON kind for messages.
func describe(v any) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case string:
		return fmt.Sprintf("%q", x)
	case bool:
		return fmt.Sprintf("%t", x)
	case map[string]any:
		return "an object"
	}
	if _, ok := asList(v); ok {
		return "a list"
	}
	return fmt.Sprintf("%v", v)
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func quoteList(list []string) string {
	q := make([]string, len(list))
	for i, s := range list {
		q[i] = fmt.Sprintf("%q", s)
	}
	return strings.Join(q, ", ")
}

// checkBareExpression compiles an expression field that may be written with
// or without `${ }`; templated ones are already checked by checkExpressions.
func checkBareExpression(v any, path string, ps *problems) {
	s, ok := v.(string)
	if !ok || isExpr(s) || strings.TrimSpace(s) == "" {
		return
	}
	if err := CompileCheck(s); err != nil {
		ps.add(path, CodeInvalidExpression, "%v", err)
	}
}

// checkExpressions compiles every `${...}` string found anywhere in v.
func checkExpressions(v any, path string, ps *problems) {
	switch x := v.(type) {
	case string:
		if isExpr(x) {
			if err := CompileCheck(x); err != nil {
				ps.add(path, CodeInvalidExpression, "%v", err)
			}
		}
	case map[string]any:
		for _, k := range sortedKeys(x) {
			checkExpressions(x[k], path+"."+k, ps)
		}
	default:
		if l, ok := asList(v); ok {
			for i, e := range l {
				checkExpressions(e, fmt.Sprintf("%s[%d]", path, i), ps)
			}
		}
	}
}

// checkCapacity checks a {min, desired, max} object.
func checkCapacity(v any, path string, ps *problems) {
	m, ok := asObject(v)
	if !ok {
		return // the kind check reported it
	}
	vals := map[string]int64{}
	for _, k := range []string{"min", "desired", "max"} {
		x, present := m[k]
		switch {
		case !present || x == nil:
			ps.add(path+"."+k, CodeMissingField, "capacity.%s is required", k)
		case isExpr(x):
		default:
			n, ok := asInt(x)
			if !ok || n < 0 {
				ps.add(path+"."+k, CodeInvalidField, "capacity.%s must be a whole number ≥ 0, got %s", k, describe(x))
				continue
			}
			vals[k] = n
		}
	}
	lo, okLo := vals["min"]
	d, okD := vals["desired"]
	hi, okHi := vals["max"]
	if okLo && okHi && lo > hi {
		ps.add(path, CodeInvalidField, "capacity min %d is above max %d", lo, hi)
	} else if okLo && okD && okHi && (d < lo || d > hi) {
		ps.add(path+".desired", CodeInvalidField, "capacity desired %d must be between min %d and max %d", d, lo, hi)
	}
}
