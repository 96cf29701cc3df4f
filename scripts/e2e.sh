#!/usr/bin/env bash
# Runs the dashboard's end-to-end tests in Debian's Chromium against a real
# `gennaker up --demo`: installs Chromium from Debian's packages when it is missing (as
# root), builds the binaries and the dashboard (`make build`), installs the frontend's
# packages when missing, then `npm run e2e`. The runner (frontend/e2e/run.mjs) starts the
# server on free ports with a fresh state directory and stops it with every demo process;
# this script only makes sure nothing of that run survives it, even when the runner dies.
# Fails (non-zero) when Chromium cannot be had: it never skips the tests.
#
#   scripts/e2e.sh [name-filter]        E2E_OUT=DIR keeps the screenshots there
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

chromium=${CHROMIUM:-/usr/bin/chromium}
if [ ! -x "$chromium" ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "e2e: FAILED: $chromium is missing and this is not root: install it with 'apt-get install -y chromium' (Debian) or set CHROMIUM" >&2
    exit 1
  fi
  log=$(mktemp /tmp/gennaker-chromium-install.XXXXXX.log)
  echo "== installing Chromium from Debian's packages (log: $log)"
  if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; } >"$log" 2>&1 || [ ! -x "$chromium" ]; then
    tail -20 "$log" >&2
    echo "e2e: FAILED: could not install Chromium (full log: $log)" >&2
    exit 1
  fi
fi
echo "== $("$chromium" --version 2>/dev/null || echo "$chromium")"

echo "== make build"
make --no-print-directory build >/tmp/gennaker-e2e-build.log 2>&1 || { tail -30 /tmp/gennaker-e2e-build.log >&2; echo "e2e: FAILED: make build (log: /tmp/gennaker-e2e-build.log)" >&2; exit 1; }

if [ ! -d frontend/node_modules ]; then
  echo "== npm ci"
  (cd frontend && npm ci --no-audit --no-fund)
fi

# The runner picks the ports and starts the server; the state directory is chosen here so
# that whatever the runner leaves behind (killed, crashed) can be found and stopped.
state=$(mktemp -d /tmp/gennaker-e2e-state.XXXXXX)
export E2E_OUT=${E2E_OUT:-$(mktemp -d /tmp/gennaker-e2e.XXXXXX)}
runner=
leftovers() {
  local p
  for p in $(grep -lsz "^GENNAKER_LOCAL_STATE=$state" /proc/[0-9]*/environ 2>/dev/null | cut -d/ -f3); do
    [ "$p" != $$ ] && echo "$p"
  done
}
cleanup() {
  local status=$? pids
  # The runner is the leader of its own process group (npm, node): TERM makes it stop its
  # server and browser; KILL whatever of the group is left after 20 s.
  if [ -n "$runner" ] && kill -0 -- "-$runner" 2>/dev/null; then
    kill -TERM -- "-$runner" 2>/dev/null || true
    for _ in $(seq 40); do kill -0 -- "-$runner" 2>/dev/null || break; sleep 0.5; done
    kill -KILL -- "-$runner" 2>/dev/null || true
  fi
  # gennaker itself (its command line names the state directory), then its instances.
  servers=$(pgrep -f -- "--state-dir $state( |$)" || true)
  if [ -n "$servers" ]; then kill $servers 2>/dev/null || true; sleep 1; fi
  pids=$(leftovers)
  if [ -n "$pids" ]; then
    echo "e2e: stopping processes left behind: $pids" >&2
    kill $pids 2>/dev/null || true
    sleep 2
    pids=$(leftovers)
    [ -n "$pids" ] && kill -9 $pids 2>/dev/null || true
  fi
  rm -rf "$state"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

echo "== npm run e2e (screenshots in $E2E_OUT)"
started=$(date +%s)
(cd frontend && E2E_NO_SKIP=1 E2E_STATE_DIR="$state" CHROMIUM="$chromium" GENNAKER_BIN="$root/bin/gennaker" exec setsid npm run --silent e2e -- "${1:-}") &
runner=$!
wait "$runner"
echo "== e2e passed in $(($(date +%s) - started)) s; screenshots in $E2E_OUT"
