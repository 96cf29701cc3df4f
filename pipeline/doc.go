// Package pipeline is the pure domain of Gennaker pipelines: their
// definitions (Spinnaker's JSON shape and names), the table of known stage
// types, validation that lists every problem at once, the DAG decisions the
// engine takes (which stages are ready, whether an execution is finished and
// with which status), `${...}` expressions evaluated with expr-lang/expr,
// trigger-time parameters, execution windows and guardrail lint.
//
// Nothing here does I/O: no database, network or files, and no package state
// that changes what a function returns. The one piece of package state is a
// bounded, concurrency-safe cache of compiled expressions, which only saves
// work. Time zones are resolved with the time package; the IANA database is
// embedded (time/tzdata) so that results do not depend on the host.
//
// Decisions follow Spinnaker's orca where the brief and the reference agree;
// where Gennaker differs, the doc comment of the function says so.
//
// An empty pipeline (no stages) is valid, as in Spinnaker: it succeeds as soon
// as it starts. Lint warns about it.
package pipeline
