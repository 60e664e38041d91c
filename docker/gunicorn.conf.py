"""gunicorn settings for the image and for scripts/prod_like.sh (the same production shape).

Environment: WEB_CONCURRENCY (worker processes, default 3), WEB_BIND (default
0.0.0.0:8000), WEB_TIMEOUT (seconds, default 30), LOG_FORMAT (json gives JSON access logs
carrying the X-Request-ID that the app returned).
"""

import gc
import os

bind = os.environ.get("WEB_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
timeout = int(os.environ.get("WEB_TIMEOUT", "30"))
graceful_timeout = 20
# Load the app once in the master: workers fork ready, and a broken import stops the start.
preload_app = True
# Recycle workers now and then, so a slow leak never grows without bound.
max_requests = 2000
max_requests_jitter = 200
# gunicorn 27 otherwise creates a control socket in the home folder.
control_socket_disable = True
# A container has no /tmp on disk guarantee; heartbeat files go to shared memory.
# /dev/shm is private to the container, not a shared temporary folder.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None  # noqa: S108
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = "-"
errorlog = "-"
# Secret links (ticket pages, calendar feeds, unsubscribe…) are masked in the access log:
# `GET /tickets/ticket/…/`, also in the query string and the Referer.
logger_class = "infra.logmask.GunicornLogger"
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms "%(a)s" %({x-request-id}o)s'

if os.environ.get("LOG_FORMAT", "plain") == "json":
    logconfig_dict = {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {
            "request_id": {"()": "infra.observability.RequestIdFilter"},
            "mask_secrets": {"()": "infra.logmask.SecretMaskFilter"},
        },
        "formatters": {
            "json": {
                "()": "pythonjsonlogger.json.JsonFormatter",
                "fmt": "%(levelname)s %(name)s %(message)s %(request_id)s",
                "timestamp": "time",
                "rename_fields": {"levelname": "level", "name": "logger"},
            }
        },
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "formatter": "json",
                "filters": ["request_id", "mask_secrets"],
                "stream": "ext://sys.stdout",
            }
        },
        # This config replaces the one Django set up when the app was preloaded: without a
        # root handler, the app's own records (django.request…) would fall through to
        # Python's last-resort handler, unformatted and unmasked.
        "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
        "loggers": {
            "gunicorn.error": {"handlers": ["console"], "level": "INFO", "propagate": False},
            "gunicorn.access": {"handlers": ["console"], "level": "INFO", "propagate": False},
        },
    }


def pre_fork(server, worker):
    """Freeze what the master holds (the preloaded app: about 150,000 objects) before each
    fork, as Python's gc documentation advises for a forking server. A worker's garbage
    collector then never walks those objects: its collections stay short, and they do not
    copy the master's memory pages into the worker. A worker recycled after max_requests
    answers its first request in about 0.1 s instead of 0.4 s (measured in README,
    "Figures")."""
    gc.freeze()


def post_worker_init(worker):
    """Open the worker's connections before its first request (config.wsgi.warm_connections):
    the first registrations after a start or a recycle are then no slower than the rest."""
    from config.wsgi import warm_connections

    warm_connections()
