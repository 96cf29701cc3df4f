package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/gennaker/gennaker/client"
	"github.com/gennaker/gennaker/pipeline"
)

// defaultURL is the API of `gennaker up`.
const defaultURL = "http://127.0.0.1:8080"

func runRun(ctx context.Context, args []string) error {
	return runPipeline(ctx, args, os.Stdout, os.Stderr, os.Getenv)
}

// paramFlag collects repeated --param k=v.
type paramFlag map[string]string

func (p paramFlag) String() string {
	keys := make([]string, 0, len(p))
	for k := range p {
		keys = append(keys, k+"="+p[k])
	}
	sort.Strings(keys)
	return strings.Join(keys, ",")
}

func (p paramFlag) Set(v string) error {
	k, val, ok := strings.Cut(v, "=")
	if !ok || k == "" {
		return fmt.Errorf("want name=value, got %q", v)
	}
	p[k] = val
	return nil
}

// clientFlags is what every client command takes.
type clientFlags struct {
	url string
}

func (c *clientFlags) register(fs *flag.FlagSet, getenv func(string) string) {
	def := getenv("GENNAKER_URL")
	if def == "" {
		def = defaultURL
	}
	fs.StringVar(&c.url, "url", def, "the Gennaker server (GENNAKER_URL)")
}

func newClient(cf clientFlags) *client.Client { return client.New(cf.url) }

// judgeHint is the --url part of a suggested command, empty for the default server.
func (c *clientFlags) judgeHint() string {
	if c.url == defaultURL {
		return ""
	}
	return " --url " + c.url
}

