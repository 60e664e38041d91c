"""The Celery app and the one beat schedule of the platform."""

import os

from celery import Celery

# Signal hooks: the request id into task headers and worker logs, JSON logs, task counters.
from . import observability  # noqa: F401

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "events_platform.settings")

app = Celery("events_platform")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Every periodic job of every app is listed here, so the schedule is read in one place.
# Each job is safe to run twice at once (two beats by mistake, or a slow run overlapping).
app.conf.beat_schedule = {
    "events-platform-heartbeat": {
        "task": "events_platform.tasks.record_heartbeat",
        "schedule": 60.0,
    },
    # notifications: hand over what is due and was missed (broker down, worker killed).
    "notifications-sweep-outbox": {
        "task": "notifications.tasks.sweep_outbox",
        "schedule": 60.0,
    },
}
