"""Fairs' part of next year's edition (events_platform/editions.py): the fair settings
(booking window, set-up and tear-down, prices) and its halls with their stands (type, place,
size, price, features, blocked). Bookings, waiting lists and staff passes stay behind."""

from events_platform.editions import copy_row

from .models import Fair


def copy_edition(source, target, shift) -> None:
    """Copy the source event's fair, halls and stands to its copy."""
    fair = Fair.objects.filter(event=source).first()
    if fair is None:
        return
    new_fair = copy_row(fair, shift, event=target)
    for hall in fair.halls.all():
        new_hall = copy_row(hall, shift, fair=new_fair)
        for stand in hall.stands.all():
            copy_row(stand, shift, hall=new_hall)
