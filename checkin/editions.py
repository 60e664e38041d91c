"""Check-in's part of next year's edition (events_platform/editions.py): the entrances and
check-in lists (their days and opening times moved). Staff assignments, paired devices,
scans, attendance and walk-ins stay behind."""

from events_platform.editions import copy_row

from .models import CheckinList, Entrance


def copy_edition(source, target, shift) -> None:
    """Copy the source event's entrances and check-in lists to its copy."""
    for entrance in Entrance.objects.filter(event=source):
        copy_row(entrance, shift, event=target)
    for checkin_list in CheckinList.objects.filter(event=source):
        copy_row(checkin_list, shift, event=target)
