#!/usr/bin/env bash
# The whole suite: lint, migrations check, tests on PostgreSQL with a real Redis broker,
# a real Celery worker, real SMTP on loopback and real Chromium; then the SQLite part.
# Where PostgreSQL, Redis or Chromium cannot be installed (not root, no apt), the tests that
# need them are skipped locally with a clear note; with CI=true a skip fails the run.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh

echo "==> ruff"
.venv/bin/ruff check .
.venv/bin/ruff format --check .
echo "==> lint-imports (which app may read which: the contracts in pyproject.toml)"
.venv/bin/lint-imports --no-cache
echo "==> pip-audit (known vulnerabilities in requirements.lock and requirements-dev.lock)"
.venv/bin/python scripts/audit_dependencies.py
echo "==> makemigrations --check"
env -u DATABASE_URL -u REDIS_URL .venv/bin/python manage.py makemigrations --check --dry-run

if [ "${CI:-}" = "true" ] || [ "$(id -u)" = 0 ]; then
  # Chromium for the browser tests, ffmpeg to turn a ticket QR into the fake camera video.
  scripts/apt-install.sh chromium fonts-dejavu-core ffmpeg || true
fi

services_started=0
if [ -z "${DATABASE_URL:-}" ] && { [ "${CI:-}" = "true" ] || [ "$(id -u)" = 0 ]; }; then
  if env_lines=$(scripts/services.sh start); then
    eval "$env_lines"
    export DATABASE_URL REDIS_URL
    services_started=1
  elif [ "${CI:-}" = "true" ]; then
    echo "Could not start PostgreSQL and Redis, which CI needs." >&2
    exit 1
  fi
fi
cleanup() { [ "$services_started" = 1 ] && scripts/services.sh stop || true; }
trap cleanup EXIT

# The tests run in parallel processes (pytest-xdist), each with its own test database, Redis
# database, Celery queue, SMTP server, live server and browser; TEST_WORKERS sets how many
# (default: one per CPU). Tests marked `serial` start a whole production-like run of their
# own (gunicorn, Celery, beat; two restart a PostgreSQL or stop a Redis of their own) and
# run alone afterwards.
workers=${TEST_WORKERS:-auto}
if [ -n "${DATABASE_URL:-}" ]; then
  echo "==> pytest on PostgreSQL ($DATABASE_URL), Redis ${REDIS_URL:-(none)}: $workers workers"
  .venv/bin/pytest -m "not serial" -n "$workers" "$@"
  echo "==> pytest on PostgreSQL: the tests that run alone"
  # Exit code 5: a selection given in "$@" holds none of them.
  .venv/bin/pytest -m serial "$@" || [ $? = 5 ]
  echo "==> pytest: the SQLite part"
  env -u DATABASE_URL .venv/bin/pytest -m sqlite "$@" || [ $? = 5 ]
else
  # One process: the SQLite fallback shares one file cache folder between processes.
  echo "==> pytest on SQLite (no PostgreSQL: its tests are skipped, see the summary)"
  .venv/bin/pytest "$@"
fi
