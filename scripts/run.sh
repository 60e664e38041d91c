#!/usr/bin/env bash
# Sets up, migrates, loads the demo data and starts the web server, a Celery worker and
# Celery beat in this terminal. Ctrl-C stops all three.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
PY=.venv/bin/python
HOST=${HOST:-127.0.0.1}
PORT=${PORT:-8000}
# The settings build every link (mails, PDFs, .ics files, pairing codes) from these when
# SITE_URL is not set, in the web server and in the Celery worker alike.
export HOST PORT
mkdir -p var

$PY manage.py migrate --noinput -v 0
$PY manage.py load_demo_data

pids=()
stop_all() {
  trap - INT TERM EXIT
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap stop_all INT TERM EXIT

$PY manage.py runserver "$HOST:$PORT" --noreload &
pids+=($!)
.venv/bin/celery -A config worker --pool=solo --loglevel=INFO --without-mingle --without-gossip &
pids+=($!)
.venv/bin/celery -A config beat --loglevel=INFO --pidfile= &
pids+=($!)

sleep 2
$PY manage.py demo_logins
echo "Press Ctrl-C to stop the web server, the worker and beat."
# Stop everything as soon as one of the three ends.
wait -n "${pids[@]}" || true
