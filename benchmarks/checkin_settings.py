"""Settings for benchmarks/checkin.py: the project's settings with the benchmark's URLconf
(which adds an empty view as the ceiling to compare with) and quiet logging."""

from events_platform.settings import *  # noqa: F403

ROOT_URLCONF = "benchmarks.checkin_urls"
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}
