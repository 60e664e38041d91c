"""Settings for benchmarks/registration_rush.py: production settings, but the rush comes
from one address, so the registration rate limit (tested elsewhere) is lifted."""

from config.settings import *  # noqa: F403

TICKETING_RATE_LIMITS = {"ip": (10**9, 60), "email": (10**9, 60)}
