"""A small fixed-window rate limit on Django's cache (Redis in production, shared by all
web processes). Used by the registration views, HTML and API alike."""

import hashlib
import time

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext as _

from events_platform.errors import DomainError

# (attempts, window in seconds); a school's network puts many pupils behind one address.
DEFAULT_LIMITS = {"ip": (60, 600), "email": (10, 3600)}


class RateLimited(DomainError):
    status = 429


def _count(scope: str, key: str, window: int) -> int:
    digest = hashlib.sha256(key.encode()).hexdigest()[:32]
    cache_key = f"ticketing:rate:{scope}:{digest}:{int(time.time() // window)}"
    if cache.add(cache_key, 1, timeout=window + 5):
        return 1
    try:
        return cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.add(cache_key, 1, timeout=window + 5)
        return 1


def check_registration_rate(*, ip: str, email: str) -> None:
    """Count one registration attempt; raise RateLimited when the IP or e-mail did too many."""
    limits = getattr(settings, "TICKETING_RATE_LIMITS", None) or DEFAULT_LIMITS
    for scope, key in (("ip", ip), ("email", email.strip().lower())):
        if not key or scope not in limits:
            continue
        attempts, window = limits[scope]
        if _count(scope, key, window) > attempts:
            raise RateLimited(
                _("Too many registrations in a short time. Please try again later."),
                "rate_limited",
            )


def client_ip(request) -> str:
    """The client's address as the web server saw it."""
    return request.META.get("REMOTE_ADDR", "")
