"""Calendar arithmetic that a plain `replace(year=…)` gets wrong: the same day some months or
years later or earlier, where that day does not exist (29 February in a common year, 31 April)
the month's last day. `date.replace` raises ValueError there, which would be a 500 on one day
in four years; every such step in the code goes through here (tests/test_calendar_steps.py
scans for `replace(year=`)."""

import calendar
from datetime import date, datetime
from typing import TypeVar

Day = TypeVar("Day", date, datetime)


def months_after(moment: Day, months: int) -> Day:
    """The same day (and time) `months` later, or earlier for a negative number; the month's
    last day where it is shorter."""
    month_index = moment.month - 1 + months
    year, month = moment.year + month_index // 12, month_index % 12 + 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


def years_after(moment: Day, years: int) -> Day:
    """The same day (and time) `years` later, or earlier for a negative number; 28 February for
    a 29 February in a common year."""
    return months_after(moment, 12 * years)
