"""The limit on invalid codes from one scanner, for the door's scanners and the stand
phones (leads) alike: a device that keeps sending forged, unreadable or unknown codes is
someone trying codes, not a door; above `limit()` codes in `WINDOW` seconds it is answered
429 with the stable code `rate_limited` for a while.

The check is the count (`count`): Redis INCR hands each number to exactly one request, so
of codes sent at once exactly the limit get an answer. `exceeded` before the work only saves
work once the limit is known to be used up. Each kind of scanner counts in its own scope."""

from django.conf import settings
from django.utils.translation import gettext as _

from infra import ratelimit
from infra.errors import ErrorCode as CommonErrorCode

from .rules import Code

WINDOW = 60
COUNTED = frozenset({Code.INVALID, Code.UNKNOWN})


def limit() -> int:
    """Invalid codes a device may send in the window (the benchmark lifts it)."""
    return settings.CHECKIN_INVALID_SCAN_LIMIT


def exceeded(scope: str, device_key: str) -> bool:
    """The device has used up its invalid codes for now."""
    return ratelimit.is_limited(scope, device_key, limit=limit(), window=WINDOW)


def count(scope: str, device_key: str, code: str) -> int | None:
    """Count an answer's code against the device: the number of invalid codes in the window
    with this one, or None for a code that does not count."""
    if code not in COUNTED:
        return None
    return ratelimit.hits(scope, device_key, window=WINDOW)


def over(counted: int | None) -> bool:
    """This code is over the limit: the answer must be 429, not the code's."""
    return counted is not None and counted > limit()


def refusal() -> dict:
    """The 429 answer's body."""
    return {
        "code": CommonErrorCode.RATE_LIMITED,
        "detail": _("Too many invalid codes from this device. Please wait a minute."),
    }
