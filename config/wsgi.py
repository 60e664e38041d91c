import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

from config.celery import app as celery_app

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()

# The URLconf, and with it every view module, is imported here rather than at the first
# request. gunicorn loads this module once in its master (preload_app), so every worker
# starts with it, also one recycled after max_requests: its first request no longer spends
# some 0.85 s on imports (measured in README, "Figures"). Importing opens no connection.
URL_PATTERNS = get_resolver().url_patterns

# The Celery app is finalised here as well (its task registry and task sender built, about
# 50 ms): otherwise every worker, also each one recycled after max_requests, pays for it at
# its first hand-over of a mail, in the middle of a request. Finalising opens no connection.
celery_app.finalize(auto=True)
celery_app.amqp.send_task_message  # noqa: B018 - a cached property: builds the sender
