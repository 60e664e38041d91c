"""Stand bookings: request (one or more stands, at one or several site events of a series),
approve, reject, withdraw, cancel.

A stand is held by at most one active booking. `request_stands` locks the stand rows
(`select_for_update`, in id order so two requests for overlapping stands cannot deadlock)
before it checks and inserts; on SQLite the IMMEDIATE transaction takes the write lock up
front instead. The partial unique constraint `standbooking_one_active_per_stand` is the
backstop: if it ever fires, the caller still gets the same `stand_taken` answer.
"""

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.contrib.auth.models import User
from django.db import IntegrityError, connection, transaction
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from events_platform import audit, when
from events_platform.models import Event
from infra.errors import DomainError, InvalidInput

from .. import signals
from ..errors import ErrorCode
from ..models import Company, Fair, StaffPass, Stand, StandBooking
from ..queries import is_verified_by


@dataclass(frozen=True)
class Extras:
    """What a company orders besides the stand itself."""

    power_connections: int = 0
    tables: int = 0
    chairs: int = 0
    parking_passes: int = 0

    def price(self, fair: Fair) -> Decimal:
        return (
            self.power_connections * fair.power_price
            + self.tables * fair.table_price
            + self.chairs * fair.chair_price
            + self.parking_passes * fair.parking_pass_price
        )


def _stand_taken(stand: Stand) -> DomainError:
    return DomainError(
        _("Stand %(label)s has just been taken. Please choose another one.")
        % {"label": stand.label},
        ErrorCode.STAND_TAKEN,
    )


def lock_stands(stand_ids: Iterable[int]) -> list[Stand]:
    """Lock the stand rows for the rest of the transaction, in id order."""
    return list(
        Stand.objects.select_for_update(of=("self",))
        .select_related("hall__fair__event")
        .filter(pk__in=sorted(set(stand_ids)))
        .order_by("pk")
    )


def _events_shared(event_ids: list[int]) -> dict[int, Event]:
    """The events, read again under a share lock (after the stands, so the order is always
    the same). An event that cancel_event is cancelling right now (it holds the row for
    update) is read as cancelled once that commits, never as it was when the stands were
    read; and a cancellation waits for the bookings under way, then ends them too. Companies
    booking at once do not wait for each other. SQLite: its IMMEDIATE transactions already
    serialise writers."""
    queryset = Event.objects.filter(pk__in=event_ids).order_by("pk")
    if connection.vendor == "postgresql":
        sql, params = queryset.query.sql_with_params()
        return {event.pk: event for event in Event.objects.raw(f"{sql} FOR SHARE", params)}
    return {event.pk: event for event in queryset}


def stand_is_held(stand: Stand) -> bool:
    """True when an active booking holds the stand."""
    return StandBooking.objects.filter(stand=stand, status__in=StandBooking.ACTIVE).exists()


def _check_fair_open(fair: Fair, *, now: datetime) -> None:
    event = fair.event
    if event.status != Event.Status.PUBLISHED or event.ends_at < now:
        raise DomainError(
            _("Stands can no longer be booked for this event."), ErrorCode.BOOKING_CLOSED
        )
    if fair.booking_opens_at and now < fair.booking_opens_at:
        raise DomainError(
            _("Stand booking opens on %(date)s.") % {"date": _local(fair.booking_opens_at)},
            ErrorCode.BOOKING_NOT_OPEN,
        )
    if fair.booking_closes_at and now >= fair.booking_closes_at:
        raise DomainError(
            _("Stand booking closed on %(date)s.") % {"date": _local(fair.booking_closes_at)},
            ErrorCode.BOOKING_CLOSED,
        )


def _local(moment: datetime) -> str:
    return when.moment(moment)


def booking_refusal(fair: Fair, *, now: datetime) -> DomainError | None:
    """Why stands of the fair cannot be requested now (deadline, not yet open), or None.

    The pages ask before they offer a booking form; `request_stands` refuses the same way."""
    try:
        _check_fair_open(fair, now=now)
    except DomainError as error:
        return error
    return None


def _check_exhibitor_limit(fair: Fair, company: Company) -> None:
    if fair.max_exhibitors is None:
        return
    # Requests for different stands do not share a stand lock; the fair row serialises them
    # when the number of exhibitors is capped (stands are locked first, then the fair).
    Fair.objects.select_for_update().filter(pk=fair.pk).exists()
    exhibitors = set(
        StandBooking.objects.filter(fair=fair, status__in=StandBooking.ACTIVE).values_list(
            "company_id", flat=True
        )
    )
    if company.pk not in exhibitors and len(exhibitors) >= fair.max_exhibitors:
        raise DomainError(
            _("This event has reached its maximum number of exhibitors."), ErrorCode.FAIR_FULL
        )