// parseInterleaved parses flags placed before, between or after positional arguments,
// and returns the positional ones.
func parseInterleaved(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

const runUsage = `Usage: gennaker run <application>/<pipeline> [--param name=value ...] [--reason text] [--watch] [--url URL]

Triggers a pipeline and prints the execution's id. With --watch, shows each stage's status
and duration live, prints what a manual judgment asks and the command that answers it, and
exits 0 when the execution SUCCEEDED, 1 otherwise.

Flags:
`

// runPipeline is `gennaker run`: it writes to out, usage to errOut, and reads GENNAKER_URL
// with getenv.
func runPipeline(ctx context.Context, args []string, out, errOut io.Writer, getenv func(string) string) error {
	fs := flag.NewFlagSet("run", flag.ContinueOnError)
	fs.SetOutput(errOut)
	fs.Usage = func() { fmt.Fprint(fs.Output(), runUsage); fs.PrintDefaults() }
	var cf clientFlags
	cf.register(fs, getenv)
	params := paramFlag{}
	fs.Var(params, "param", "a pipeline parameter as name=value (repeatable)")
	reason := fs.String("reason", "", "why, recorded with the execution")
	watch := fs.Bool("watch", false, "follow the execution until it ends")
	pos, err := parseInterleaved(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		fs.Usage()
		return fmt.Errorf("want one <application>/<pipeline>, got %d arguments", len(pos))
	}
	app, name, ok := strings.Cut(pos[0], "/")
	if !ok || app == "" || name == "" {
		return fmt.Errorf("want <application>/<pipeline>, got %q", pos[0])
	}
	c := newClient(cf)
	pipelineID, err := findPipeline(ctx, c, app, name)
	if err != nil {
		return err
	}
	var trig struct {
		TriggerPipeline struct {
			Execution struct{ ID string }
			Warnings  []struct{ Path, Code, Message string }
		}
	}
	in := map[string]any{"pipelineId": pipelineID, "reason": *reason}
	if len(params) > 0 {
		in["parameters"] = map[string]string(params)
	}
	if err := c.Do(ctx, `mutation($in: TriggerPipelineInput!) { triggerPipeline(input: $in) {
		execution { id } warnings { path code message } } }`, map[string]any{"in": in}, &trig); err != nil {
		return apiError("triggering "+pos[0], err)
	}
	execID := trig.TriggerPipeline.Execution.ID
	fmt.Fprintln(out, execID)
	for _, w := range trig.TriggerPipeline.Warnings {
		fmt.Fprintf(out, "warning: %s (%s at %s)\n", w.Message, w.Code, w.Path)
	}
	if !*watch {
		return nil
	}
	return watchExecution(ctx, c, execID, newRenderer(out, isTerminal(out), cf.judgeHint()))
}

// findPipeline returns the global id of the application's pipeline called name.
func findPipeline(ctx context.Context, c *client.Client, app, name string) (string, error) {
	var res struct {
		Application *struct {
			Pipelines struct {
				Edges []struct {
					Node struct{ ID, Name string }
				}
			}
		}
	}
	err := c.Do(ctx, `query($name: String!) { application(name: $name) { pipelines(first: 100) { edges { node { id name } } } } }`,
		map[string]any{"name": app}, &res)
	if err != nil {
		return "", apiError("finding application "+app, err)
	}
	if res.Application == nil {
		return "", fmt.Errorf("no application is called %q", app)
	}
	var names []string
	for _, e := range res.Application.Pipelines.Edges {
		if e.Node.Name == name {
			return e.Node.ID, nil
		}
		names = append(names, e.Node.Name)
	}
	if len(names) == 0 {
		return "", fmt.Errorf("application %s has no pipeline %q; it has none", app, name)
	}
	return "", fmt.Errorf("application %s has no pipeline %q; it has: %s", app, name, strings.Join(names, ", "))
}

// executionView is what the watch subscription asks for.
type executionView struct {
	ID     string
	Status string
	Stages []stageView
}

type stageView struct {
	ID, Name, Type, Status string
	StartedAt, EndedAt     *time.Time
	Error                  *string
	Context                map[string]any
}

const watchSubscription = `subscription($id: ID!) { executionUpdated(executionId: $id) { version execution {
	id status stages { id name type status startedAt endedAt error context } } } }`

// errWatchDone ends the subscription once the execution has ended.
var errWatchDone = errors.New("execution ended")

// watchExecution follows an execution until it ends, rendering each change; it returns nil
// when it SUCCEEDED, and an error naming the status and the failed stages otherwise.
func watchExecution(ctx context.Context, c *client.Client, execID string, r *renderer) error {
	var last executionView
	version := 0
	stopTicker := r.tick()
	err := c.SubscribeForever(ctx, watchSubscription, map[string]any{"id": execID}, func(data json.RawMessage) error {
		var ev struct {
			ExecutionUpdated struct {
				Version   int
				Execution executionView
			}
		}
		if err := json.Unmarshal(data, &ev); err != nil {
			return fmt.Errorf("decoding an execution event: %w", err)
		}
		u := ev.ExecutionUpdated
		// After a reconnection the snapshot may repeat what was seen; drop anything older.
		if u.Version < version {
			return nil
		}
		version, last = u.Version, u.Execution
		r.update(last)
		if pipeline.Status(last.Status).IsComplete() {
			return errWatchDone
		}
		return nil
	})
	stopTicker()
	if !errors.Is(err, errWatchDone) {
		return apiError("watching execution "+execID, err)
	}
	r.finish(last)
	if last.Status == string(pipeline.Succeeded) {
		return nil
	}
	var why []string
	for _, s := range last.Stages {
		if s.Error != nil && *s.Error != "" {
			why = append(why, fmt.Sprintf("stage %s: %s", s.Name, *s.Error))
		}
	}
	if len(why) == 0 {
		return fmt.Errorf("execution %s ended %s", execID, last.Status)
	}
	return fmt.Errorf("execution %s ended %s: %s", execID, last.Status, strings.Join(why, "; "))
}

// renderer draws stage progress: redrawn in place on a terminal, appended otherwise.
type renderer struct {
	mu        sync.Mutex
	out       io.Writer
	tty       bool
	urlHint   string
	now       func() time.Time
	exec      executionView
	drawn     int               // lines drawn last time (terminal)
	printed   map[string]string // stage id → status last printed (append)
	announced map[string]bool   // judgment stage ids whose instructions were printed
}

func newRenderer(out io.Writer, tty bool, urlHint string) *renderer {
	return &renderer{out: out, tty: tty, urlHint: urlHint, now: time.Now,
		printed: map[string]string{}, announced: map[string]bool{}}
}

// tick redraws every second on a terminal, so running durations move; it returns stop.
func (r *renderer) tick() func() {
	if !r.tty {
		return func() {}
	}
	done := make(chan struct{})
	stopped := make(chan struct{})
	go func() {
		defer close(stopped)
		t := time.NewTicker(time.Second)
		defer t.Stop()
		for {
			select {
			case <-t.C:
				r.mu.Lock()
				if r.exec.ID != "" {
					r.redraw()
				}
				r.mu.Unlock()
			case <-done:
				return
			}
		}
	}()
	return func() { close(done); <-stopped }
}

func (r *renderer) update(e executionView) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.exec = e
	if r.tty {
		r.redraw()
		return
	}
	for _, s := range e.Stages {
		if r.printed[s.ID] == s.Status {
			continue
		}
		r.printed[s.ID] = s.Status
		fmt.Fprintln(r.out, r.stageLine(s))
		if s.Error != nil && *s.Error != "" {
			fmt.Fprintf(r.out, "    %s\n", *s.Error)
		}
	}
	for _, s := range e.Stages {
		if s.Type == "manualJudgment" && s.Status == string(pipeline.Running) && !r.announced[s.ID] {
			r.announced[s.ID] = true
			fmt.Fprint(r.out, r.judgmentText(s))
		}
	}
}

