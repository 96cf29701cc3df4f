#!/usr/bin/env bash
# A private moto (AWS emulator) server for tests: `scripts/moto.sh start DIR` starts
# `python3 -m moto.server` on a free port of 127.0.0.1 with its pid and log under DIR, waits
# until it answers, and prints its URL for GENNAKER_TEST_MOTO_URL. `scripts/moto.sh stop DIR`
# stops it. Nothing outside DIR is touched. Tests reset its state with POST /moto-api/reset.
set -euo pipefail
cmd=${1:?usage: moto.sh start|stop DIR}
dir=${2:?usage: moto.sh start|stop DIR}

log() { echo "moto.sh: $*" >&2; }

if [ "$cmd" = stop ]; then
  if [ -f "$dir/pid" ]; then
    pid=$(cat "$dir/pid")
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
    rm -f "$dir/pid"
  fi
  exit 0
fi

if ! python3 -c 'import moto.server' 2>/dev/null; then
  log "moto is not installed: pip install 'moto[server]' (5.x) to run the aws driver's tests"; exit 1
fi
mkdir -p "$dir"
port=${MOTO_PORT:-$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')}
python3 -m moto.server -H 127.0.0.1 -p "$port" >"$dir/moto.log" 2>&1 &
echo $! >"$dir/pid"
for _ in $(seq 1 200); do
  curl -fsS -o /dev/null "http://127.0.0.1:$port/moto-api/data.json" 2>/dev/null && break
  kill -0 "$(cat "$dir/pid")" 2>/dev/null || { log "moto exited:"; tail -20 "$dir/moto.log" >&2; exit 1; }
  sleep 0.1
done
curl -fsS -o /dev/null "http://127.0.0.1:$port/moto-api/data.json" || { log "moto did not answer:"; tail -20 "$dir/moto.log" >&2; exit 1; }
echo "http://127.0.0.1:$port"
