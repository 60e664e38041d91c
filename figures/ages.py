"""Age groups of young people (the keys of Figures.young_by_age)."""

from datetime import date, datetime

from django.utils import timezone

from ticketing.ages import AGE_OF_MAJORITY, age_on

# In order; "class": pupils of a school class (their ages are not asked).
AGE_GROUPS = ("under_10", "10_13", "14_17", "18_26", "class", "unknown")
# Young: under this age on the event's first day (camp children and class pupils always).
YOUNG_BELOW = 27


def age_group(birth_date: date | None, starts_at: datetime) -> str:
    """The age group on the event's first day (local time); "unknown" without a birth
    date, "" when the person is not young (YOUNG_BELOW or older)."""
    if birth_date is None:
        return "unknown"
    age = age_on(birth_date, timezone.localdate(starts_at))
    if age < 10:
        return "under_10"
    if age < 14:
        return "10_13"
    if age < AGE_OF_MAJORITY:
        return "14_17"
    if age < YOUNG_BELOW:
        return "18_26"
    return ""
