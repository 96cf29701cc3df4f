package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
)

func runJudge(ctx context.Context, args []string) error {
	return judgeStage(ctx, args, os.Stdout, os.Stderr, os.Getenv)
}

const judgeUsage = `Usage: gennaker judge <stage-id> --continue|--stop [--input value] [--comment text] [--url URL]

Answers a manual judgment that is waiting. The stage id is the one 'gennaker run --watch'
prints.

Flags:
`

// judgeStage is `gennaker judge`: it writes to out, usage to errOut, and reads GENNAKER_URL
// with getenv.
func judgeStage(ctx context.Context, args []string, out, errOut io.Writer, getenv func(string) string) error {
	fs := flag.NewFlagSet("judge", flag.ContinueOnError)
	fs.SetOutput(errOut)
	fs.Usage = func() { fmt.Fprint(fs.Output(), judgeUsage); fs.PrintDefaults() }
	var cf clientFlags
	cf.register(fs, getenv)
	cont := fs.Bool("continue", false, "let the pipeline go on")
	stop := fs.Bool("stop", false, "stop the pipeline: the judgment ends TERMINAL")
	input := fs.String("input", "", "one of the judgment's choices, when it offers some")
	comment := fs.String("comment", "", "why, recorded with the answer")
	pos, err := parseInterleaved(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		fs.Usage()
		return fmt.Errorf("want one <stage-id>, got %d arguments", len(pos))
	}
	if *cont == *stop {
		return fmt.Errorf("give exactly one of --continue and --stop")
	}
	judgment := "CONTINUE"
	if *stop {
		judgment = "STOP"
	}
	in := map[string]any{"id": pos[0], "judgment": judgment, "comment": *comment}
	if *input != "" {
		in["input"] = *input
	}
	var res struct {
		JudgeStage struct {
			Execution struct {
				ID, Status string
				Stages     []struct{ ID, Name string }
			}
		}
	}
	c := newClient(cf)
	if err := c.Do(ctx, `mutation($in: JudgeStageInput!) { judgeStage(input: $in) { execution { id status stages { id name } } } }`,
		map[string]any{"in": in}, &res); err != nil {
		return apiError("answering judgment "+pos[0], err)
	}
	e := res.JudgeStage.Execution
	name := pos[0]
	for _, s := range e.Stages {
		if s.ID == pos[0] {
			name = fmt.Sprintf("%q", s.Name)
		}
	}
	fmt.Fprintf(out, "Answered %s with %s; execution %s is %s\n", name, judgment, e.ID, e.Status)
	return nil
}
