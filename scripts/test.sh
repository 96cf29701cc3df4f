#!/usr/bin/env bash
# Runs every test of Gennaker: Go tests against SQLite and a private MariaDB (installed from
# Debian's packages when missing and run as root), then the dashboard's tests when the
# frontend exists: Vitest, then the end-to-end tests in Chromium against a real
# `gennaker up --demo` (scripts/e2e.sh; Chromium is installed from Debian's packages when
# missing, and its absence fails the run). Everything it starts, it stops.
set -euo pipefail
cd "$(dirname "$0")/.."

tmp=$(mktemp -d /tmp/gennaker-test.XXXXXX)
cleanup() {
  scripts/mariadb.sh stop "$tmp/mariadb" || true
  rm -rf "$tmp"
}
trap cleanup EXIT

echo "== go vet"
go vet ./...
unformatted=$(gofmt -l $(git ls-files '*.go') 2>/dev/null || true)
if [ -n "$unformatted" ]; then echo "gofmt would change: $unformatted"; exit 1; fi

echo "== generated code is up to date"
before=$(git status --porcelain -- graph/)
go tool gqlgen generate
after=$(git status --porcelain -- graph/)
if [ "$before" != "$after" ]; then echo "graph/ is stale: run 'make generate' and commit"; git status --short -- graph/; exit 1; fi

echo "== starting a private MariaDB"
url=$(scripts/mariadb.sh start "$tmp/mariadb")
export GENNAKER_TEST_MYSQL_URL="$url" GENNAKER_TEST_REQUIRE_MYSQL=1

# The aws tests start their own moto (the AWS emulator) per test package: packages run at
# once and reset moto between tests, so one shared server would let them wipe each other's
# state. No moto is a failure of those tests, never a silent skip: they say it is missing.
unset GENNAKER_TEST_MOTO_URL

echo "== go test (SQLite and MariaDB, moto)"
go test -count=1 -timeout 20m ./... 2>&1 | tee "$tmp/go-test.log"
status=${PIPESTATUS[0]}
[ "$status" = 0 ] || exit "$status"

if [ -f frontend/package.json ]; then
  echo "== frontend tests"
  ( cd frontend && { [ -d node_modules ] || npm ci --no-audit --no-fund; } && npm test )
  echo "== end-to-end tests (Chromium against gennaker up --demo)"
  scripts/e2e.sh
fi
echo "all tests passed"
