"""Logging filters of the check-in door (imported by the logging setup, before the apps are
ready: standard library only)."""

import logging

REDEEM_PATH = "/api/checkin/redeem/"


class DoorAnswersFilter(logging.Filter):
    """Drop Django's "Conflict" warning for a refused scan.

    The redeem API answers 409 for every scan that may not pass (already checked in, wrong
    day, forged …): at a busy door those are answers, not problems, and a warning per
    returning visitor would bury the real ones. Its 429 and 4xx errors are still logged.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", None) != 409:
            return True
        request = getattr(record, "request", None)
        return getattr(request, "path", "") != REDEEM_PATH
