"""A small fixed-window rate limiter on the shared cache (Redis in production).

On Redis the counters are read and counted through a client this process keeps, one round
trip each: Django's RedisCache builds a client object per call, which costs more than the
read itself. Elsewhere (file or memory cache) the cache API does the same with the same keys.

When the cache cannot be reached the limits let requests through and log an error: sign-in,
registration and the check-in door keep working while Redis is down, unlimited for that
time, rather than answering 500.
"""

import functools
import ipaddress
import logging
import re

from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

# A Redis that does not answer must not hold a request (or a door) for long.
REDIS_TIMEOUT_SECONDS = 0.5


def client_ip(request) -> str:
    """The client as the limits count it, from the address the web server saw (the proxy
    sets REMOTE_ADDR right): an IPv4 address as it is, an IPv6 address as its /64 network.

    One IPv6 host or household gets a whole /64 and can pick any address in it, so a limit
    per IPv6 address would be a limit per request."""
    return network_key(request.META.get("REMOTE_ADDR", "") or "unknown")


def network_key(address: str) -> str:
    """`address` as a rate-limit key: IPv6 as its /64 network (an IPv4-mapped IPv6 address
    as the IPv4 address), anything else unchanged."""
    try:
        ip = ipaddress.ip_address(address.split("%")[0])
    except ValueError:
        return address
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.IPv6Network((ip, 64), strict=False))
    return str(ip)


@functools.cache
def _redis_at(location: str):
    import redis

    return redis.Redis.from_url(
        re.split("[;,]", location)[0],
        socket_connect_timeout=REDIS_TIMEOUT_SECONDS,
        socket_timeout=REDIS_TIMEOUT_SECONDS,
    )


def _kept_redis():
    """A Redis client on the cache's (first) server, or None when the cache is not Redis."""
    if not isinstance(caches["default"], RedisCache):
        return None
    return _redis_at(settings.CACHES["default"]["LOCATION"])


def shared_redis():
    """A Redis client on the cache's server (shared by every web and worker process of the
    site), or None when the cache is not Redis."""
    return _kept_redis()


def _unreachable(scope: str, error: Exception) -> None:
    logger.error("Rate limit %s not applied: the cache is unreachable (%r).", scope, error)


def is_limited(scope: str, key: str, *, limit: int, window: int) -> bool:
    """True when `key` has used up `limit` hits of `scope` in the current window (False
    while the cache cannot be reached)."""
    try:
        redis_client = _kept_redis()
        if redis_client is None:
            return (cache.get(f"rl:{scope}:{key}") or 0) >= limit
        # execute_command: the same GET without redis-py's per-call argument inspection.
        count = redis_client.execute_command("GET", cache.make_key(f"rl:{scope}:{key}"))
    except (RedisError, OSError) as error:
        _unreachable(scope, error)
        return False
    return int(count or 0) >= limit


def hit(scope: str, key: str, *, limit: int, window: int) -> bool:
    """Count one hit; True when this hit is over the limit. Atomic on Redis."""
    return hits(scope, key, window=window) > limit


def hit_each(counts: list[tuple[str, str, int, int]]) -> list[bool]:
    """Count one hit for each (scope, key, limit, window); for each, True when this hit is
    over its limit. On Redis all of them in one round trip (a registration counts its IP
    address and its e-mail address at once). False for all while the cache is unreachable."""
    try:
        numbers = _count_many([(f"rl:{scope}:{key}", window) for scope, key, _l, window in counts])
    except (RedisError, OSError) as error:
        for scope, *_rest in counts:
            _unreachable(scope, error)
        return [False] * len(counts)
    return [number > limit for number, (_s, _k, limit, _w) in zip(numbers, counts, strict=True)]


def hits(scope: str, key: str, *, window: int) -> int:
    """Count one hit; the number of hits in the window with this one. Atomic on Redis: each
    number is returned to exactly one caller. 0 while the cache cannot be reached."""
    try:
        return _count_many([(f"rl:{scope}:{key}", window)])[0]
    except (RedisError, OSError) as error:
        _unreachable(scope, error)
        return 0


def _count_many(keys: list[tuple[str, int]]) -> list[int]:
    """Count one hit on each (cache key, window); the counts with these hits."""
    redis_client = _kept_redis()
    if redis_client is not None:
        # One round trip: each starts at 0 with its window's expiry unless it exists, then
        # counts.
        pipe = redis_client.pipeline(transaction=False)
        for cache_key, window in keys:
            pipe.set(cache.make_key(cache_key), 0, ex=window, nx=True)
            pipe.incr(cache.make_key(cache_key))
        return pipe.execute()[1::2]
    return [_count_in_cache(cache_key, window) for cache_key, window in keys]


def _count_in_cache(cache_key: str, window: int) -> int:
    if cache.add(cache_key, 1, timeout=window):
        return 1
    try:
        return cache.incr(cache_key)
    except ValueError:  # expired between add() and incr()
        cache.add(cache_key, 1, timeout=window)
        return 1


def reset(scope: str, key: str) -> None:
    cache.delete(f"rl:{scope}:{key}")
