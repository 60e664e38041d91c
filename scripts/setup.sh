#!/usr/bin/env bash
# Installs what is missing: the Python packages into .venv, the front-end packages into
# frontend/node_modules (copied to frontend/vendor for the static files), compiled messages.
# Idempotent: a second run does nothing but check.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3}
LOCK=requirements-dev.lock
STAMP=.venv/.installed-$(sha256sum "$LOCK" | cut -c1-16)

if [ ! -x .venv/bin/python ]; then
  echo "==> Creating .venv"
  "$PYTHON" -m venv .venv
fi
if [ ! -f "$STAMP" ]; then
  echo "==> Installing Python packages from $LOCK"
  .venv/bin/python -m pip install -q --disable-pip-version-check uv
  UV_SYSTEM_CERTS=1 UV_PYTHON_DOWNLOADS=never .venv/bin/uv pip install -q \
    --python .venv/bin/python -r "$LOCK"
  rm -f .venv/.installed-*
  touch "$STAMP"
fi

NPM_STAMP=frontend/node_modules/.installed-$(sha256sum frontend/package.json | cut -c1-16)
if [ ! -f "$NPM_STAMP" ]; then
  if ! command -v npm >/dev/null; then
    echo "npm is needed for the front-end packages; install Node.js 18 or newer." >&2
    exit 1
  fi
  echo "==> Installing front-end packages"
  (cd frontend && npm install --no-audit --no-fund --loglevel=error)
  rm -f frontend/node_modules/.installed-*
  touch "$NPM_STAMP"
fi
.venv/bin/python scripts/vendor.py

# gettext's msgfmt compiles the German and English messages.
if ! command -v msgfmt >/dev/null; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "==> Installing gettext (Debian package)"
    scripts/apt-install.sh gettext
  else
    echo "msgfmt (gettext) is missing: install the gettext package." >&2
    exit 1
  fi
fi
.venv/bin/python manage.py compilemessages -v 0 --ignore=.venv --ignore=frontend
