#!/usr/bin/env bash
# A private MariaDB for tests: `scripts/mariadb.sh start DIR` installs MariaDB from Debian's
# packages when missing (as root), starts it on 127.0.0.1 with its data under DIR, creates a
# user with every privilege on test databases, and prints the URL for GENNAKER_TEST_MYSQL_URL.
# `scripts/mariadb.sh stop DIR` stops it. Nothing outside DIR is touched.
set -euo pipefail
cmd=${1:?usage: mariadb.sh start|stop DIR}
dir=${2:?usage: mariadb.sh start|stop DIR}

log() { echo "mariadb.sh: $*" >&2; }

if [ "$cmd" = stop ]; then
  if [ -f "$dir/pid" ]; then
    pid=$(cat "$dir/pid")
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  fi
  exit 0
fi

if ! command -v mariadbd >/dev/null 2>&1; then
  if [ "$(id -u)" != 0 ]; then
    log "MariaDB is not installed and this is not root: install mariadb-server first"; exit 1
  fi
  log "installing mariadb-server from Debian's packages"
  export DEBIAN_FRONTEND=noninteractive
  mkdir -p "$dir"
  { apt-get update -qq || true; apt-get install -y -qq mariadb-server; } >"$dir/apt.log" 2>&1 ||
    { tail -30 "$dir/apt.log" >&2; exit 1; }
fi

mkdir -p "$dir"
port=${MARIADB_PORT:-$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')}
if [ ! -d "$dir/data/mysql" ]; then
  mariadb-install-db --no-defaults --datadir="$dir/data" --user=root \
    --auth-root-authentication-method=socket --skip-test-db >"$dir/install.log" 2>&1 ||
    { cat "$dir/install.log" >&2; exit 1; }
fi
mariadbd --no-defaults --user=root --datadir="$dir/data" --socket="$dir/sock" --port="$port" \
  --bind-address=127.0.0.1 --pid-file="$dir/pid" --log-error="$dir/err.log" --skip-name-resolve \
  --innodb-flush-log-at-trx-commit=1 --max-connections=500 >/dev/null 2>&1 &
for _ in $(seq 1 200); do
  mariadb-admin -S "$dir/sock" -uroot ping >/dev/null 2>&1 && break
  sleep 0.1
done
mariadb-admin -S "$dir/sock" -uroot ping >/dev/null 2>&1 || { log "MariaDB did not start:"; tail -20 "$dir/err.log" >&2; exit 1; }
mariadb -S "$dir/sock" -uroot <<SQL
CREATE USER IF NOT EXISTS 'gennaker'@'127.0.0.1' IDENTIFIED BY 'gennaker';
GRANT ALL PRIVILEGES ON *.* TO 'gennaker'@'127.0.0.1';
CREATE DATABASE IF NOT EXISTS gennaker CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;
SQL
echo "mysql://gennaker:gennaker@127.0.0.1:$port/gennaker"
