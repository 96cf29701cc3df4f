package pipeline

import (
	"slices"
	"strings"
)

// Kind is the shape a stage field's value must have once expressions are
// evaluated.
type Kind string

// Field kinds.
const (
	KindString   Kind = "string"
	KindInt      Kind = "int"      // a whole number (JSON number or digits)
	KindBool     Kind = "bool"     // true/false (or their strings)
	KindObject   Kind = "object"   // a JSON object
	KindList     Kind = "list"     // a JSON array
	KindDuration Kind = "duration" // whole seconds, or a Go duration string ("90s")
	KindAny      Kind = "any"      // anything, e.g. a webhook payload
)

// Field describes one key of a stage's Config.
type Field struct {
	Name     string
	Kind     Kind
	Required bool
	// Default is the value the engine uses when the field is absent; nil
	// when there is none.
	Default any
	// Enum lists the allowed values of a string field; empty means any.
	Enum []string
	// Min and Max bound an int or duration field (seconds); nil is unbounded.
	Min, Max *int
	// Doc says what the field does, for forms and error messages.
	Doc string
}

// StageType is one known stage type: its Spinnaker name, a category ("flow"
// or "cluster") and its fields. Rules that tie fields together (such as
// "target or serverGroupName") are checked by Validate.
type StageType struct {
	Name        string
	Category    string
	Description string
	Fields      []Field
	// check holds the rules across fields; it runs after the per-field checks.
	check func(cfg map[string]any, path string, ps *problems)
}

// Field returns the field called name.
func (t StageType) Field(name string) (Field, bool) {
	for _, f := range t.Fields {
		if f.Name == name {
			return f, true
		}
	}
	return Field{}, false
}

// LookupStageType returns the stage type called name (case-sensitive, as
// Spinnaker's type names are).
func LookupStageType(name string) (StageType, bool) {
	for _, t := range stageTypes {
		if t.Name == name {
			return cloneStageType(t), true
		}
	}
	return StageType{}, false
}

// StageTypes returns every known stage type, flow types first, each group in
// a stable order. The result is a copy: changing it changes nothing here.
func StageTypes() []StageType {
	out := make([]StageType, len(stageTypes))
	for i, t := range stageTypes {
		out[i] = cloneStageType(t)
	}
	return out
}

func cloneStageType(t StageType) StageType {
	t.Fields = slices.Clone(t.Fields)
	return t
}

// nearestStageType suggests the known type closest to name, or "" when none
// is close enough to be a likely typo.
func nearestStageType(name string) string {
	best, bestDist := "", -1
	for _, t := range stageTypes {
		d := editDistance(strings.ToLower(name), strings.ToLower(t.Name))
		if bestDist < 0 || d < bestDist {
			best, bestDist = t.Name, d
		}
	}
	if bestDist <= max(2, len(name)/3) {
		return best
	}
	return ""
}

// editDistance is the Levenshtein distance between a and b, in bytes.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

func intp(n int) *int { return &n }

// Field constructors keep the table below readable.
func req(name string, k Kind, doc string) Field {
	return Field{Name: name, Kind: k, Required: true, Doc: doc}
}
func opt(name string, k Kind, doc string) Field { return Field{Name: name, Kind: k, Doc: doc} }
func nonNeg(f Field) Field                      { f.Min = intp(0); return f }
func withDefault(f Field, v any) Field          { f.Default = v; return f }
func oneOf(f Field, values ...string) Field     { f.Enum = values; return f }

// Spinnaker's names for the dynamic targets of a server-group operation.
var serverGroupTargets = []string{"current_asg_dynamic", "ancestor_asg_dynamic", "oldest_asg_dynamic"}

// location fields shared by the cluster stages.
func clusterFields(extra ...Field) []Field {
	return append([]Field{
		req("account", KindString, "the account holding the cluster"),
		req("region", KindString, "the region of the server groups"),
		req("cluster", KindString, "the cluster, app-stack-detail"),
	}, extra...)
}

