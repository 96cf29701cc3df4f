package pipeline

import (
	"fmt"
	"strings"
	"unicode"
)

// Warning is a guardrail: something allowed that an operator of an
// application of this criticality probably does not want. It never blocks a
// save or a run; the dashboard shows it and records who went ahead anyway.
type Warning struct {
	Path    string `json:"path"`
	Code    string `json:"code"`
	Message string `json:"message"`
}

// Application criticalities, lowest first.
const (
	CriticalityLow      = "LOW"
	CriticalityMedium   = "MEDIUM"
	CriticalityHigh     = "HIGH"
	CriticalityCritical = "CRITICAL"
)

// Warning codes, found in Warning.Code.
const (
	WarnUnknownCriticality    = "UNKNOWN_CRITICALITY"          // criticality is not one of the four; MEDIUM is assumed
	WarnEmptyPipeline         = "EMPTY_PIPELINE"               // no stages: a run does nothing
	WarnDuplicateStageName    = "DUPLICATE_STAGE_NAME"         // stage("name") and judgment("name") see only the first
	WarnNoRollbackTarget      = "NO_ROLLBACK_TARGET"           // redblack keeping fewer than 2 server groups
	WarnIgnoredDeployFailure  = "IGNORED_DEPLOY_FAILURE"       // a failed deploy lets the pipeline continue (MEDIUM+)
	WarnConcurrentExecutions  = "CONCURRENT_EXECUTIONS"        // limitConcurrent off (HIGH+)
	WarnNoFailureNotification = "NO_FAILURE_NOTIFICATION"      // nobody told when the pipeline fails (HIGH+)
	WarnNoJudgmentBeforeProd  = "NO_JUDGMENT_BEFORE_PROD"      // production deploy with no manualJudgment upstream (HIGH+)
	WarnNoAutomaticRollback   = "NO_AUTOMATIC_ROLLBACK"        // deploy without rollback.onFailure (HIGH+)
	WarnHighlander            = "HIGHLANDER_NO_QUICK_ROLLBACK" // highlander destroys the previous version at once (HIGH+)
	WarnNoDeployStrategy      = "NO_DEPLOY_STRATEGY"           // strategy none: the old version keeps serving (HIGH+)
)

// criticalityRank orders criticalities; unknown ones rank as MEDIUM.
func criticalityRank(c string) (int, bool) {
	switch strings.ToUpper(strings.TrimSpace(c)) {
	case CriticalityLow:
		return 0, true
	case CriticalityMedium:
		return 1, true
	case CriticalityHigh:
		return 2, true
	case CriticalityCritical:
		return 3, true
	}
	return 1, false
}

// Lint returns the guardrail warnings for d given the criticality of its
// application (LOW, MEDIUM, HIGH or CRITICAL, any case; anything else is
// treated as MEDIUM with a warning). Pipeline-wide warnings come first, then
// each stage's in definition order. Lint assumes nothing about validity and
// never fails; it does not repeat what Validate reports.
//
// Whether a deploy goes to production is read from its account and stack
// names: a "prod", "production" or "prd" word makes it production. At
// CRITICAL every deploy counts unless its names say test, dev, qa, staging,
// sandbox, uat, preprod or nonprod.
func Lint(d Definition, criticality string) []Warning {
	var ws []Warning
	warn := func(path, code, format string, args ...any) {
		ws = append(ws, Warning{Path: path, Code: code, Message: fmt.Sprintf(format, args...)})
	}
	rank, known := criticalityRank(criticality)
	level := strings.ToUpper(strings.TrimSpace(criticality))
	if !known {
		warn("", WarnUnknownCriticality, "criticality %q is not LOW, MEDIUM, HIGH or CRITICAL; linting as MEDIUM", criticality)
		level = CriticalityMedium
	}
	high := rank >= 2
	if len(d.Stages) == 0 {
		warn("stages", WarnEmptyPipeline, "the pipeline has no stages: running it does nothing and succeeds")
	}
	if high && !d.LimitConcurrent {
		warn("limitConcurrent", WarnConcurrentExecutions, "limitConcurrent is off: two runs of this %s application's pipeline can deploy at the same time and undo each other; turn it on (and keepWaitingPipelines to queue runs)", level)
	}
	if high && len(d.Stages) > 0 && !notifiesOnFailure(d) {
		warn("notifications", WarnNoFailureNotification, "no notification on pipeline.failed: when this %s application's pipeline fails nobody is told", level)
	}
	g := newGraph(d.Stages)
	firstName := map[string]int{}
	for i, s := range d.Stages {
		p := fmt.Sprintf("stages[%d]", i)
		if j, dup := firstName[s.Name]; dup && s.Name != "" {
			warn(p+".name", WarnDuplicateStageName, "stage name %q is also used by stages[%d]: stage(%q) and judgment(%q) in expressions see only the first", s.Name, j, s.Name, s.Name)
		} else if !dup {
			firstName[s.Name] = i
		}
		if s.Type == "deploy" {
			lintDeploy(s, p, rank, level, !hasJudgmentUpstream(g, i), warn)
		}
	}
	return ws
}

