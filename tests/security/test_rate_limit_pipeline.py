"""`infra.ratelimit.hit_each` counts several limits in one round trip on Redis (a
registration counts its IP address and its e-mail address at once) and says, for each,
whether this hit is over its limit: the same answers as counting them one by one."""

import uuid

import pytest

from infra import ratelimit


@pytest.fixture
def redis_cache(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": settings.REDIS_URL,
            "KEY_PREFIX": f"test-{uuid.uuid4().hex}",
        }
    }


@pytest.mark.celery  # needs Redis
def test_each_limit_counts_on_its_own_and_answers_per_limit(redis_cache):
    ip, email = uuid.uuid4().hex, uuid.uuid4().hex
    answers = [
        ratelimit.hit_each([("pipe-ip", ip, 3, 60), ("pipe-email", email, 1, 60)]) for _ in range(4)
    ]
    assert answers == [[False, False], [False, True], [False, True], [True, True]]
    # The same counters as one-by-one counting: the fifth hit of the IP address is its fifth.
    assert ratelimit.hits("pipe-ip", ip, window=60) == 5


def test_without_redis_it_counts_one_by_one(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    key = uuid.uuid4().hex
    assert [ratelimit.hit_each([("pipe-local", key, 1, 60)]) for _ in range(2)] == [
        [False],
        [True],
    ]
