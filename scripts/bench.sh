#!/usr/bin/env bash
# Runs the benchmarks quoted in docs/benchmarks.md against SQLite and a private MariaDB
# (started with scripts/mariadb.sh, fsync on every commit), each COUNT times (default 5),
# then prints the median of every figure. The raw `go test -bench` output is kept in
# OUT (default /tmp/gennaker-bench-results) for benchstat. About 8 minutes on 2 cores.
#   COUNT=5 OUT=/tmp/gennaker-bench-results ./scripts/bench.sh
set -euo pipefail
cd "$(dirname "$0")/.."
count=${COUNT:-5}
out=${OUT:-/tmp/gennaker-bench-results}
mkdir -p "$out"
raw="$out/bench.txt"
: >"$raw"

tmp=$(mktemp -d /tmp/gennaker-bench.XXXXXX)
cleanup() {
  scripts/mariadb.sh stop "$tmp/mariadb" || true
  rm -rf "$tmp"
}
trap cleanup EXIT

echo "== starting a private MariaDB (innodb_flush_log_at_trx_commit=1)"
GENNAKER_TEST_MYSQL_URL=$(scripts/mariadb.sh start "$tmp/mariadb")
export GENNAKER_TEST_MYSQL_URL GENNAKER_TEST_REQUIRE_MYSQL=1
echo "== building nats-server from go.mod"
go build -o "$tmp/nats-server" github.com/nats-io/nats-server/v2
export GENNAKER_BENCH_NATS_SERVER="$tmp/nats-server"

{
  echo "# $(date -u +%FT%TZ) $(git rev-parse --short HEAD) $(go version)"
  echo "# nproc=$(nproc) cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | xargs) mem=$(free -g | awk '/Mem:/{print $2}')G"
} | tee -a "$raw"

bench() { # package, -bench pattern, -benchtime
  echo "== go test -bench '$2' -benchtime $3 -count $count $1"
  go test -run '^$' -bench "$2" -benchtime "$3" -count "$count" -timeout 30m "$1" 2>&1 | tee -a "$raw" | grep -E '^(Benchmark|--- FAIL|FAIL|panic)' || true
}

bench ./resolvers '^BenchmarkClusterView$' 1s
bench ./engine '^BenchmarkEngineThroughput$/.*/inflight=1$' 40x
bench ./engine '^BenchmarkEngineThroughput$/.*/inflight=50$' 200x
bench ./engine '^BenchmarkSubscriberLatency$' 1s
bench ./cmd/gennaker '^BenchmarkUp$' 1x

if grep -qE '^(--- FAIL|FAIL|panic)' "$raw"; then
  echo "a benchmark failed: see $raw"; exit 1
fi

echo
echo "== medians over $count runs (raw output: $raw)"
awk '
  /^Benchmark/ {
    name = $1; sub(/-[0-9]+$/, "", name)
    if (!(name in seen)) { seen[name] = 1; order[++n] = name }
    for (i = 3; i < NF; i += 2) {
      key = name SUBSEP $(i+1)
      if (!(key in units)) { units[key] = 1; ulist[name] = ulist[name] " " $(i+1) }
      vals[key] = vals[key] " " $i
    }
  }
  function median(s,   a, k, i, j, t) {
    k = split(s, a, " ")
    for (i = 2; i <= k; i++) { t = a[i]; for (j = i - 1; j >= 1 && a[j] + 0 > t + 0; j--) a[j+1] = a[j]; a[j+1] = t }
    return (k % 2) ? a[(k+1)/2] : (a[k/2] + a[k/2+1]) / 2
  }
  END {
    for (x = 1; x <= n; x++) {
      name = order[x]; printf "%s\n", name
      m = split(ulist[name], us, " ")
      for (y = 1; y <= m; y++) printf "    %-22s %14.4g\n", us[y], median(vals[name SUBSEP us[y]])
    }
  }' "$raw"
