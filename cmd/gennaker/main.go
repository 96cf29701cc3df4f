// Command gennaker is Gennaker's single binary: `gennaker up` runs everything in one process
// for a laptop; `gennaker api` and `gennaker engine` are the two halves for production;
// `gennaker migrate` applies or lists schema migrations.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

const usage = `gennaker — continuous delivery in the tradition of Spinnaker

Usage:
  gennaker up       run everything in one process: embedded NATS, SQLite, API, engine, dashboard
  gennaker api      run the GraphQL API server against external NATS and a database
  gennaker engine   run an engine worker against external NATS and a database
  gennaker migrate  apply schema migrations (up) or list them (status)

Run 'gennaker <command> --help' for the flags of a command. Every flag has a GENNAKER_*
environment variable as its default.
`

func main() {
	if len(os.Args) < 2 {
		fmt.Fprint(os.Stderr, usage)
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	var err error
	switch os.Args[1] {
	case "up":
		err = runUp(ctx, os.Args[2:])
	case "api":
		err = runAPI(ctx, os.Args[2:])
	case "engine":
		err = runEngine(ctx, os.Args[2:])
	case "migrate":
		err = runMigrate(ctx, os.Args[2:])
	case "-h", "--help", "help":
		fmt.Print(usage)
		return
	default:
		fmt.Fprintf(os.Stderr, "gennaker: unknown command %q\n\n%s", os.Args[1], usage)
		os.Exit(2)
	}
	if err != nil && !errors.Is(err, flag.ErrHelp) {
		fmt.Fprintf(os.Stderr, "gennaker %s: %v\n", os.Args[1], err)
		os.Exit(1)
	}
}
