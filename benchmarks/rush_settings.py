"""Settings for benchmarks/registration_rush.py: production settings, but the rush comes
from one address, so the registration rate limit (tested elsewhere) is lifted, and the
probe that times the contested lock is installed (it does nothing without RUSH_LOCK_LOG)."""

from config.settings import *  # noqa: F403

TICKETING_RATE_LIMITS = {"ip": (10**9, 60), "email": (10**9, 60)}
INSTALLED_APPS = [*INSTALLED_APPS, "benchmarks.rush_probe.RushProbeConfig"]  # noqa: F405
