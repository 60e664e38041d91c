#!/usr/bin/env bash
# A production-like run on loopback, for benchmarks and the end-to-end test:
# PostgreSQL and Redis (scripts/services.sh), gunicorn with N workers, two Celery worker
# processes and one beat, all with production settings (DJANGO_DEBUG=false, hashed and
# compressed static files, JSON logs). The workers and beat run under scripts/supervise.sh,
# which starts a process again when it dies (a crash, an unrecoverable broker error, a kill);
# gunicorn's master does the same for its web workers.
#   scripts/prod_like.sh start    migrate, collectstatic, start everything; prints the URL
#   scripts/prod_like.sh stop     stop everything by PID (and the services if it started them)
#   scripts/prod_like.sh status   what runs
# It is plain HTTP on 127.0.0.1, so the HTTPS redirect, HSTS and secure-only cookies are
# off here (DJANGO_SECURE_SSL_REDIRECT=false, DJANGO_SECURE_COOKIES=false,
# DJANGO_HSTS_SECONDS=0); everything else is as in production. Never expose it.
# Settings (see .env.example): PROD_LIKE_PORT (8100), PROD_LIKE_WEB_WORKERS (4),
# PROD_LIKE_WORKER_CONCURRENCY (2), PROD_LIKE_DB (events_prod_like), PROD_LIKE_DIR
# (var/prod-like); EMAIL_HOST/EMAIL_PORT/EMAIL_BACKEND pass through. Tasks go to the queue
# prod-like-<port> (and the cache prefix is the same), so two runs never share tasks.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
DIR=${PROD_LIKE_DIR:-$ROOT/var/prod-like}
case "$DIR" in /*) ;; *) DIR=$ROOT/$DIR ;; esac
PORT=${PROD_LIKE_PORT:-8100}
WEB_WORKERS=${PROD_LIKE_WEB_WORKERS:-4}
WORKER_CONCURRENCY=${PROD_LIKE_WORKER_CONCURRENCY:-2}
DB_NAME=${PROD_LIKE_DB:-events_prod_like}
PG_PORT=${PG_PORT:-5433}
VENV=$ROOT/.venv/bin
# Stopped in this order: web first (no new tasks), then beat, then the workers.
PROCESSES=(web beat worker1 worker2)

pid_of() { cat "$DIR/$1.pid" 2>/dev/null || true; }
alive() { local pid; pid=$(pid_of "$1"); [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; }

write_env() {
  mkdir -p "$DIR"
  if [ ! -s "$DIR/secret_key" ]; then
    (umask 077 && "$VENV/python" -c "import secrets; print(secrets.token_urlsafe(50))" \
      >"$DIR/secret_key")
  fi
  local services
  services=$(scripts/services.sh start)
  eval "$services"
  runuser -u postgres -- psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -tAc \
    "SELECT 1 FROM pg_database WHERE datname='$DB_NAME'" | grep -q 1 ||
    runuser -u postgres -- psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -qc \
      "CREATE DATABASE \"$DB_NAME\"" >/dev/null
  export DJANGO_DEBUG=false
  DJANGO_SECRET_KEY=$(cat "$DIR/secret_key")
  export DJANGO_SECRET_KEY
  export DJANGO_ALLOWED_HOSTS=127.0.0.1,localhost
  export DJANGO_CSRF_TRUSTED_ORIGINS="http://127.0.0.1:$PORT,http://localhost:$PORT"
  # Plain HTTP on loopback: no HTTPS redirect, no HSTS, cookies not marked secure.
  export DJANGO_SECURE_SSL_REDIRECT=false DJANGO_SECURE_COOKIES=false DJANGO_HSTS_SECONDS=0
  export SITE_URL="http://127.0.0.1:$PORT"
  export DATABASE_URL="${DATABASE_URL%/*}/$DB_NAME"
  export REDIS_URL
  export STATIC_ROOT="$DIR/static" EVENTS_VAR_DIR="$DIR/var" MEDIA_ROOT="$DIR/media"
  export LOG_FORMAT=${LOG_FORMAT:-json} LOG_LEVEL=${LOG_LEVEL:-INFO}
  export WEB_BIND="127.0.0.1:$PORT" WEB_CONCURRENCY=$WEB_WORKERS
  # A queue and cache prefix per port: two runs on one Redis never take each other's tasks.
  export CELERY_TASK_DEFAULT_QUEUE=${CELERY_TASK_DEFAULT_QUEUE:-prod-like-$PORT}
  export EVENTS_CACHE_KEY_PREFIX=${EVENTS_CACHE_KEY_PREFIX:-prod-like-$PORT}
  export PYTHONUNBUFFERED=1
  # The same settings for manage.py commands against this run (loading benchmark data):
  #   set -a; . var/prod-like/env; set +a; .venv/bin/python manage.py …
  local name
  (
    umask 077
    for name in DJANGO_DEBUG DJANGO_SECRET_KEY DJANGO_ALLOWED_HOSTS DJANGO_CSRF_TRUSTED_ORIGINS \
      DJANGO_SECURE_SSL_REDIRECT DJANGO_SECURE_COOKIES DJANGO_HSTS_SECONDS SITE_URL \
      DATABASE_URL REDIS_URL STATIC_ROOT EVENTS_VAR_DIR MEDIA_ROOT LOG_FORMAT LOG_LEVEL \
      EMAIL_HOST EMAIL_PORT EMAIL_BACKEND CELERY_TASK_DEFAULT_QUEUE EVENTS_CACHE_KEY_PREFIX; do
      if [ -n "${!name:-}" ]; then printf '%s=%s\n' "$name" "${!name}"; fi
    done >"$DIR/env"
  )
}

# Runs "$@" detached from this shell (its own session), logging to $DIR/<name>.log.
launch() {
  local name=$1
  shift
  setsid "$@" >>"$DIR/$name.log" 2>&1 </dev/null &
  echo $! >"$DIR/$name.pid"
}

start() {
  if alive web; then
    echo "Already running (scripts/prod_like.sh status); stop it first." >&2
    exit 1
  fi
  mkdir -p "$DIR"
  if [ ! -f "$DIR/services-started" ]; then
    # Remember whether PostgreSQL and Redis ran before, so `stop` leaves them as it found them.
    local redis_pid=${SERVICES_DIR:-$ROOT/var/services}/redis.pid
    if [ -f "$redis_pid" ] && kill -0 "$(cat "$redis_pid")" 2>/dev/null; then
      echo 0 >"$DIR/services-started"
    else
      echo 1 >"$DIR/services-started"
    fi
  fi
  scripts/setup.sh >&2
  write_env
  mkdir -p "$EVENTS_VAR_DIR" "$MEDIA_ROOT"
  echo "==> migrate and collectstatic (production settings)" >&2
  "$VENV/python" manage.py migrate --noinput -v 0
  "$VENV/python" manage.py collectstatic --noinput -v 0
  launch web "$VENV/gunicorn" config.wsgi --config docker/gunicorn.conf.py \
    --no-control-socket --workers "$WEB_WORKERS" --bind "127.0.0.1:$PORT"
  # <name>.pid is the supervisor's id, <name>.child.pid that of the Celery process it runs.
  for n in 1 2; do
    launch "worker$n" scripts/supervise.sh "$DIR/worker$n.child.pid" \
      "$VENV/celery" -A config worker --pool=prefork \
      --concurrency "$WORKER_CONCURRENCY" --hostname "prod-like-$PORT-$n@%h" \
      --without-mingle --without-gossip
  done
  launch beat scripts/supervise.sh "$DIR/beat.child.pid" \
    "$VENV/celery" -A config beat --pidfile= \
    --schedule "$EVENTS_VAR_DIR/celerybeat-schedule"
  # Ready when /healthz answers 200 (database and broker) and both workers said "ready.".
  for _ in $(seq 120); do
    if "$VENV/python" - "$PORT" <<'PY' 2>/dev/null && grep -q "ready\." "$DIR/worker1.log" && grep -q "ready\." "$DIR/worker2.log"; then
import sys, urllib.request
with urllib.request.urlopen(f"http://127.0.0.1:{sys.argv[1]}/healthz", timeout=2) as r:
    sys.exit(0 if r.status == 200 else 1)
PY
      echo "http://127.0.0.1:$PORT"
      return 0
    fi
    for name in "${PROCESSES[@]}"; do
      if ! alive "$name"; then
        echo "$name did not start; its log ($DIR/$name.log):" >&2
        tail -n 40 "$DIR/$name.log" >&2
        stop >&2
        exit 1
      fi
    done
    sleep 0.5
  done
  echo "Not ready after 60 s; logs in $DIR" >&2
  stop >&2
  exit 1
}

stop() {
  for name in "${PROCESSES[@]}"; do
    local pid
    pid=$(pid_of "$name")
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
      kill -TERM "$pid"
      # gunicorn and Celery finish what they are doing on SIGTERM (warm shutdown).
      for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
      if kill -0 "$pid" 2>/dev/null; then
        echo "$name ($pid) did not stop in 20 s; killing it" >&2
        # Its whole process group (launch gave it a session of its own): the supervisor
        # and the process it runs.
        kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
      fi
      echo "stopped $name ($pid)"
    fi
    rm -f "$DIR/$name.pid"
  done
  if [ "$(cat "$DIR/services-started" 2>/dev/null || echo 0)" = 1 ]; then
    scripts/services.sh stop
    echo "stopped PostgreSQL and Redis"
  fi
  rm -f "$DIR/services-started"
}

status() {
  local running=0
  for name in "${PROCESSES[@]}"; do
    local pid
    pid=$(pid_of "$name")
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
      local child
      child=$(cat "$DIR/$name.child.pid" 2>/dev/null || true)
      echo "$name: running (pid $pid${child:+, process $child}, log $DIR/$name.log)"
      running=$((running + 1))
    else
      echo "$name: not running"
    fi
  done
  local services_dir=${SERVICES_DIR:-$ROOT/var/services} pid
  pid=$(head -n 1 "$(scripts/services.sh pgdata)/postmaster.pid" 2>/dev/null || true)
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    echo "postgresql: running (pid $pid, 127.0.0.1:$PG_PORT, database $DB_NAME)"
  else
    echo "postgresql: not running"
  fi
  pid=$(cat "$services_dir/redis.pid" 2>/dev/null || true)
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    echo "redis: running (pid $pid)"
  else
    echo "redis: not running"
  fi
  if [ "$running" -gt 0 ]; then
    echo "URL: http://127.0.0.1:$PORT"
  fi
  [ "$running" = "${#PROCESSES[@]}" ]
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
