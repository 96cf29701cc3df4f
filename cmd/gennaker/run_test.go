package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gennaker/gennaker/client"
	"github.com/gennaker/gennaker/client/clienttest"
)

// output is a goroutine-safe writer that can be waited on.
type output struct {
	mu   sync.Mutex
	buf  bytes.Buffer
	wake chan struct{}
}

func newOutput() *output { return &output{wake: make(chan struct{}, 1)} }

func (o *output) Write(p []byte) (int, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	select {
	case o.wake <- struct{}{}:
	default:
	}
	return o.buf.Write(p)
}

func (o *output) String() string {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.buf.String()
}

// waitFor waits until the output matches re, and returns the match's groups.
func (o *output) waitFor(t *testing.T, ctx context.Context, re *regexp.Regexp) []string {
	t.Helper()
	for {
		if m := re.FindStringSubmatch(o.String()); m != nil {
			return m
		}
		select {
		case <-o.wake:
		case <-ctx.Done():
			t.Fatalf("waiting for %q: %v; output so far:\n%s", re, ctx.Err(), o.String())
		}
	}
}

func noEnv(string) string { return "" }

var judgeLine = regexp.MustCompile(`continue: gennaker judge (\S+) --continue --url (\S+)\n`)

// startWatch runs `gennaker run <app>/ship --watch` against a fresh stack in a goroutine,
// and returns its output, its result, and the judgment's stage id once it is waiting.
func startWatch(t *testing.T, ctx context.Context) (stack *clienttest.Stack, out *output, result chan error, stageID string) {
	stack = clienttest.Start(t)
	p := clienttest.JudgmentPipeline(t, stack.Client())
	out, result = newOutput(), make(chan error, 1)
	go func() {
		result <- runPipeline(ctx, []string{p.Application + "/" + p.Name, "--watch", "--reason", "test", "--url", stack.URL}, out, io.Discard, noEnv)
	}()
	m := out.waitFor(t, ctx, judgeLine)
	if m[2] != stack.URL {
		t.Errorf("got --url %s in the hint, want %s", m[2], stack.URL)
	}
	if !strings.Contains(out.String(), `Manual judgment "Approve" is waiting: Check the canary dashboard.`) {
		t.Errorf("the instructions are missing:\n%s", out.String())
	}
	return stack, out, result, m[1]
}

func waitResult(t *testing.T, ctx context.Context, result chan error, out *output) error {
	t.Helper()
	select {
	case err := <-result:
		return err
	case <-ctx.Done():
		t.Fatalf("gennaker run did not end: %v; output:\n%s", ctx.Err(), out.String())
		return nil
	}
}