func notifiesOnFailure(d Definition) bool {
	for _, n := range d.Notifications {
		if contains(n.When, "pipeline.failed") {
			return true
		}
	}
	return false
}

// hasJudgmentUpstream reports whether a manualJudgment stage is among stage
// i's transitive requisites, all of which complete before i starts.
func hasJudgmentUpstream(g graph, i int) bool {
	seen := map[int]bool{}
	stack := append([]int(nil), g.up[i]...)
	for len(stack) > 0 {
		j := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if seen[j] {
			continue
		}
		seen[j] = true
		if g.stages[j].Type == "manualJudgment" {
			return true
		}
		stack = append(stack, g.up[j]...)
	}
	return false
}

func lintDeploy(s Stage, p string, rank int, level string, noJudgment bool, warn func(path, code, format string, args ...any)) {
	cp := p + ".config"
	label := stageLabel(s)
	strategy, _ := s.Config["strategy"].(string)
	if n, ok := s.Int("maxRemainingAsgs"); ok && strategy == "redblack" && n < 2 {
		warn(cp+".maxRemainingAsgs", WarnNoRollbackTarget, "deploy %s keeps %d server group after a redblack deploy: the previous version is destroyed, so there is nothing to roll back to; keep at least 2", label, n)
	}
	if rank >= 1 && s.FailureMode() == ContinuePipeline {
		warn(cp+".continuePipeline", WarnIgnoredDeployFailure, "deploy %s continues the pipeline when it fails: later stages run against a half-deployed version", label)
	}
	if rank < 2 {
		return
	}
	account, _ := s.Config["account"].(string)
	stack, _ := s.Config["stack"].(string)
	if noJudgment && looksProd(rank, account, stack) {
		warn(p, WarnNoJudgmentBeforeProd, "deploy %s goes to account %q with no manualJudgment stage before it: a %s application should have a person confirm production changes", label, account, level)
	}
	if on, _ := asBool(rollbackOnFailure(s)); !on {
		warn(cp+".rollback.onFailure", WarnNoAutomaticRollback, "deploy %s does not roll back on failure: a %s application's cluster is left on a broken version until someone acts; set rollback.onFailure", label, level)
	}
	switch strategy {
	case "highlander":
		warn(cp+".strategy", WarnHighlander, "deploy %s uses highlander, which destroys the previous server groups at once: no quick rollback for a %s application; prefer redblack", label, level)
	case "", "none":
		warn(cp+".strategy", WarnNoDeployStrategy, "deploy %s has no strategy: the previous version keeps serving next to the new one and nothing is disabled; prefer redblack", label)
	}
}

func rollbackOnFailure(s Stage) any {
	r, _ := asObject(s.Config["rollback"])
	return r["onFailure"]
}

var prodWords = []string{"prod", "production", "prd"}
var nonProdWords = []string{"test", "dev", "qa", "staging", "sandbox", "uat", "preprod", "nonprod"}

// looksProd guesses from names whether a deploy targets production.
func looksProd(rank int, names ...string) bool {
	var words []string
	for _, n := range names {
		words = append(words, strings.FieldsFunc(strings.ToLower(n), func(r rune) bool {
			return !unicode.IsLetter(r) && !unicode.IsDigit(r)
		})...)
	}
	for _, w := range words {
		if contains(prodWords, w) {
			return true
		}
	}
	if rank < 3 {
		return false
	}
	for _, w := range words {
		if contains(nonProdWords, w) {
			return false
		}
	}
	return true
}
