"""A small in-process cache whose entries expire: what a web process keeps between requests
(a device, an event's check-in lists, an event's public key) so that a busy path does not
read the same row again for every request."""

import time
from collections.abc import Callable, Hashable
from typing import Any


class TTLCache:
    """Values kept for `seconds` after they were put; at most `size` of them (a full cache
    is emptied before the next put: it holds one process's few events and devices, so that
    is rare and costs one read each).

    Safe to share between threads: each operation is one dict operation, and a value read
    just before another thread replaces it is at most `seconds` old, as any hit is.
    """

    def __init__(
        self, *, seconds: float, size: int = 1000, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.seconds = seconds
        self.size = size
        self._clock = clock
        self._entries: dict[Hashable, tuple[float, Any]] = {}

    def get(self, key: Hashable) -> Any:
        """The value kept for `key`, or None when there is none or it expired."""
        entry = self._entries.get(key)
        if entry is not None and entry[0] > self._clock():
            return entry[1]
        return None

    def put(self, key: Hashable, value: Any) -> None:
        """Keep `value` for `key` for the next `seconds`."""
        if len(self._entries) >= self.size and key not in self._entries:
            self._entries.clear()
        self._entries[key] = (self._clock() + self.seconds, value)

    def forget(self, key: Hashable) -> None:
        """Drop the value of `key` (it changed)."""
        self._entries.pop(key, None)

    def clear(self) -> None:
        """Drop every value."""
        self._entries.clear()
