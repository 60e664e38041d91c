"""How old a participant is on an event's day, and the age from which nobody needs a
guardian: the one home of both, for registration rules, the guardian check and the door."""

from datetime import date

from django.utils import timezone

# From this age a participant is of age in Germany: no guardian confirms, the door shows no
# minor's flag.
AGE_OF_MAJORITY = 18


def age_on(born: date, on: date) -> int:
    """Age in whole years on a day (a 29 February birthday counts from 1 March)."""
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def age_at_event(born: date, event) -> int:
    """Age in whole years on the event's first day, in the site's time zone."""
    return age_on(born, timezone.localdate(event.starts_at))