def check_booking_terms(
    *,
    fair: Fair,
    stands: list[Stand],
    extras: Extras,
    staff_passes: int,
    day_contact_name: str,
    day_contact_phone: str,
) -> None:
    """Check what a company orders for its stands at one fair, for a direct booking and for
    an accepted waiting-list offer alike.

    Raises InvalidInput `contact_required`, `too_many_staff_passes`, `no_power_at_stand`."""
    if not day_contact_name.strip() or not day_contact_phone.strip():
        raise InvalidInput(_("Please name a contact for the day."), ErrorCode.CONTACT_REQUIRED)
    if staff_passes > fair.max_staff_passes_per_stand * len(stands):
        raise InvalidInput(
            ngettext(
                "At most %(count)d staff pass per stand.",
                "At most %(count)d staff passes per stand.",
                fair.max_staff_passes_per_stand,
            )
            % {"count": fair.max_staff_passes_per_stand},
            ErrorCode.TOO_MANY_STAFF_PASSES,
        )
    if extras.power_connections and not any(stand.has_power for stand in stands):
        raise InvalidInput(
            _("Power can only be ordered for a stand with a power connection."),
            ErrorCode.NO_POWER_AT_STAND,
        )


@transaction.atomic
def request_stands(
    *,
    company: Company,
    stand_ids: list[int],
    extras: Extras,
    staff_passes: int,
    day_contact_name: str,
    day_contact_phone: str,
    by: User,
    now: datetime,
) -> list[StandBooking]:
    """Request one or more stands, at one event or at several events of one series.

    Extras and staff passes are per event: they are kept on the first stand of each event.
    All or nothing. Raises DomainError `stand_taken`, `stand_blocked`, `booking_closed`,
    `booking_not_open`, `fair_full`, `email_not_confirmed`; InvalidInput `no_stands`,
    `different_series` and those of `check_booking_terms`.
    """
    if company.email_confirmed_at is None:
        raise DomainError(
            _("Please confirm your company's e-mail address first."), ErrorCode.EMAIL_NOT_CONFIRMED
        )
    if not stand_ids:
        raise InvalidInput(_("Please choose at least one stand."), ErrorCode.NO_STANDS)
    stands = lock_stands(stand_ids)
    if len(stands) != len(set(stand_ids)):
        raise InvalidInput(_("Please choose at least one stand."), ErrorCode.NO_STANDS)
    by_fair: dict[int, list[Stand]] = {}
    for stand in stands:
        by_fair.setdefault(stand.hall.fair_id, []).append(stand)
    fairs = [group[0].hall.fair for group in by_fair.values()]
    series_ids = {fair.event.series_id for fair in fairs}
    if len(fairs) > 1 and (len(series_ids) > 1 or None in series_ids):
        raise InvalidInput(
            _("Several events can only be booked together within one series."),
            ErrorCode.DIFFERENT_SERIES,
        )
    events = _events_shared([fair.event_id for fair in fairs])
    for fair in fairs:
        fair.event = events[fair.event_id]
    group = uuid.uuid4()
    bookings = []
    for fair in fairs:
        fair_stands = by_fair[fair.pk]
        _check_fair_open(fair, now=now)
        check_booking_terms(
            fair=fair,
            stands=fair_stands,
            extras=extras,
            staff_passes=staff_passes,
            day_contact_name=day_contact_name,
            day_contact_phone=day_contact_phone,
        )
        _check_exhibitor_limit(fair, company)
        for index, stand in enumerate(fair_stands):
            if stand.blocked:
                raise DomainError(
                    _("Stand %(label)s cannot be booked.") % {"label": stand.label},
                    ErrorCode.STAND_BLOCKED,
                )
            if stand_is_held(stand):
                raise _stand_taken(stand)
            first = index == 0
            booking = StandBooking(
                company=company,
                stand=stand,
                fair=fair,
                group=group,
                status=StandBooking.Status.REQUESTED,
                power_connections=extras.power_connections if first else 0,
                tables=extras.tables if first else 0,
                chairs=extras.chairs if first else 0,
                parking_passes=extras.parking_passes if first else 0,
                staff_pass_count=staff_passes if first else 0,
                day_contact_name=day_contact_name.strip(),
                day_contact_phone=day_contact_phone.strip(),
                stand_price=stand.price,
                extras_price=extras.price(fair) if first else Decimal("0"),
                requested_by=by,
                requested_at=now,
            )
            try:
                with transaction.atomic():
                    booking.save()
            except IntegrityError:
                raise _stand_taken(stand) from None
            bookings.append(booking)
    for booking in bookings:
        signals.booking_requested.send(sender=StandBooking, booking=booking)
    return bookings


