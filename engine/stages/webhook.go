package stages

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/gennaker/gennaker/pipeline"
)

func init() {
	Register(Type{Name: "webhook", Tasks: []Task{task("createWebhook", runWebhook), task("monitorWebhook", runMonitorWebhook)}})
}

const maxWebhookBody = 1 << 20

// runWebhook calls the URL. Every call of one stage run carries the same Idempotency-Key
// header (stage id and attempt), so a receiver that honours it sees the effect once even if
// a crash makes the engine call again. 5xx answers and connection errors are retried with
// exponential back-off (retries, default 3); failFastStatusCodes end the stage at once.
func runWebhook(ctx context.Context, c *Context) Result {
	if asString(c.State["webhookDone"]) == "true" {
		return Result{Status: pipeline.Succeeded}
	}
	method := strings.ToUpper(asString(c.Config["method"]))
	if method == "" {
		method = http.MethodGet
	}
	url := asString(c.Config["url"])
	attempts, _ := asInt(c.State["webhookAttempts"])
	retries, ok := asInt(c.Config["retries"])
	if !ok {
		retries = 3
	}
	resp, body, err := call(ctx, c, method, url, c.Config["payload"])
	attempts++
	state := map[string]any{"webhookAttempts": attempts}
	if err != nil || resp.StatusCode >= 500 || isIn(c.Config["retryStatusCodes"], resp) {
		why := ""
		if err != nil {
			why = err.Error()
		} else {
			why = fmt.Sprintf("%s %s answered %d", method, url, resp.StatusCode)
			if isIn(c.Config["failFastStatusCodes"], resp) {
				return withState(Failed("%s (a fail-fast status)", why), state)
			}
		}
		if attempts > retries {
			return withState(Failed("webhook failed after %d attempts: %s", attempts, why), state)
		}
		r := Running(time.Duration(1<<min(attempts-1, 6)) * time.Second)
		r.Context = state
		state["webhookLastError"] = why
		return r
	}
	out := map[string]any{"webhook": map[string]any{"statusCode": resp.StatusCode, "body": body,
		"headers": flatHeaders(resp.Header)}}
	if resp.StatusCode >= 400 {
		r := Failed("%s %s answered %d: %s", method, url, resp.StatusCode, truncate(asString(jsonText(body)), 200))
		r.Outputs, r.Context = out, state
		return r
	}
	state["webhookDone"] = "true"
	if loc := resp.Header.Get("Location"); loc != "" {
		state["webhookLocation"] = loc
	}
	state["webhookBody"] = body
	return Result{Status: pipeline.Succeeded, Outputs: out, Context: state}
}

// runMonitorWebhook polls the status URL until the status (or the success/failure
// expression over `response`) says the remote work ended, when waitForCompletion is set.
func runMonitorWebhook(ctx context.Context, c *Context) Result {
	if !asBool(c.Config["waitForCompletion"], false) {
		return Result{Status: pipeline.Succeeded}
	}
	statusURL := asString(c.Config["url"])
	switch asString(c.Config["statusUrlResolution"]) {
	case "locationHeader":
		statusURL = asString(c.State["webhookLocation"])
	case "webhookResponse":
		statusURL = asString(lookup(c.State["webhookBody"], asString(c.Config["statusUrlJsonPath"])))
	}
	if statusURL == "" {
		return Failed("the webhook gave no status URL to poll")
	}
	resp, body, err := call(ctx, c, http.MethodGet, statusURL, nil)
	if err != nil || resp.StatusCode >= 500 {
		return Running(5 * time.Second)
	}
	out := map[string]any{"webhook": map[string]any{"monitor": map[string]any{"statusCode": resp.StatusCode, "body": body}}}
	env := c.Env
	env.Execution = merge(env.Execution, map[string]any{"response": body})
	if fe := asString(c.Config["failureExpression"]); fe != "" {
		if bad, err := pipeline.EvaluateBool(fe, env); err != nil {
			return Failed("evaluating the failure expression: %v", err)
		} else if bad {
			r := Failed("the webhook's failure expression %q is true", fe)
			r.Outputs = out
			return r
		}
	}
	if se := asString(c.Config["successExpression"]); se != "" {
		ok, err := pipeline.EvaluateBool(se, env)
		if err != nil {
			return Failed("evaluating the success expression: %v", err)
		}
		if ok {
			return Succeeded(out)
		}
		return Running(5 * time.Second)
	}
	status := asString(lookup(body, asString(c.Config["statusJsonPath"])))
	switch {
	case listHas(c.Config["successStatuses"], status):
		return Succeeded(out)
	case listHas(c.Config["terminalStatuses"], status), listHas(c.Config["canceledStatuses"], status):
		r := Failed("the webhook's status is %q", status)
		r.Outputs = out
		return r
	}
	return Running(5 * time.Second)
}

func call(ctx context.Context, c *Context, method, url string, payload any) (*http.Response, any, error) {
	var rd io.Reader
	if payload != nil && method != http.MethodGet {
		b, err := json.Marshal(payload)
		if err != nil {
			return nil, nil, fmt.Errorf("encoding the payload: %w", err)
		}
		rd = bytes.NewReader(b)
	}
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, method, url, rd)
	if err != nil {
		return nil, nil, fmt.Errorf("building the request: %w", err)
	}
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Idempotency-Key", fmt.Sprintf("%s-%d", c.StageID, c.Attempt))
	req.Header.Set("X-Gennaker-Execution", c.ExecutionID)
	if hs, ok := c.Config["customHeaders"].(map[string]any); ok {
		for k, v := range hs {
			req.Header.Set(k, asString(v))
		}
	}
	client := c.HTTP
	if client == nil {
		client = http.DefaultClient
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, nil, fmt.Errorf("calling %s %s: %w", method, url, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, maxWebhookBody))
	if err != nil {
		return nil, nil, fmt.Errorf("reading the answer of %s: %w", url, err)
	}
	var body any
	if json.Unmarshal(raw, &body) != nil {
		body = string(raw)
	}
	return resp, body, nil
}

func withState(r Result, s map[string]any) Result { r.Context = s; return r }

func isIn(list any, resp *http.Response) bool {
	if resp == nil {
		return false
	}
	return listHas(list, fmt.Sprint(resp.StatusCode))
}

func listHas(list any, v string) bool {
	switch l := list.(type) {
	case []any:
		for _, x := range l {
			if asString(x) == v {
				return true
			}
		}
	case string:
		for _, x := range strings.Split(l, ",") {
			if strings.TrimSpace(x) == v {
				return true
			}
		}
	}
	return false
}

// lookup follows a dotted path ("$.a.b" or "a.b") through decoded JSON.
func lookup(v any, path string) any {
	path = strings.TrimPrefix(strings.TrimPrefix(path, "$"), ".")
	if path == "" {
		return v
	}
	for _, part := range strings.Split(path, ".") {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[part]
	}
	return v
}

func flatHeaders(h http.Header) map[string]any {
	out := map[string]any{}
	for k := range h {
		out[k] = h.Get(k)
	}
	return out
}

func jsonText(v any) any {
	if s, ok := v.(string); ok {
		return s
	}
	b, _ := json.Marshal(v)
	return string(b)
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

func merge(a, b map[string]any) map[string]any {
	out := map[string]any{}
	for k, v := range a {
		out[k] = v
	}
	for k, v := range b {
		out[k] = v
	}
	return out
}