// server-group stages name their target dynamically or by name.
func serverGroupFields(extra ...Field) []Field {
	return clusterFields(append([]Field{
		oneOf(opt("target", KindString, "which server group of the cluster, dynamically"), serverGroupTargets...),
		opt("serverGroupName", KindString, "the server group, by name"),
	}, extra...)...)
}

var stageTypes = []StageType{
	// Flow.
	{Name: "wait", Category: "flow", Description: "Waits a number of seconds.", Fields: []Field{
		nonNeg(req("waitTime", KindDuration, "seconds to wait")),
	}},
	{Name: "manualJudgment", Category: "flow", Description: "Waits for a person to continue or stop.", Fields: []Field{
		opt("instructions", KindString, "what the judge should check"),
		opt("judgmentInputs", KindList, "choices offered, each {value}"),
		opt("notifications", KindList, "who to tell that a judgment is awaited"),
		opt("propagateAuthenticationContext", KindBool, "run later stages as the judge"),
	}, check: checkManualJudgment},
	{Name: "checkPreconditions", Category: "flow", Description: "Fails unless every precondition holds.", Fields: []Field{
		req("preconditions", KindList, "each {type: expression, context: {expression}, failPipeline}"),
	}, check: checkPreconditions},
	{Name: "evaluateVariables", Category: "flow", Description: "Evaluates expressions into named outputs.", Fields: []Field{
		req("variables", KindList, "each {key, value}"),
	}, check: checkVariables},
	{Name: "webhook", Category: "flow", Description: "Calls a URL and optionally polls until done.", Fields: []Field{
		req("url", KindString, "the URL to call"),
		withDefault(oneOf(opt("method", KindString, "the HTTP method"), "GET", "POST", "PUT", "PATCH", "DELETE"), "GET"),
		opt("customHeaders", KindObject, "extra request headers"),
		opt("payload", KindAny, "the request body"),
		opt("failFastStatusCodes", KindList, "status codes that fail at once"),
		opt("retryStatusCodes", KindList, "status codes that are retried"),
		withDefault(opt("waitForCompletion", KindBool, "poll a status URL until a final status"), false),
		oneOf(opt("statusUrlResolution", KindString, "where the status URL comes from"), "getMethod", "webhookResponse", "locationHeader"),
		opt("statusUrlJsonPath", KindString, "JSON path to the status URL in the response"),
		opt("statusJsonPath", KindString, "JSON path to the status in the status response"),
		opt("successStatuses", KindString, "comma-separated statuses meaning success"),
		opt("canceledStatuses", KindString, "comma-separated statuses meaning canceled"),
		opt("terminalStatuses", KindString, "comma-separated statuses meaning failure"),
		opt("successExpression", KindString, "expression deciding success"),
		opt("failureExpression", KindString, "expression deciding failure"),
	}, check: checkWebhook},
	{Name: "pipeline", Category: "flow", Description: "Runs another pipeline.", Fields: []Field{
		req("application", KindString, "the application of the child pipeline"),
		req("pipeline", KindString, "the child pipeline, by id or name"),
		opt("pipelineParameters", KindObject, "parameters passed to the child"),
		withDefault(opt("waitForCompletion", KindBool, "wait for the child to finish"), true),
	}},
	{Name: "restrictExecutionDuringTimeWindow", Category: "flow", Description: "Waits for an execution window.", Fields: []Field{
		req("restrictedExecutionWindow", KindObject, "days, hour ranges, time zone and jitter"),
	}},
	// Cluster and server groups.
	{Name: "deploy", Category: "cluster", Description: "Deploys a new server group with a strategy.", Fields: []Field{
		req("account", KindString, "the account to deploy to"),
		opt("region", KindString, "the region (provider default when empty)"),
		opt("stack", KindString, "the moniker's stack"),
		opt("freeFormDetails", KindString, "the moniker's detail"),
		req("capacity", KindObject, "{min, desired, max}"),
		req("artifact", KindObject, "what to run"),
		oneOf(opt("strategy", KindString, "how to replace the running version"), "", "none", "redblack", "highlander", "rollingredblack"),
		Field{Name: "maxRemainingAsgs", Kind: KindInt, Min: intp(1), Doc: "server groups kept after a redblack deploy"},
		nonNeg(opt("delayBeforeDisableSec", KindDuration, "wait before disabling the old version")),
		nonNeg(opt("delayBeforeScaleDownSec", KindDuration, "wait before scaling the old version down")),
		opt("scaleDown", KindBool, "scale the old version down after disabling it"),
		opt("targetPercentages", KindList, "rollingredblack steps, increasing percentages"),
		opt("pipelineBeforeCleanup", KindObject, "a pipeline to run before the old version is cleaned up"),
		opt("judgmentBetweenSteps", KindBool, "ask a person between rollingredblack steps"),
		nonNeg(opt("pauseBetweenStepsSec", KindDuration, "pause between rollingredblack steps")),
		opt("rollback", KindObject, "{onFailure}: roll back when the deploy fails"),
		opt("loadBalancers", KindList, "load balancers to attach"),
		nonNeg(opt("healthTimeoutSec", KindDuration, "how long instances may take to be healthy")),
	}, check: checkDeploy},
	{Name: "cloneServerGroup", Category: "cluster", Description: "Copies a server group into a new one.",
		Fields: serverGroupFields(), check: checkServerGroupTarget},
	{Name: "resizeServerGroup", Category: "cluster", Description: "Changes a server group's capacity.", Fields: serverGroupFields(
		opt("capacity", KindObject, "{min, desired, max}, for scale_exact"),
		oneOf(opt("action", KindString, "how to resize"), "scale_exact", "scale_up", "scale_down"),
		nonNeg(opt("scalePct", KindInt, "percentage to scale up or down by")),
		nonNeg(opt("scaleNum", KindInt, "instances to scale up or down by")),
	), check: checkResize},
	{Name: "terminateInstances", Category: "cluster", Description: "Terminates instances of a server group, which replaces them.",
		Fields: serverGroupFields(req("instanceIds", KindList, "ids of the instances to terminate")), check: checkTerminateInstances},
	{Name: "enableServerGroup", Category: "cluster", Description: "Sends traffic to a server group.",
		Fields: serverGroupFields(), check: checkServerGroupTarget},
	{Name: "disableServerGroup", Category: "cluster", Description: "Stops traffic to a server group.",
		Fields: serverGroupFields(), check: checkServerGroupTarget},
	{Name: "destroyServerGroup", Category: "cluster", Description: "Destroys a server group.",
		Fields: serverGroupFields(), check: checkServerGroupTarget},
	{Name: "disableCluster", Category: "cluster", Description: "Disables all but the newest server groups.", Fields: clusterFields(
		withDefault(nonNeg(opt("remainingEnabledServerGroups", KindInt, "server groups left enabled")), 1),
		opt("preferLargerOverNewer", KindBool, "keep the larger rather than the newer"),
	)},
	{Name: "scaleDownCluster", Category: "cluster", Description: "Scales down all but the newest server groups.", Fields: clusterFields(
		withDefault(nonNeg(opt("remainingFullSizeServerGroups", KindInt, "server groups left at full size")), 1),
		opt("allowScaleDownActive", KindBool, "allow scaling down enabled server groups"),
	)},
	{Name: "shrinkCluster", Category: "cluster", Description: "Destroys all but the newest server groups.", Fields: clusterFields(
		withDefault(nonNeg(opt("shrinkToSize", KindInt, "server groups to keep")), 1),
		opt("allowDeleteActive", KindBool, "allow destroying enabled server groups"),
		opt("retainLargerOverNewer", KindBool, "keep the larger rather than the newer"),
	)},
	{Name: "rollbackCluster", Category: "cluster", Description: "Rolls a cluster back to its previous server group.", Fields: clusterFields(
		Field{Name: "targetHealthyRollbackPercentage", Kind: KindInt, Min: intp(0), Max: intp(100), Doc: "healthy percentage required of the restored server group"},
	)},
	{Name: "findImage", Category: "cluster", Description: "Finds the artifact running in a cluster.", Fields: clusterFields(
		withDefault(oneOf(opt("selectionStrategy", KindString, "which server group's artifact"), "NEWEST", "OLDEST", "LARGEST", "FAIL"), "NEWEST"),
	)},
}
