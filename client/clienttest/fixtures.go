package clienttest

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"

	"github.com/gennaker/gennaker/client"
)

var seq atomic.Int64

// Pipeline names what JudgmentPipeline created.
type Pipeline struct {
	Application string
	Name        string
	// ID is the pipeline's global id.
	ID string
}

// JudgmentPipeline creates, through the API, an application and a pipeline of three
// stages: "Bake" (wait 0 s), "Approve" (manual judgment with instructions), "Deploy"
// (wait 0 s).
func JudgmentPipeline(t testing.TB, c *client.Client) Pipeline {
	t.Helper()
	ctx := context.Background()
	app := fmt.Sprintf("app%d", seq.Add(1))
	err := c.Do(ctx, `mutation($in: CreateApplicationInput!) { createApplication(input: $in) { application { id } } }`,
		map[string]any{"in": map[string]any{"name": app, "ownerEmail": "team@example.com"}}, nil)
	if err != nil {
		t.Fatalf("creating application %s: %v", app, err)
	}
	var out struct {
		SavePipeline struct {
			Pipeline struct{ ID string }
		}
	}
	err = c.Do(ctx, `mutation($in: SavePipelineInput!) { savePipeline(input: $in) { pipeline { id } } }`,
		map[string]any{"in": map[string]any{"application": app, "name": "ship", "stages": []any{
			map[string]any{"refId": "1", "type": "wait", "name": "Bake", "config": map[string]any{"waitTime": 0}},
			map[string]any{"refId": "2", "type": "manualJudgment", "name": "Approve", "requisiteStageRefIds": []string{"1"},
				"config": map[string]any{"instructions": "Check the canary dashboard."}},
			map[string]any{"refId": "3", "type": "wait", "name": "Deploy", "requisiteStageRefIds": []string{"2"},
				"config": map[string]any{"waitTime": 0}},
		}}}, &out)
	if err != nil {
		t.Fatalf("saving pipeline: %v", err)
	}
	return Pipeline{Application: app, Name: "ship", ID: out.SavePipeline.Pipeline.ID}
}
