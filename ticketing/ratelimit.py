"""Registration attempts limited per IP address and per e-mail address, on the core's
fixed-window limiter (Redis in production, shared by all web processes). Used by the
registration views, HTML and API alike."""

import hashlib

from django.conf import settings
from django.utils.translation import gettext as _

from infra import ratelimit
from infra.errors import DomainError
from infra.errors import ErrorCode as CommonErrorCode

client_ip = ratelimit.client_ip


class RateLimited(DomainError):
    status = 429


def check_registration_rate(*, ip: str, email: str) -> None:
    """Count one registration attempt; raise RateLimited when the IP or e-mail did too many."""
    limits = settings.TICKETING_RATE_LIMITS
    counts = []
    for scope, key in (("ip", ip), ("email", email.strip().lower())):
        if not key or scope not in limits:
            continue
        attempts, window = limits[scope]
        digest = hashlib.sha256(key.encode()).hexdigest()[:32]
        counts.append((f"ticketing-register-{scope}", digest, attempts, window))
    if counts and any(ratelimit.hit_each(counts)):  # both counted in one round trip
        raise RateLimited(
            _("Too many registrations in a short time. Please try again later."),
            CommonErrorCode.RATE_LIMITED,
        )