func TestRunWatchContinue(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	stack, out, result, stageID := startWatch(t, ctx)

	judged := newOutput()
	// The URL from GENNAKER_URL this time.
	env := func(k string) string {
		if k == "GENNAKER_URL" {
			return stack.URL
		}
		return ""
	}
	if err := judgeStage(ctx, []string{stageID, "--continue", "--comment", "canary is fine"}, judged, io.Discard, env); err != nil {
		t.Fatalf("judging: %v", err)
	}
	if got := judged.String(); !strings.HasPrefix(got, `Answered "Approve" with CONTINUE; execution `) {
		t.Errorf("got judge output %q", got)
	}
	if err := waitResult(t, ctx, result, out); err != nil {
		t.Fatalf("got %v, want success; output:\n%s", err, out.String())
	}
	text := out.String()
	t.Logf("output:\n%s", text)
	lines := strings.Split(text, "\n")
	if !strings.HasPrefix(lines[0], "RXhlY3V0aW9u") { // base64 of "Execution"
		t.Errorf("got first line %q, want the execution's id", lines[0])
	}
	for _, want := range []*regexp.Regexp{
		regexp.MustCompile(`(?m)^  RUNNING +Approve`),
		regexp.MustCompile(`(?m)^  SUCCEEDED +Approve +\d`),
		regexp.MustCompile(`(?m)^  SUCCEEDED +Deploy +\d`),
		regexp.MustCompile(`(?m)^execution SUCCEEDED$`),
	} {
		if !want.MatchString(text) {
			t.Errorf("output lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "\x1b[") {
		t.Errorf("escape sequences written to a pipe:\n%q", text)
	}
}

func TestRunWatchStop(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	stack, out, result, stageID := startWatch(t, ctx)
	if err := judgeStage(ctx, []string{stageID, "--stop", "--comment", "errors up", "--url", stack.URL}, newOutput(), io.Discard, noEnv); err != nil {
		t.Fatalf("judging: %v", err)
	}
	err := waitResult(t, ctx, result, out)
	if err == nil || !strings.Contains(err.Error(), "ended TERMINAL") || !strings.Contains(err.Error(), "errors up") {
		t.Fatalf("got %v, want the execution ended TERMINAL with the judge's comment", err)
	}
	// A second answer is refused: the judgment is no longer waiting.
	err = judgeStage(ctx, []string{stageID, "--continue", "--url", stack.URL}, newOutput(), io.Discard, noEnv)
	if !errors.Is(err, client.ErrConflict) || !strings.Contains(err.Error(), "[CONFLICT at judgeStage]") {
		t.Fatalf("judging twice: got %v, want CONFLICT in words", err)
	}
}

func TestRunWithoutWatch(t *testing.T) {
	t.Parallel()
	stack := clienttest.Start(t)
	p := clienttest.JudgmentPipeline(t, stack.Client())
	out := newOutput()
	ctx := context.Background()
	if err := runPipeline(ctx, []string{"--url", stack.URL, p.Application + "/" + p.Name}, out, io.Discard, noEnv); err != nil {
		t.Fatalf("running: %v", err)
	}
	if got := strings.TrimSpace(out.String()); strings.Contains(got, "\n") || !strings.HasPrefix(got, "RXhlY3V0aW9u") {
		t.Errorf("got output %q, want the execution's id alone", got)
	}
}

func TestCommandErrors(t *testing.T) {
	t.Parallel()
	stack := clienttest.Start(t)
	p := clienttest.JudgmentPipeline(t, stack.Client())
	url := []string{"--url", stack.URL}
	for _, tc := range []struct {
		name string
		run  func([]string) error
		args []string
		want []string
	}{
		{"no argument", runCmd, nil, []string{"want one <application>/<pipeline>"}},
		{"no slash", runCmd, []string{"ship"}, []string{`want <application>/<pipeline>, got "ship"`}},
		{"bad param", runCmd, []string{p.Application + "/ship", "--param", "novalue"}, []string{"want name=value"}},
		{"unknown application", runCmd, []string{"nosuchapp/ship"}, []string{`no application is called "nosuchapp"`}},
		{"unknown pipeline", runCmd, []string{p.Application + "/nope"}, []string{`no pipeline "nope"; it has: ship`}},
		{"judge both", judgeCmd, []string{"x", "--continue", "--stop"}, []string{"exactly one of --continue and --stop"}},
		{"judge bad id", judgeCmd, []string{"not-an-id", "--continue"}, []string{"answering judgment not-an-id: ", "[BAD_USER_INPUT INVALID_ID at judgeStage]"}},
		{"unknown param", runCmd, []string{p.Application + "/ship", "--param", "colour=blue", "--param", "size=xl"},
			[]string{"2 problems in the input [BAD_USER_INPUT at triggerPipeline]", "\n  input.parameters.colour: ", "[UNKNOWN_PARAMETER]", "\n  input.parameters.size: "}},
		// The last --url wins.
		{"no server", runCmd, []string{"a/b", "--url", "http://127.0.0.1:1"}, []string{"finding application a: posting to http://127.0.0.1:1/graphql"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.run(append(append([]string{}, url...), tc.args...))
			if err == nil {
				t.Fatal("got no error")
			}
			t.Logf("error reads: %v", err)
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("got %q, want it to contain %q", err, w)
				}
			}
		})
	}
}

func runCmd(args []string) error {
	return runPipeline(context.Background(), args, newOutput(), io.Discard, noEnv)
}

func judgeCmd(args []string) error {
	return judgeStage(context.Background(), args, newOutput(), io.Discard, noEnv)
}
