package resolvers

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/google/uuid"

	"github.com/gennaker/gennaker/auth"
	"github.com/gennaker/gennaker/pipeline"
	"github.com/gennaker/gennaker/store"
)

// maxWebhookBody bounds a webhook trigger's payload.
const maxWebhookBody = 1 << 20

var deliveryNamespace = uuid.MustParse("9c4d1e2f-7a8b-4c3d-9e0f-1a2b3c4d5e6f")

// WebhookHandler serves POST /webhooks/<source>: every enabled pipeline with a webhook
// trigger on that source, whose payloadConstraints the JSON payload meets, is started with
// the payload's "parameters" object as its parameters. A delivery id (the
// X-Gennaker-Delivery header, or GitHub's X-GitHub-Delivery) makes a redelivered call start
// nothing new. It answers 202 with what it started and what it skipped and why.
func (r *Resolver) WebhookHandler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		reply := func(code int, v any) {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(code)
			_ = json.NewEncoder(w).Encode(v)
		}
		fail := func(code int, msg string) { reply(code, map[string]any{"error": msg}) }
		if req.Method != http.MethodPost {
			w.Header().Set("Allow", http.MethodPost)
			fail(http.StatusMethodNotAllowed, "webhook triggers take POST")
			return
		}
		source := strings.Trim(strings.TrimPrefix(req.URL.Path, "/webhooks/"), "/")
		if source == "" || strings.Contains(source, "/") {
			fail(http.StatusNotFound, "POST to /webhooks/<source>")
			return
		}
		body, err := io.ReadAll(http.MaxBytesReader(w, req.Body, maxWebhookBody))
		if err != nil {
			fail(http.StatusRequestEntityTooLarge, fmt.Sprintf("the payload is over %d bytes", maxWebhookBody))
			return
		}
		payload := map[string]any{}
		if len(strings.TrimSpace(string(body))) > 0 {
			if err := json.Unmarshal(body, &payload); err != nil {
				fail(http.StatusBadRequest, "the payload is not a JSON object: "+err.Error())
				return
			}
		}
		params := map[string]string{}
		if pm, ok := payload["parameters"].(map[string]any); ok {
			for k, v := range pm {
				params[k] = fmt.Sprint(v)
			}
		}
		delivery := req.Header.Get("X-Gennaker-Delivery")
		if delivery == "" {
			delivery = req.Header.Get("X-GitHub-Delivery")
		}
		started, skipped, err := r.fireWebhook(req, source, payload, params, delivery)
		if err != nil {
			r.Log.ErrorContext(req.Context(), "webhook trigger failed", "source", source, "error", err)
			fail(http.StatusInternalServerError, "internal error; the server log has the details")
			return
		}
		reply(http.StatusAccepted, map[string]any{"started": nonNil(started), "skipped": nonNil(skipped)})
	})
}

type webhookResult struct {
	Application string `json:"application"`
	Pipeline    string `json:"pipeline"`
	Execution   string `json:"execution,omitempty"`
	Reason      string `json:"reason,omitempty"`
}

func (r *Resolver) fireWebhook(req *http.Request, source string, payload map[string]any, params map[string]string, delivery string) ([]webhookResult, []webhookResult, error) {
	ctx := req.Context()
	if r.Engine == nil {
		return nil, nil, errNoEngine
	}
	ps, err := r.Store.PipelinesWithTriggers(ctx, "webhook", source)
	if err != nil {
		return nil, nil, err
	}
	var started, skipped []webhookResult
	for _, p := range ps {
		d, err := decodeDefinition(p.Definition)
		if err != nil || d.Disabled {
			continue
		}
		fires := false
		for _, t := range d.Triggers {
			fires = fires || pipeline.WebhookTriggerFires(t, source, payload)
		}
		if !fires {
			continue
		}
		app, err := r.Store.Application(ctx, p.ApplicationID)
		if err != nil {
			return nil, nil, err
		}
		res := webhookResult{Application: app.Name, Pipeline: p.Name}
		resolved, err := pipeline.ResolveParameters(d.Parameters, params)
		if err != nil {
			res.Reason = err.Error()
			skipped = append(skipped, res)
			continue
		}
		audit, err := r.authorize(ctx, auth.Execute, auth.Resource{Type: "Application", Name: app.Name}, "webhookTrigger",
			map[string]any{"source": source, "pipeline": p.Name, "delivery": delivery})
		if err != nil {
			res.Reason = err.Error()
			skipped = append(skipped, res)
			continue
		}
		pm := map[string]any{}
		for k, v := range resolved {
			pm[k] = v
		}
		e := newExecution(store.ExecutionTypePipeline, app, p.Name, p.Definition, d.Stages, audit.Actor, "webhook "+source)
		if delivery != "" {
			e.ID = uuid.NewSHA1(deliveryNamespace, []byte(delivery+"|"+p.ID)).String()
		}
		e.PipelineID, e.Parameters = &p.ID, pm
		e.Trigger = store.JSONMap{"type": "webhook", "user": audit.Actor, "source": source, "payload": payload, "parameters": pm}
		// A conflict is the same delivery again: its execution exists already.
		if _, err := r.startExecution(ctx, e, audit, nil); err != nil && !errors.Is(err, store.ErrConflict) {
			return nil, nil, err
		}
		res.Execution = globalID("Execution", e.ID)
		started = append(started, res)
	}
	return started, skipped, nil
}
