import logging
import os

from django.conf import settings
from django.core.validators import validate_email
from django.core.wsgi import get_wsgi_application
from django.urls import NoReverseMatch, URLResolver, get_resolver, reverse
from django.utils import translation

from config.celery import app as celery_app

logger = logging.getLogger(__name__)

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
celery_app.backend  # noqa: B018 - found through the installed packages' entry points


def _warm_up() -> None:
    """Build here, once, what Django builds at first use and every worker would otherwise
    build in its first requests (some 60 ms of a worker's first registration, measured in
    README, "Figures"): the URL resolver's reverse lookups and the translation catalogs,
    per language, and the e-mail validator's patterns. Nothing of it opens a connection."""
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            _build_reverse_lookups(get_resolver())
    validate_email("warm-up@example.org")


def _build_reverse_lookups(resolver, namespaces: tuple = ()) -> None:
    """The reverse lookups of the active language, of this resolver and of every resolver
    included in it. A namespaced name (`reverse("ticketing:ticket")`) is looked up in a
    resolver Django makes for its namespace at the first such call: one call per namespace
    makes it (its arguments need not fit: the lookups are built before the match)."""
    resolver.reverse_dict  # noqa: B018 - a property that builds them
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            _build_reverse_lookups(pattern, namespaces)
    for namespace, (_prefix, included) in resolver.namespace_dict.items():
        path = (*namespaces, namespace)
        name = next((key for key in included.reverse_dict if isinstance(key, str)), None)
        if name is not None:
            try:
                reverse(":".join((*path, name)))
            except NoReverseMatch:
                pass
        _build_reverse_lookups(included, path)


_warm_up()


def warm_connections() -> None:
    """Open, in a web worker that has just started, the connections its first registration
    would otherwise open while a visitor waits: the database, the cache and the rate limits'
    Redis client, and the broker with the task queue declared. A fresh worker's first
    registrations took 80 to 140 ms (the rush's slowest, all eight clients queued behind
    them) where later ones take 20 to 40. gunicorn calls this once per worker
    (`post_worker_init` in docker/gunicorn.conf.py); connections are never opened in the
    master, whose forked children would share them. What cannot be reached now is left to
    the first request, as before: a worker starts all the same."""
    from django.core.cache import cache
    from django.db import connection
    from kombu.common import maybe_declare

    from infra.ratelimit import shared_redis

    def broker() -> None:
        with celery_app.producer_or_acquire() as producer:
            # One attempt: a broker that is down must not hold up the worker's start.
            producer.connection.ensure_connection(max_retries=0)
            queue = celery_app.amqp.queues[celery_app.conf.task_default_queue]
            maybe_declare(queue, producer.channel, retry=False)

    for name, step in (
        ("database", connection.ensure_connection),
        ("cache", lambda: cache.get("warm-up")),
        ("rate limits", lambda: shared_redis() and shared_redis().ping()),
        ("broker", broker),
    ):
        try:
            step()
        except Exception:  # the first request tries again and reports it
            logger.warning("warming the %s connection failed", name, exc_info=True)
