package client_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/gennaker/gennaker/client"
)

// A bot that follows every execution of an application and survives restarts of the
// server. Each event carries a version: anything older than what the bot has is dropped,
// so the snapshot sent after a reconnection converges without double-counting.
func ExampleClient_SubscribeForever() {
	c := client.New("http://127.0.0.1:8080")
	seen := map[string]int{}
	err := c.SubscribeForever(context.Background(),
		`subscription { executionUpdated(application: "shop") { version execution { id name status } } }`, nil,
		func(data json.RawMessage) error {
			var ev struct {
				ExecutionUpdated struct {
					Version   int
					Execution struct{ ID, Name, Status string }
				}
			}
			if err := json.Unmarshal(data, &ev); err != nil {
				return err
			}
			e := ev.ExecutionUpdated
			if e.Version <= seen[e.Execution.ID] {
				return nil
			}
			seen[e.Execution.ID] = e.Version
			fmt.Println(e.Execution.Name, e.Execution.Status)
			return nil
		})
	fmt.Println("stopped:", err)
}

// Errors from the API are typed: the code, the path, and each input problem.
func ExampleError() {
	c := client.New("http://127.0.0.1:8080")
	err := c.Do(context.Background(), `mutation($in: SavePipelineInput!) { savePipeline(input: $in) { pipeline { id } } }`,
		map[string]any{"in": map[string]any{"application": "shop", "name": "p", "stages": []any{}}}, nil)
	var gerr *client.Error
	if errors.As(err, &gerr) && errors.Is(err, client.ErrBadUserInput) {
		for _, p := range gerr.Problems() {
			fmt.Printf("%s: %s (%s)\n", p.Path, p.Message, p.Code)
		}
	}
}
