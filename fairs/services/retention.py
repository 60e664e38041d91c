"""Retention of exhibitors' booking records (the law on business records, then anonymised).

Stand bookings, their contacts on the day and the staff passes are business records of the
booking: commercial letters (offer, booking, confirmation) must be kept six years from the
end of the calendar year (HGB § 257(1) Nr. 2-3 and (4)-(5), AO § 147(1) Nr. 2-3 and (3)).
Invoices and other accounting vouchers (8 or 10 years) live in the organiser's accounting
system, not here; organisations whose bookings serve as such raise the setting
FAIRS_BOOKING_RETENTION_YEARS. After that the people in the record are anonymised: who
requested and decided, the contact on the day, the names on staff passes. The booking with
its company, stand, status and prices stays, so the exhibitor figures stay right.
"""

from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from dataprotection import registry

from ..models import StaffPass, StandBooking


def booking_retention_years() -> int:
    """Years after the end of the fair's calendar year (setting, default 6)."""
    return settings.FAIRS_BOOKING_RETENTION_YEARS


def retention_cutoff(*, now: datetime) -> datetime:
    """Fairs that ended before this moment are past the retention period.

    A fair ending in year Y is kept until the end of Y + years, i.e. it expires on
    1 January of Y + years + 1 (Europe/Berlin), so it ended before 1 January of
    now's year - years.
    """
    local_now = timezone.localtime(now)
    first_of_year = local_now.replace(
        year=local_now.year - booking_retention_years(),
        month=1,
        day=1,
        hour=0,
        minute=0,
        second=0,
        microsecond=0,
    )
    return first_of_year


@transaction.atomic
def anonymise_expired_booking_contacts(*, now: datetime) -> int:
    """Anonymise the people in bookings past the retention period; returns bookings changed."""
    cutoff = retention_cutoff(now=now)
    expired = StandBooking.objects.filter(fair__event__ends_at__lt=cutoff)
    with_people = expired.filter(
        ~Q(day_contact_name="")
        | ~Q(day_contact_phone="")
        | Q(requested_by__isnull=False)
        | Q(decided_by__isnull=False)
    )
    changed = with_people.update(**registry.blank_values(StandBooking))
    StaffPass.objects.filter(booking__in=expired).exclude(name="").update(
        **registry.blank_values(StaffPass)
    )
    return changed
