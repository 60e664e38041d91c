"""The waiting list of a fair: join when no stand is free, the organiser offers a freed
stand to a waiting company, the company accepts or declines."""

import uuid
from datetime import datetime, timedelta

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from infra.errors import DomainError, InvalidInput
from ticketing.errors import ErrorCode as TicketingErrorCode

from .. import signals
from ..errors import ErrorCode
from ..models import Company, Fair, StandBooking, WaitlistEntry
from ..queries import fair_has_free_stand, is_verified_by
from .bookings import (
    Extras,
    _check_fair_open,
    _stand_taken,
    check_booking_terms,
    lock_stands,
    stand_is_held,
)


@transaction.atomic
def join_waitlist(*, company: Company, fair: Fair, note: str, now: datetime) -> WaitlistEntry:
    """Put the company on the fair's waiting list.

    Raises DomainError `stands_available`, `already_waiting`, `email_not_confirmed`."""
    if company.email_confirmed_at is None:
        raise DomainError(
            _("Please confirm your company's e-mail address first."), ErrorCode.EMAIL_NOT_CONFIRMED
        )
    _check_fair_open(fair, now=now)
    if fair_has_free_stand(fair):
        raise DomainError(
            _("There are free stands. Please book one directly."), ErrorCode.STANDS_AVAILABLE
        )
    try:
        with transaction.atomic():
            return WaitlistEntry.objects.create(
                fair=fair, company=company, note=note.strip()[:300], created_at=now
            )
    except IntegrityError:
        raise DomainError(
            _("Your company is already on the waiting list."), ErrorCode.ALREADY_WAITING
        ) from None


@transaction.atomic
def leave_waitlist(*, entry: WaitlistEntry, now: datetime) -> WaitlistEntry:
    """Take the company off the waiting list (an open offer is declined with it)."""
    entry = WaitlistEntry.objects.select_for_update().get(pk=entry.pk)
    if entry.status == WaitlistEntry.Status.OFFERED:
        return decline_offer(entry=entry, now=now)
    if entry.status == WaitlistEntry.Status.WAITING:
        entry.status = WaitlistEntry.Status.LEFT
        entry.save(update_fields=["status"])
    return entry


@transaction.atomic
def offer_stand(*, entry: WaitlistEntry, stand_id: int, by: User, now: datetime) -> WaitlistEntry:
    """Offer a free stand to a waiting company; the stand is held for it meanwhile.

    Raises DomainError `not_waiting`, `stand_taken`, `stand_blocked`; InvalidInput
    `wrong_fair`."""
    entry = WaitlistEntry.objects.select_for_update().select_related("fair").get(pk=entry.pk)
    if entry.status != WaitlistEntry.Status.WAITING:
        raise DomainError(_("This company is no longer waiting."), ErrorCode.NOT_WAITING)
    stands = lock_stands([stand_id])
    if not stands or stands[0].hall.fair_id != entry.fair_id:
        raise InvalidInput(_("This stand belongs to another event."), ErrorCode.WRONG_FAIR)
    stand = stands[0]
    if stand.blocked:
        raise DomainError(
            _("Stand %(label)s cannot be booked.") % {"label": stand.label}, ErrorCode.STAND_BLOCKED
        )
    if stand_is_held(stand):
        raise _stand_taken(stand)
    try:
        with transaction.atomic():
            booking = StandBooking.objects.create(
                company=entry.company,
                stand=stand,
                fair=entry.fair,
                group=uuid.uuid4(),
                status=StandBooking.Status.OFFERED,
                stand_price=stand.price,
                requested_by=by,
                requested_at=now,
            )
    except IntegrityError:
        raise _stand_taken(stand) from None
    entry.status = WaitlistEntry.Status.OFFERED
    entry.offered_booking = booking
    entry.save(update_fields=["status", "offered_booking"])
    signals.waitlist_offer_made.send(sender=WaitlistEntry, entry=entry, stand=stand)
    return entry


@transaction.atomic
def accept_offer(
    *,
    entry: WaitlistEntry,
    extras: Extras,
    staff_passes: int,
    day_contact_name: str,
    day_contact_phone: str,
    now: datetime,
) -> StandBooking:
    """Accept an offered stand: confirmed at once when the event's organisation has verified
    the company, otherwise a request for the organiser. Raises DomainError `no_offer` and
    the InvalidInput of `check_booking_terms` (the same terms as a direct booking)."""
    entry = WaitlistEntry.objects.select_for_update().get(pk=entry.pk)
    if entry.status != WaitlistEntry.Status.OFFERED or entry.offered_booking_id is None:
        raise DomainError(_("There is no open offer."), TicketingErrorCode.NO_OFFER)
    booking = (
        StandBooking.objects.select_for_update(of=("self",))
        .select_related("fair__event", "company", "stand")
        .get(pk=entry.offered_booking_id)
    )
    check_booking_terms(
        fair=booking.fair,
        stands=[booking.stand],
        extras=extras,
        staff_passes=staff_passes,
        day_contact_name=day_contact_name,
        day_contact_phone=day_contact_phone,
    )
    booking.power_connections = extras.power_connections
    booking.tables, booking.chairs = extras.tables, extras.chairs
    booking.parking_passes = extras.parking_passes
    booking.staff_pass_count = staff_passes
    booking.extras_price = extras.price(booking.fair)
    booking.day_contact_name = day_contact_name.strip()
    booking.day_contact_phone = day_contact_phone.strip()
    if is_verified_by(booking.company, booking.fair.event.organisation):
        booking.status = StandBooking.Status.APPROVED
        booking.decided_at = now
    else:
        booking.status = StandBooking.Status.REQUESTED
    booking.save()
    entry.status = WaitlistEntry.Status.ACCEPTED
    entry.save(update_fields=["status"])
    if booking.status == StandBooking.Status.APPROVED:
        signals.booking_approved.send(sender=StandBooking, booking=booking)
    else:
        signals.booking_requested.send(sender=StandBooking, booking=booking)
    return booking


@transaction.atomic
def decline_offer(*, entry: WaitlistEntry, now: datetime) -> WaitlistEntry:
    """Decline an offered stand; the stand is free again. Raises DomainError `no_offer`."""
    entry = WaitlistEntry.objects.select_for_update().get(pk=entry.pk)
    if entry.status != WaitlistEntry.Status.OFFERED:
        raise DomainError(_("There is no open offer."), TicketingErrorCode.NO_OFFER)
    StandBooking.objects.filter(
        pk=entry.offered_booking_id, status=StandBooking.Status.OFFERED
    ).update(status=StandBooking.Status.WITHDRAWN, ended_at=now)
    entry.status = WaitlistEntry.Status.DECLINED
    entry.save(update_fields=["status"])
    return entry


OFFER_VALID_FOR = timedelta(days=7)


def expire_stale_offers(*, now: datetime) -> int:
    """Decline waiting-list offers left unanswered for a week, so the stand is free again.

    Safe to run twice at once: each decline locks its entry and re-checks its state."""
    stale = WaitlistEntry.objects.filter(
        status=WaitlistEntry.Status.OFFERED,
        offered_booking__requested_at__lt=now - OFFER_VALID_FOR,
    ).values_list("pk", flat=True)
    expired = 0
    for pk in list(stale):
        try:
            decline_offer(entry=WaitlistEntry(pk=pk), now=now)
        except DomainError:
            continue  # answered meanwhile
        expired += 1
    return expired
