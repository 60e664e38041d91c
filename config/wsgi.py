import os

from django.conf import settings
from django.core.validators import validate_email
from django.core.wsgi import get_wsgi_application
from django.urls import NoReverseMatch, URLResolver, get_resolver, reverse
from django.utils import translation

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
