package stages

import (
	"context"
	"fmt"

	"github.com/gennaker/gennaker/pipeline"
)

func init() {
	Register(Type{Name: "checkPreconditions", Tasks: []Task{pureTask("checkPreconditions", runPreconditions)}})
	Register(Type{Name: "evaluateVariables", Tasks: []Task{pureTask("evaluateVariables", runEvaluateVariables)}})
}

// runPreconditions checks each expression precondition; a false one fails the stage unless
// it says failPipeline: false, in which case it is recorded and the stage succeeds.
func runPreconditions(_ context.Context, c *Context) Result {
	list, _ := c.Config["preconditions"].([]any)
	var results []any
	for i, p := range list {
		pm, _ := p.(map[string]any)
		ctxm, _ := pm["context"].(map[string]any)
		// The engine evaluated ${…} already: what is left is the value.
		val := ctxm["expression"]
		ok, isBool := val.(bool)
		if !isBool {
			var err error
			ok, err = pipeline.EvaluateBool(asString(val), c.Env)
			if err != nil {
				return Failed("precondition %d: %v", i, err)
			}
		}
		results = append(results, map[string]any{"index": i, "passed": ok})
		if !ok && asBool(pm["failPipeline"], true) {
			r := Failed("precondition %d is false: %v", i, describe(ctxm))
			r.Outputs = map[string]any{"preconditions": results}
			return r
		}
	}
	return Succeeded(map[string]any{"preconditions": results})
}

func describe(m map[string]any) string {
	if s, ok := m["description"].(string); ok && s != "" {
		return s
	}
	return fmt.Sprint(m["expression"])
}

// runEvaluateVariables puts each key/value (already evaluated) into the outputs.
func runEvaluateVariables(_ context.Context, c *Context) Result {
	list, _ := c.Config["variables"].([]any)
	out := map[string]any{}
	for _, v := range list {
		vm, _ := v.(map[string]any)
		if k := asString(vm["key"]); k != "" {
			out[k] = vm["value"]
		}
	}
	return Succeeded(out)
}
