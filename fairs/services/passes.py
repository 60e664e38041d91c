"""Named staff passes for a company's stand staff, signed with the one ticket mechanism of
the core (events_platform.ticket_codes), so the door checks them like visitor tickets."""

from datetime import datetime

from django.db import transaction
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from events_platform import services as core_services
from events_platform import ticket_codes
from infra.errors import DomainError, InvalidInput

from ..errors import ErrorCode
from ..models import StaffPass, StandBooking


@transaction.atomic
def issue_staff_pass(*, booking: StandBooking, name: str, now: datetime) -> StaffPass:
    """Issue a named pass for a confirmed booking, up to the booked number of passes.

    Raises DomainError `booking_not_confirmed`, `staff_pass_limit`; InvalidInput
    `name_required`."""
    if not name.strip():
        raise InvalidInput(_("Please enter the name of the person."), ErrorCode.NAME_REQUIRED)
    booking = (
        StandBooking.objects.select_for_update(of=("self",))
        .select_related("fair__event")
        .get(pk=booking.pk)
    )
    if booking.status != StandBooking.Status.APPROVED:
        raise DomainError(
            _("Staff passes are issued once the booking is confirmed."),
            ErrorCode.BOOKING_NOT_CONFIRMED,
        )
    issued = StaffPass.objects.filter(booking=booking, revoked_at__isnull=True).count()
    if issued >= booking.staff_pass_count:
        raise DomainError(
            ngettext(
                "The booked staff pass has been issued.",
                "All %(count)d booked staff passes have been issued.",
                booking.staff_pass_count,
            )
            % {"count": booking.staff_pass_count},
            ErrorCode.STAFF_PASS_LIMIT,
        )
    serial = ticket_codes.new_serial()
    secret = core_services.issue_ticket_secret(
        event=booking.fair.event, kind=ticket_codes.Kind.STAFF_PASS, serial=serial
    )
    return StaffPass.objects.create(
        booking=booking, name=name.strip(), serial=serial, secret=secret, created_at=now
    )


@transaction.atomic
def revoke_staff_pass(*, staff_pass: StaffPass, now: datetime) -> StaffPass:
    """Revoke a pass: the door refuses it from now on; the booked count is free again."""
    staff_pass = StaffPass.objects.select_for_update().get(pk=staff_pass.pk)
    if staff_pass.revoked_at is None:
        staff_pass.revoked_at = now
        staff_pass.save(update_fields=["revoked_at"])
    return staff_pass
