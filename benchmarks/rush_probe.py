"""Benchmark-only probe (benchmarks/rush_settings.py installs it): how long each registration
holds the contested lock, from taking it to the commit that releases it.

The contested lock is a place counter's row (ticketing/counters.py): it is locked by the
conditional UPDATE that takes the places and released by the commit. The probe wraps that
UPDATE (`ticketing.counters._take_one`) and writes one line per committed transaction that
took places, the milliseconds from its first successful UPDATE to just after the commit, to
the file named by RUSH_LOCK_LOG (appended by every gunicorn worker; a line is one write).
Registrations that found no room take no lock and are not counted. Production code is
unchanged.
"""

import os
import time

from django.apps import AppConfig
from django.db import connection, transaction


class RushProbeConfig(AppConfig):
    name = "benchmarks"
    label = "rush_probe"

    def ready(self) -> None:
        path = os.environ.get("RUSH_LOCK_LOG")
        if not path:
            return
        from ticketing import counters

        take_one = counters._take_one

        def timed_take(counter, n):
            started = time.perf_counter()
            took = take_one(counter, n)
            if took and not getattr(connection, "_rush_probe_armed", False):
                connection._rush_probe_armed = True

                def released() -> None:
                    connection._rush_probe_armed = False
                    held = (time.perf_counter() - started) * 1000
                    with open(path, "a", encoding="ascii") as log:
                        log.write(f"{held:.3f}\n")

                transaction.on_commit(released)
                # First of the transaction's after-commit work (the outbox hands its
                # messages to the broker after the commit too): the time ends at the commit.
                connection.run_on_commit.insert(0, connection.run_on_commit.pop())
            return took

        counters._take_one = timed_take
