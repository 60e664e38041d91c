"""English dates and times in British style, the same as events_platform/when.py writes them:
4 December 2026, 17:30 (Django's "en" is American: Dec. 4, 2026, 5:30 p.m.). Only the output
formats are set here; what forms accept stays Django's English default."""

DATE_FORMAT = "j\u00a0F Y"  # 4 December 2026 (a no-break space after the day)
TIME_FORMAT = "H:i"  # 17:30
DATETIME_FORMAT = "j\u00a0F Y, H:i"  # 4 December 2026, 17:30
YEAR_MONTH_FORMAT = "F Y"  # December 2026
MONTH_DAY_FORMAT = "j\u00a0F"  # 4 December
SHORT_DATE_FORMAT = "d/m/Y"  # 04/12/2026
SHORT_DATETIME_FORMAT = "d/m/Y H:i"  # 04/12/2026 17:30
FIRST_DAY_OF_WEEK = 1  # Monday
