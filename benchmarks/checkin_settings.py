"""Settings for benchmarks/checkin.py: the project's settings with the benchmark's URLconf,
which adds an empty view as the ceiling to compare with, and without the limit on invalid
codes per device (the benchmark sends thousands of forged codes from one device)."""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "benchmarks.checkin_urls"
CHECKIN_INVALID_SCAN_LIMIT = 10**9
