"""Notifications' part of next year's edition (events_platform/editions.py): the event's
reminder plan. Messages, announcements and alerts belong to the earlier edition."""

from events_platform.editions import copy_row

from .models import ReminderPlan


def copy_edition(source, target, shift) -> None:
    """Copy the source event's reminder plan (offsets and what to bring) to its copy."""
    for plan in ReminderPlan.objects.filter(event=source):
        copy_row(plan, shift, event=target)
