package pipeline

import (
	"container/list"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/vm"
)

// Env is what an expression can see.
//
//   - trigger, parameters, execution: the maps below;
//   - stage("name"): the first stage with that name, as a map with refId,
//     name, type, status, context and outputs; an unknown name fails;
//   - stageByRefId("1"): the same, by refId;
//   - judgment("name"): the manualJudgment stage's judgmentInput output (or
//     context), else its judgmentStatus;
//   - every key of every stage's Outputs at top level, as Spinnaker merges
//     them; a later stage in Stages wins. The names above win over outputs.
//
// Besides those, expr's built-in functions (len, upper, filter …) are
// available. The caller chooses Stages (typically the upstream stages that
// completed, in execution order).
type Env struct {
	Trigger    map[string]any
	Parameters map[string]any
	Execution  map[string]any
	Stages     []StageView
}

// StageView is one stage of the running execution as expressions see it.
type StageView struct {
	RefID, Name, Type, Status string
	Context, Outputs          map[string]any
}

func (s StageView) asMap() map[string]any {
	return map[string]any{
		"refId": s.RefID, "name": s.Name, "type": s.Type, "status": s.Status,
		"context": orEmpty(s.Context), "outputs": orEmpty(s.Outputs),
	}
}

func orEmpty(m map[string]any) map[string]any {
	if m == nil {
		return map[string]any{}
	}
	return m
}

// vars builds the variables an expression runs against. Nothing in it is
// written after it is built, so it may be shared by concurrent evaluations.
func (e Env) vars() map[string]any {
	v := map[string]any{}
	for _, s := range e.Stages {
		for k, x := range s.Outputs {
			v[k] = x
		}
	}
	find := func(what, key string, match func(StageView) bool) (StageView, error) {
		for _, s := range e.Stages {
			if match(s) {
				return s, nil
			}
		}
		return StageView{}, fmt.Errorf("no stage with %s %q", what, key)
	}
	v["trigger"] = orEmpty(e.Trigger)
	v["parameters"] = orEmpty(e.Parameters)
	v["execution"] = orEmpty(e.Execution)
	v["stage"] = func(name string) (any, error) {
		s, err := find("name", name, func(s StageView) bool { return s.Name == name })
		return s.asMap(), err
	}
	v["stageByRefId"] = func(ref string) (any, error) {
		s, err := find("refId", ref, func(s StageView) bool { return s.RefID == ref })
		return s.asMap(), err
	}
	v["judgment"] = func(name string) (any, error) {
		s, err := find("name", name, func(s StageView) bool { return s.Name == name && s.Type == "manualJudgment" })
		if err != nil {
			return nil, fmt.Errorf("no manualJudgment stage named %q", name)
		}
		for _, m := range []map[string]any{s.Outputs, s.Context} {
			if in, ok := m["judgmentInput"]; ok && in != nil && in != "" {
				return in, nil
			}
		}
		if st, ok := s.Context["judgmentStatus"]; ok {
			return st, nil
		}
		return s.Outputs["judgmentStatus"], nil
	}
	return v
}

// Evaluate returns v with every `${...}` template evaluated, walking maps
// (map[string]any), lists ([]any, []string) and strings; v itself is not
// changed. A string that is exactly one `${expr}` yields the expression's
// typed result; a string mixing text and templates yields text (nil renders
// as "", lists and maps as JSON). Other values come back unchanged.
//
// It stops at the first failure, visiting map keys in sorted order, and
// returns an *ExpressionError naming the expression and its path in v
// (e.g. `capacity.min`, `variables[2].value`).
func Evaluate(v any, env Env) (any, error) {
	return evaluate(v, "", env.vars())
}

func evaluate(v any, path string, vars map[string]any) (any, error) {
	switch x := v.(type) {
	case string:
		return evaluateString(x, path, vars)
	case map[string]any:
		out := make(map[string]any, len(x))
		for _, k := range sortedKeys(x) {
			r, err := evaluate(x[k], joinPath(path, k), vars)
			if err != nil {
				return nil, err
			}
			out[k] = r
		}
		return out, nil
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			r, err := evaluate(e, fmt.Sprintf("%s[%d]", path, i), vars)
			if err != nil {
				return nil, err
			}
			out[i] = r
		}
		return out, nil
	case []string:
		out := make([]any, len(x))
		for i, e := range x {
			r, err := evaluateString(e, fmt.Sprintf("%s[%d]", path, i), vars)
			if err != nil {
				return nil, err
			}
			out[i] = r
		}
		return out, nil
	}
	return v, nil
}

func joinPath(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func evaluateString(s, path string, vars map[string]any) (any, error) {
	if !strings.Contains(s, "${") {
		return s, nil
	}
	segs, err := parseTemplate(s)
	if err != nil {
		return nil, &ExpressionError{Expression: s, Path: path, Err: err}
	}
	if len(segs) == 1 && segs[0].isExpr {
		return run(segs[0], path, vars)
	}
	var b strings.Builder
	for _, seg := range segs {
		if !seg.isExpr {
			b.WriteString(seg.text)
			continue
		}
		r, err := run(seg, path, vars)
		if err != nil {
			return nil, err
		}
		b.WriteString(render(r))
	}
	return b.String(), nil
}

func run(seg segment, path string, vars map[string]any) (any, error) {
	p, err := compile(seg.text)
	if err == nil {
		var r any
		if r, err = expr.Run(p, vars); err == nil {
			return r, nil
		}
	}
	return nil, &ExpressionError{Expression: seg.raw, Path: path, Err: err}
}

// render turns an expression's result into text for interpolation.
func render(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case float32:
		return strconv.FormatFloat(float64(x), 'f', -1, 32)
	case map[string]any, []any:
		if b, err := json.Marshal(x); err == nil {
			return string(b)
		}
	}
	return fmt.Sprint(v)
}

