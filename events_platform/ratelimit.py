"""A small fixed-window rate limiter on the shared cache (Redis in production).

On Redis the counters are read and counted through a client this process keeps, one round
trip each: Django's RedisCache builds a client object per call, which costs more than the
read itself, and the check-in door asks on every scan. Elsewhere (file or memory cache) the
cache API does the same with the same keys.
"""

import functools
import re

from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.redis import RedisCache


def client_ip(request) -> str:
    """The client's address as the web server saw it (the proxy sets REMOTE_ADDR right)."""
    return request.META.get("REMOTE_ADDR", "") or "unknown"


@functools.cache
def _redis_at(location: str):
    import redis

    return redis.Redis.from_url(re.split("[;,]", location)[0])


def _kept_redis():
    """A Redis client on the cache's (first) server, or None when the cache is not Redis."""
    if not isinstance(caches["default"], RedisCache):
        return None
    return _redis_at(settings.CACHES["default"]["LOCATION"])


def is_limited(scope: str, key: str, *, limit: int, window: int) -> bool:
    """True when `key` has used up `limit` hits of `scope` in the current window."""
    redis_client = _kept_redis()
    if redis_client is None:
        return (cache.get(f"rl:{scope}:{key}") or 0) >= limit
    # execute_command: the same GET without redis-py's per-call argument inspection.
    count = redis_client.execute_command("GET", cache.make_key(f"rl:{scope}:{key}"))
    return int(count or 0) >= limit


def hit(scope: str, key: str, *, limit: int, window: int) -> bool:
    """Count one hit; True when this hit is over the limit. Atomic on Redis."""
    return hits(scope, key, window=window) > limit


def hits(scope: str, key: str, *, window: int) -> int:
    """Count one hit; the number of hits in the window with this one. Atomic on Redis: each
    number is returned to exactly one caller."""
    cache_key = f"rl:{scope}:{key}"
    redis_client = _kept_redis()
    if redis_client is not None:
        # One round trip: start at 0 with the window's expiry unless it exists, then count.
        pipe = redis_client.pipeline(transaction=False)
        pipe.set(cache.make_key(cache_key), 0, ex=window, nx=True)
        pipe.incr(cache.make_key(cache_key))
        return pipe.execute()[1]
    if cache.add(cache_key, 1, timeout=window):
        return 1
    try:
        return cache.incr(cache_key)
    except ValueError:  # expired between add() and incr()
        cache.add(cache_key, 1, timeout=window)
        return 1


def reset(scope: str, key: str) -> None:
    cache.delete(f"rl:{scope}:{key}")
