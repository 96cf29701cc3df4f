package resolvers_test

import (
	"strings"
	"testing"

	"github.com/gennaker/gennaker/resolvers"
	"github.com/gennaker/gennaker/store"
	"github.com/gennaker/gennaker/store/storetest"
)

const savePipeline = `mutation($in: SavePipelineInput!) { savePipeline(input: $in) {
	pipeline { id name version stages { refId type requisiteStageRefIds config } parameters { name required } }
	warnings { code path message } } }`

func TestSavePipeline(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		a := newAPI(t, s, resolvers.Limits{})
		a.ok(createApp, map[string]any{"in": map[string]any{"name": "shop", "ownerEmail": "o@x.io", "criticality": "CRITICAL"}})
		valid := map[string]any{"application": "shop", "name": "ship",
			"parameters": []any{map[string]any{"name": "version", "required": true}},
			"stages": []any{
				map[string]any{"refId": "1", "type": "wait", "name": "soak", "config": map[string]any{"waitTime": 5}},
				map[string]any{"refId": "2", "type": "manualJudgment", "name": "approve", "requisiteStageRefIds": []any{"1"}},
			}}
		data := a.ok(savePipeline, map[string]any{"in": valid})
		p := dig(data, "savePipeline", "pipeline").(map[string]any)
		if p["version"] != float64(1) || len(p["stages"].([]any)) != 2 {
			t.Fatalf("saved %v", p)
		}
		if ws := dig(data, "savePipeline", "warnings").([]any); len(ws) == 0 {
			t.Errorf("a CRITICAL application's pipeline without notifications or rollback got no warnings")
		}

		// An invalid pipeline: a cycle, an unknown type and a missing requisite, all listed.
		invalid := map[string]any{"application": "shop", "name": "broken", "stages": []any{
			map[string]any{"refId": "a", "type": "wait", "name": "A", "requisiteStageRefIds": []any{"b"}, "config": map[string]any{"waitTime": 1}},
			map[string]any{"refId": "b", "type": "wait", "name": "B", "requisiteStageRefIds": []any{"a"}, "config": map[string]any{"waitTime": 1}},
			map[string]any{"refId": "c", "type": "deployy", "name": "C"},
			map[string]any{"refId": "d", "type": "wait", "name": "D", "requisiteStageRefIds": []any{"zz"}, "config": map[string]any{"waitTime": 1}},
		}}
		_, errs := a.do(savePipeline, map[string]any{"in": invalid})
		if code(errs) != "BAD_USER_INPUT" {
			t.Fatalf("invalid pipeline: code %q, want BAD_USER_INPUT", code(errs))
		}
		paths := strings.Join(problemPaths(errs), " ")
		for _, want := range []string{"input.stages[2].type", "input.stages[3].requisiteStageRefIds[0]", "input.stages"} {
			if !strings.Contains(paths, want) {
				t.Errorf("problems at %q lack %q", paths, want)
			}
		}
		if !strings.Contains(errs[0].Message, "problems") && len(problemPaths(errs)) < 3 {
			t.Errorf("message %q", errs[0].Message)
		}
		msgs := ""
		for _, p := range errs[0].Extensions["problems"].([]any) {
			msgs += dig(p, "code").(string) + " "
		}
		for _, want := range []string{"CYCLE", "UNKNOWN_STAGE_TYPE", "UNKNOWN_REQUISITE"} {
			if !strings.Contains(msgs, want) {
				t.Errorf("problem codes %q lack %s", msgs, want)
			}
		}
		data = a.ok(`{ application(name: "shop") { pipelines { totalCount edges { node { name } } } } }`, nil)
		if dig(data, "application", "pipelines", "totalCount") != float64(1) {
			t.Fatalf("an invalid pipeline was written: %v", data)
		}

		// Update with a stale version is a CONFLICT; with the current one it bumps the version.
		valid["id"], valid["version"] = p["id"], 1
		data = a.ok(savePipeline, map[string]any{"in": valid})
		if dig(data, "savePipeline", "pipeline", "version") != float64(2) {
			t.Fatalf("update: %v", data)
		}
		_, errs = a.do(savePipeline, map[string]any{"in": valid})
		if code(errs) != "CONFLICT" {
			t.Fatalf("stale pipeline update: code %q, want CONFLICT", code(errs))
		}
		// Unknown application.
		valid["application"], valid["id"], valid["version"] = "nope", nil, nil
		_, errs = a.do(savePipeline, map[string]any{"in": valid})
		if code(errs) != "BAD_USER_INPUT" || problemPaths(errs)[0] != "input.application" {
			t.Fatalf("unknown application: %+v", errs)
		}
		// Delete.
		a.ok(`mutation($id: ID!) { deletePipeline(input: {id: $id}) { deletedId } }`, map[string]any{"id": p["id"]})
		if data := a.ok(`query($id: ID!) { pipeline(id: $id) { id } }`, map[string]any{"id": p["id"]}); data["pipeline"] != nil {
			t.Fatalf("deleted pipeline still readable: %v", data)
		}
	})
}
