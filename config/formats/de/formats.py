"""German long dates with a no-break space between day and month ("1. August 2027"), as
events_platform/when.py writes them, so a phone never ends a line after "1.". Only these
output formats are set here; every other format is Django's German one."""

DATE_FORMAT = "j.\u00a0F Y"  # 1. August 2027
DATETIME_FORMAT = "j.\u00a0F Y H:i"  # 1. August 2027 17:30 (Django's, with the no-break space)
MONTH_DAY_FORMAT = "j.\u00a0F"  # 1. August