// EvaluateBool evaluates a condition (stageEnabled, a precondition, a
// webhook's successExpression), written either as `${x}` or bare as `x`. The
// result must be a boolean or the string "true" or "false" (any case);
// anything else is an *ExpressionError.
func EvaluateBool(expression string, env Env) (bool, error) {
	s := strings.TrimSpace(expression)
	var r any
	var err error
	if strings.Contains(s, "${") {
		r, err = evaluateString(s, "", env.vars())
	} else {
		r, err = run(segment{text: s, raw: s, isExpr: true}, "", env.vars())
	}
	if err != nil {
		return false, err
	}
	if b, ok := asBool(r); ok {
		return b, nil
	}
	return false, &ExpressionError{Expression: expression, Err: fmt.Errorf("got %s, want true or false", describe(r))}
}

// CompileCheck reports whether s compiles, without evaluating it: every
// `${...}` in s when it holds any, else s as one bare expression (the form
// EvaluateBool accepts). The error is an *ExpressionError. Unknown names are
// not errors: they exist only once an execution runs.
func CompileCheck(s string) error {
	if !strings.Contains(s, "${") {
		_, err := compile(s)
		if err != nil {
			return &ExpressionError{Expression: s, Err: err}
		}
		return nil
	}
	segs, err := parseTemplate(s)
	if err != nil {
		return &ExpressionError{Expression: s, Err: err}
	}
	for _, seg := range segs {
		if !seg.isExpr {
			continue
		}
		if _, err := compile(seg.text); err != nil {
			return &ExpressionError{Expression: seg.raw, Err: err}
		}
	}
	return nil
}

// segment is a piece of a template: literal text, or an expression whose
// source is text and whose `${...}` form is raw.
type segment struct {
	text, raw string
	isExpr    bool
}

// parseTemplate splits s into text and `${...}` expressions. The closing
// brace is found by counting braces outside string literals, so map literals
// and strings holding "}" work: `${ {"a": "}"}.a }`.
func parseTemplate(s string) ([]segment, error) {
	var segs []segment
	for {
		i := strings.Index(s, "${")
		if i < 0 {
			if s != "" {
				segs = append(segs, segment{text: s})
			}
			return segs, nil
		}
		if i > 0 {
			segs = append(segs, segment{text: s[:i]})
		}
		end, err := closingBrace(s, i+2)
		if err != nil {
			return nil, err
		}
		body := strings.TrimSpace(s[i+2 : end])
		if body == "" {
			return nil, errors.New("empty expression ${}")
		}
		segs = append(segs, segment{text: body, raw: s[i : end+1], isExpr: true})
		s = s[end+1:]
	}
}

// closingBrace returns the index of the "}" closing a "${" whose body starts at from.
func closingBrace(s string, from int) (int, error) {
	depth := 1
	for i := from; i < len(s); i++ {
		switch c := s[i]; c {
		case '"', '\'', '`':
			j := i + 1
			for ; j < len(s) && s[j] != c; j++ {
				if s[j] == '\\' && c != '`' {
					j++
				}
			}
			if j >= len(s) {
				return 0, fmt.Errorf("unterminated string in %q", s[from-2:])
			}
			i = j
		case '{':
			depth++
		case '}':
			if depth--; depth == 0 {
				return i, nil
			}
		}
	}
	return 0, fmt.Errorf("unterminated ${ in %q: missing }", s[from-2:])
}

// programs caches compiled expressions. Compiling does not depend on the
// Env (names resolve when run), so one program serves every execution.
var programs = newProgramCache(1024)

func compile(source string) (*vm.Program, error) {
	if p, ok := programs.get(source); ok {
		return p, nil
	}
	p, err := compileUncached(source)
	if err != nil {
		return nil, err
	}
	programs.put(source, p)
	return p, nil
}

func compileUncached(source string) (*vm.Program, error) { return expr.Compile(source) }

// programCache is a least-recently-used cache of compiled programs, safe for
// concurrent use.
type programCache struct {
	mu    sync.Mutex
	size  int
	order *list.List // front is the most recently used; values are *cacheEntry
	items map[string]*list.Element
}

type cacheEntry struct {
	source  string
	program *vm.Program
}

func newProgramCache(size int) *programCache {
	return &programCache{size: size, order: list.New(), items: map[string]*list.Element{}}
}

func (c *programCache) get(source string) (*vm.Program, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	el, ok := c.items[source]
	if !ok {
		return nil, false
	}
	c.order.MoveToFront(el)
	return el.Value.(*cacheEntry).program, true
}

func (c *programCache) put(source string, p *vm.Program) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.items[source]; ok {
		c.order.MoveToFront(el)
		return
	}
	c.items[source] = c.order.PushFront(&cacheEntry{source: source, program: p})
	for c.order.Len() > c.size {
		last := c.order.Back()
		c.order.Remove(last)
		delete(c.items, last.Value.(*cacheEntry).source)
	}
}

func (c *programCache) len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.order.Len()
}