def _locked(booking: StandBooking) -> StandBooking:
    return (
        StandBooking.objects.select_for_update(of=("self",))
        .select_related("company", "fair__event", "stand")
        .get(pk=booking.pk)
    )


@transaction.atomic
def approve_booking(
    *, booking: StandBooking, by: User, now: datetime, message: str = ""
) -> StandBooking:
    """Confirm a requested booking, keeping the organiser's optional message for the company.

    Raises DomainError `not_requested`, `company_not_verified`."""
    booking = _locked(booking)
    if booking.status != StandBooking.Status.REQUESTED:
        raise DomainError(_("Only a requested booking can be confirmed."), ErrorCode.NOT_REQUESTED)
    if not is_verified_by(booking.company, booking.fair.event.organisation):
        raise DomainError(
            _("Please verify the company before you confirm its booking."),
            ErrorCode.COMPANY_NOT_VERIFIED,
        )
    booking.status = StandBooking.Status.APPROVED
    booking.decision_message = message.strip()
    booking.decided_at, booking.decided_by = now, by
    booking.save(update_fields=["status", "decision_message", "decided_at", "decided_by"])
    audit.record_action(
        actor=by,
        organisation=booking.fair.event.organisation,
        action="booking_approved",
        target=booking,
        details={"message": booking.decision_message} if booking.decision_message else None,
    )
    signals.booking_approved.send(
        sender=StandBooking, booking=booking, message=booking.decision_message
    )
    return booking


@transaction.atomic
def reject_booking(*, booking: StandBooking, by: User, reason: str, now: datetime) -> StandBooking:
    """Reject a requested booking with a message. Raises `not_requested`, `reason_required`."""
    if not reason.strip():
        raise InvalidInput(_("Please tell the company why."), ErrorCode.REASON_REQUIRED)
    booking = _locked(booking)
    if booking.status != StandBooking.Status.REQUESTED:
        raise DomainError(_("Only a requested booking can be rejected."), ErrorCode.NOT_REQUESTED)
    booking.status = StandBooking.Status.REJECTED
    booking.decision_message = reason.strip()
    booking.decided_at, booking.decided_by = now, by
    booking.save(update_fields=["status", "decision_message", "decided_at", "decided_by"])
    audit.record_action(
        actor=by,
        organisation=booking.fair.event.organisation,
        action="booking_rejected",
        target=booking,
        details={"reason": booking.decision_message},
    )
    signals.booking_rejected.send(
        sender=StandBooking, booking=booking, reason=booking.decision_message
    )
    return booking


def _end(booking: StandBooking, *, status: str, now: datetime, reason: str = "") -> None:
    booking.status = status
    booking.ended_at = now
    if reason:
        booking.decision_message = reason
    booking.save(update_fields=["status", "ended_at", "decision_message"])
    StaffPass.objects.filter(booking=booking, revoked_at__isnull=True).update(revoked_at=now)


@transaction.atomic
def withdraw_booking(*, booking: StandBooking, by: User, now: datetime) -> StandBooking:
    """The company withdraws its booking before the cancellation deadline.

    Raises DomainError `not_active`, `withdrawal_deadline_passed`."""
    booking = _locked(booking)
    if not booking.is_active:
        raise DomainError(_("This booking is no longer active."), ErrorCode.NOT_ACTIVE)
    deadline = booking.fair.cancellation_deadline
    if deadline is not None and now >= deadline:
        raise DomainError(
            _("The deadline for withdrawing has passed. Please contact the organiser."),
            ErrorCode.WITHDRAWAL_DEADLINE_PASSED,
        )
    _end(booking, status=StandBooking.Status.WITHDRAWN, now=now)
    signals.booking_cancelled.send(
        sender=StandBooking, booking=booking, by_organiser=False, reason=""
    )
    return booking


@transaction.atomic
def cancel_booking(*, booking: StandBooking, by: User, reason: str, now: datetime) -> StandBooking:
    """The organiser cancels an active booking, at any time, with a message.

    Raises DomainError `not_active`, InvalidInput `reason_required`."""
    if not reason.strip():
        raise InvalidInput(_("Please tell the company why."), ErrorCode.REASON_REQUIRED)
    booking = _locked(booking)
    if not booking.is_active:
        raise DomainError(_("This booking is no longer active."), ErrorCode.NOT_ACTIVE)
    _end(booking, status=StandBooking.Status.CANCELLED, now=now, reason=reason.strip())
    audit.record_action(
        actor=by,
        organisation=booking.fair.event.organisation,
        action="booking_cancelled",
        target=booking,
        details={"reason": reason.strip()},
    )
    signals.booking_cancelled.send(
        sender=StandBooking, booking=booking, by_organiser=True, reason=reason.strip()
    )
    return booking
