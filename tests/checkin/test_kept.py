"""The one small cache the door keeps in each process (devices, lists, public keys)."""

from infra.ttl_cache import TTLCache


def test_a_value_is_kept_for_its_seconds_and_then_read_again():
    clock = [100.0]
    kept = TTLCache(seconds=30, clock=lambda: clock[0])
    kept.put("device", "Handy 1")

    clock[0] = 129.9
    assert kept.get("device") == "Handy 1"
    clock[0] = 130.0
    assert kept.get("device") is None


def test_a_full_cache_starts_again_and_a_forgotten_value_is_gone():
    kept = TTLCache(seconds=60, size=2)
    kept.put("a", 1)
    kept.put("b", 2)
    kept.put("b", 3)  # replacing a value needs no room
    assert (kept.get("a"), kept.get("b")) == (1, 3)

    kept.put("c", 4)
    assert (kept.get("a"), kept.get("b"), kept.get("c")) == (None, None, 4)
    kept.forget("c")
    assert kept.get("c") is None
