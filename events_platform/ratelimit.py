"""A small fixed-window rate limiter on the shared cache (Redis in production)."""

from django.core.cache import cache


def client_ip(request) -> str:
    """The client's address as the web server saw it (the proxy sets REMOTE_ADDR right)."""
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def is_limited(scope: str, key: str, *, limit: int, window: int) -> bool:
    """True when `key` has used up `limit` hits of `scope` in the current window."""
    return (cache.get(f"rl:{scope}:{key}") or 0) >= limit


def hit(scope: str, key: str, *, limit: int, window: int) -> bool:
    """Count one hit; True when this hit is over the limit. Atomic on Redis."""
    cache_key = f"rl:{scope}:{key}"
    if cache.add(cache_key, 1, timeout=window):
        count = 1
    else:
        try:
            count = cache.incr(cache_key)
        except ValueError:  # expired between add() and incr()
            cache.add(cache_key, 1, timeout=window)
            count = 1
    return count > limit


def reset(scope: str, key: str) -> None:
    cache.delete(f"rl:{scope}:{key}")
