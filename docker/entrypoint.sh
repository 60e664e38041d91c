#!/bin/sh
# The one entry point of the image: the first argument picks the role.
#   web       gunicorn on :8000 (WEB_CONCURRENCY workers, default 3)
#   worker    a Celery worker (CELERY_WORKER_CONCURRENCY processes, default 2)
#   beat      Celery beat: run exactly ONE in the whole installation
#   migrate   apply database migrations, then exit (run it before starting a new version)
#   manage …  any manage.py command, e.g. `manage createsuperuser`
#   anything else is run as given (e.g. `sh`).
# Migrations never run on web start: several web containers starting at once must not race,
# and an upgrade migrates once, on purpose.
set -eu
role=${1:-web}
[ "$#" -gt 0 ] && shift

case "$role" in
  web)
    exec gunicorn config.wsgi --config docker/gunicorn.conf.py "$@"
    ;;
  worker)
    exec celery -A config worker \
      --concurrency "${CELERY_WORKER_CONCURRENCY:-2}" \
      --hostname "worker@%h" --without-mingle --without-gossip "$@"
    ;;
  beat)
    exec celery -A config beat --pidfile= \
      --schedule "${EVENTS_VAR_DIR:-/app/var}/celerybeat-schedule" "$@"
    ;;
  migrate)
    exec python manage.py migrate --noinput "$@"
    ;;
  manage)
    exec python manage.py "$@"
    ;;
  *)
    exec "$role" "$@"
    ;;
esac
