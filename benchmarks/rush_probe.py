"""Benchmark-only probe (benchmarks/rush_settings.py installs it): how long each registration
holds the contested lock, from taking it to the commit that releases it.

It wraps the function that takes the lock (`ticketing.services.lock_event`) and writes one
line per committed transaction, the milliseconds from the lock to just after the commit, to
the file named by RUSH_LOCK_LOG (appended by every gunicorn worker; a line is one write).
Refused registrations roll back and are not counted. Production code is unchanged.
"""

import os
import time

from django.apps import AppConfig
from django.db import transaction


class RushProbeConfig(AppConfig):
    name = "benchmarks"
    label = "rush_probe"

    def ready(self) -> None:
        path = os.environ.get("RUSH_LOCK_LOG")
        if not path:
            return
        from ticketing import services

        take_lock = services.lock_event

        def timed_lock(event_id):
            locked = take_lock(event_id)
            started = time.perf_counter()

            def released() -> None:
                held = (time.perf_counter() - started) * 1000
                with open(path, "a", encoding="ascii") as log:
                    log.write(f"{held:.3f}\n")

            transaction.on_commit(released)
            return locked

        services.lock_event = timed_lock
