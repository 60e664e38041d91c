#!/usr/bin/env bash
# Starts (or stops) a throwaway PostgreSQL cluster and a Redis server on loopback, for the
# test suite and the production-like run. Installs the Debian packages when they are missing.
#   scripts/services.sh start   -> prints `export DATABASE_URL=… REDIS_URL=…` lines
#   scripts/services.sh stop
#   scripts/services.sh pgdata  -> the PostgreSQL cluster's folder
# Both are stopped by their PID files, never by name.
set -euo pipefail
cd "$(dirname "$0")/.."
RUN_DIR=${SERVICES_DIR:-$PWD/var/services}
PG_PORT=${PG_PORT:-5433}
REDIS_PORT=${REDIS_PORT:-6380}

# PostgreSQL runs as the postgres user, which cannot enter a checkout in root's home or in a
# folder made by `mktemp -d` (mode 700). Its cluster then lives in a folder of its own under
# /var/tmp, named after the checkout, so two checkouts never share one.
pg_dir() {
  if runuser -u postgres -- test -w "$RUN_DIR" 2>/dev/null; then
    echo "$RUN_DIR"
  else
    echo "/var/tmp/events_platform-$(printf '%s' "$RUN_DIR" | sha256sum | cut -c1-12)"
  fi
}

start() {
  scripts/apt-install.sh postgresql redis-server >&2
  mkdir -p "$RUN_DIR"
  chown postgres:postgres "$RUN_DIR" 2>/dev/null || true
  local pg_run PG_DATA
  pg_run=$(pg_dir)
  PG_DATA=$pg_run/pgdata
  PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
  if [ ! -f "$PG_DATA/PG_VERSION" ]; then
    mkdir -p "$PG_DATA"
    chown -R postgres:postgres "$pg_run" 2>/dev/null || true
    chmod 700 "$PG_DATA"
    runuser -u postgres -- "$PGBIN/initdb" -D "$PG_DATA" -U postgres -A trust --no-sync >/dev/null
  fi
  if ! runuser -u postgres -- "$PGBIN/pg_ctl" -D "$PG_DATA" status >/dev/null 2>&1; then
    runuser -u postgres -- "$PGBIN/pg_ctl" -D "$PG_DATA" -w -l "$pg_run/postgres.log" \
      -o "-c listen_addresses=127.0.0.1 -p $PG_PORT -k $PG_DATA -c fsync=off -c max_connections=300" \
      start >/dev/null
  fi
  runuser -u postgres -- psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -tAc \
    "SELECT 1 FROM pg_database WHERE datname='events_platform'" | grep -q 1 ||
    runuser -u postgres -- psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -qc \
      "CREATE DATABASE events_platform" >/dev/null
  if ! { [ -f "$RUN_DIR/redis.pid" ] && kill -0 "$(cat "$RUN_DIR/redis.pid")" 2>/dev/null; }; then
    redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --daemonize yes --save '' \
      --appendonly no --pidfile "$RUN_DIR/redis.pid" --logfile "$RUN_DIR/redis.log" >/dev/null
    for _ in $(seq 50); do [ -f "$RUN_DIR/redis.pid" ] && break; sleep 0.1; done
  fi
  echo "export DATABASE_URL=postgresql://postgres@127.0.0.1:$PG_PORT/events_platform"
  echo "export REDIS_URL=redis://127.0.0.1:$REDIS_PORT/0"
}

stop() {
  local PG_DATA
  PG_DATA=$(pg_dir)/pgdata
  if [ -f "$PG_DATA/postmaster.pid" ]; then
    PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
    runuser -u postgres -- "$PGBIN/pg_ctl" -D "$PG_DATA" -m fast -w stop >/dev/null || true
  fi
  if [ -f "$RUN_DIR/redis.pid" ]; then
    kill "$(cat "$RUN_DIR/redis.pid")" 2>/dev/null || true
    rm -f "$RUN_DIR/redis.pid"
  fi
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  pgdata) echo "$(pg_dir)/pgdata" ;;
  *) echo "usage: $0 start|stop|pgdata" >&2; exit 2 ;;
esac