// redraw replaces the previous drawing with the current state; r.mu is held.
func (r *renderer) redraw() {
	var b strings.Builder
	if r.drawn > 0 {
		fmt.Fprintf(&b, "\x1b[%dA", r.drawn)
	}
	b.WriteString("\r\x1b[J")
	lines := 0
	for _, s := range r.exec.Stages {
		b.WriteString(r.stageLine(s) + "\n")
		lines++
		if s.Error != nil && *s.Error != "" {
			b.WriteString("    " + *s.Error + "\n")
			lines++
		}
	}
	for _, s := range r.exec.Stages {
		if s.Type == "manualJudgment" && s.Status == string(pipeline.Running) {
			text := r.judgmentText(s)
			b.WriteString(text)
			lines += strings.Count(text, "\n")
		}
	}
	r.drawn = lines
	io.WriteString(r.out, b.String())
}

// finish prints the execution's end.
func (r *renderer) finish(e executionView) {
	r.mu.Lock()
	defer r.mu.Unlock()
	fmt.Fprintf(r.out, "execution %s\n", e.Status)
}

func (r *renderer) stageLine(s stageView) string {
	return fmt.Sprintf("  %-11s %-30s %s", s.Status, s.Name, r.duration(s))
}

func (r *renderer) duration(s stageView) string {
	if s.StartedAt == nil {
		return ""
	}
	end := r.now()
	if s.EndedAt != nil {
		end = *s.EndedAt
	}
	d := end.Sub(*s.StartedAt)
	if d < time.Second {
		return d.Round(time.Millisecond).String()
	}
	if d < 10*time.Second {
		return d.Round(100 * time.Millisecond).String()
	}
	return d.Round(time.Second).String()
}

// judgmentText says what a waiting judgment asks and how to answer it.
func (r *renderer) judgmentText(s stageView) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Manual judgment %q is waiting", s.Name)
	if ins, _ := s.Context["instructions"].(string); ins != "" {
		fmt.Fprintf(&b, ": %s", strings.TrimSpace(ins))
	}
	b.WriteString("\n")
	inputFlag := ""
	if choices := judgmentChoices(s.Context); len(choices) > 0 {
		fmt.Fprintf(&b, "  choices: %s\n", strings.Join(choices, ", "))
		inputFlag = " --input <choice>"
	}
	fmt.Fprintf(&b, "  continue: gennaker judge %s --continue%s%s\n", s.ID, inputFlag, r.urlHint)
	fmt.Fprintf(&b, "  stop:     gennaker judge %s --stop%s\n", s.ID, r.urlHint)
	return b.String()
}

func judgmentChoices(ctx map[string]any) []string {
	list, _ := ctx["judgmentInputs"].([]any)
	var out []string
	for _, in := range list {
		if m, ok := in.(map[string]any); ok {
			if v, ok := m["value"].(string); ok {
				out = append(out, v)
			}
		}
	}
	return out
}

// isTerminal reports whether w is a character device, such as a terminal.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// cliError words an API error for a person: the message, the code, the path, and each
// input problem on its own line. It unwraps to the original.
type cliError struct {
	msg string
	err error
}

func (e *cliError) Error() string { return e.msg }
func (e *cliError) Unwrap() error { return e.err }

// apiError prefixes err with what was being done and words a *client.Error in full.
func apiError(doing string, err error) error {
	var gerr *client.Error
	if !errors.As(err, &gerr) {
		return fmt.Errorf("%s: %w", doing, err)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s: ", doing)
	for i, e := range append([]*client.Error{gerr}, gerr.Others...) {
		if i > 0 {
			b.WriteString("\n")
		}
		b.WriteString(e.Message)
		tags := e.Code()
		ps := e.Problems()
		if len(ps) == 1 {
			tags += " " + ps[0].Code
		}
		if p := e.PathString(); p != "" {
			tags += " at " + p
		}
		if tags = strings.TrimSpace(tags); tags != "" {
			fmt.Fprintf(&b, " [%s]", tags)
		}
		// One problem is the message already; several are listed, each at its path.
		if len(ps) > 1 {
			for _, p := range ps {
				fmt.Fprintf(&b, "\n  %s: %s [%s]", p.Path, p.Message, p.Code)
			}
		}
	}
	return &cliError{msg: b.String(), err: err}
}
