"""The exhibitor side's part in the event's lifecycle (events_platform/signals.py): the
receivers run inside the core service's transaction, with the event row locked by it."""

from datetime import datetime

from django.utils.translation import ngettext

from events_platform import signals as core_signals
from events_platform.extensions import cancellation_effects
from events_platform.models import Event
from events_platform.services import merge_counts

from . import signals
from .models import StaffPass, StandBooking, WaitlistEntry

OPEN_ENTRY = (WaitlistEntry.Status.WAITING, WaitlistEntry.Status.OFFERED)


def close_bookings(*, event: Event, now: datetime, reason: str = "") -> dict[str, int]:
    """Cancel every active stand booking of a cancelled event (their staff passes are
    revoked) and close its stand waiting list; returns the counts, including those of the
    receivers that told the exhibitors (the caller holds the event lock)."""
    bookings = list(
        StandBooking.objects.select_for_update(of=("self",))
        .filter(fair__event=event, status__in=StandBooking.ACTIVE)
        .select_related("company", "stand__hall", "fair__event__venue")
        .order_by("pk")
    )
    entries = list(
        WaitlistEntry.objects.select_for_update(of=("self",))
        .filter(fair__event=event, status__in=OPEN_ENTRY)
        .select_related("company")
        .order_by("pk")
    )
    booking_ids = [booking.pk for booking in bookings]
    changes = {"status": StandBooking.Status.CANCELLED, "ended_at": now}
    if reason:
        changes["decision_message"] = reason
    StandBooking.objects.filter(pk__in=booking_ids).update(**changes)
    StaffPass.objects.filter(booking_id__in=booking_ids, revoked_at__isnull=True).update(
        revoked_at=now
    )
    WaitlistEntry.objects.filter(pk__in=[entry.pk for entry in entries]).update(
        status=WaitlistEntry.Status.CLOSED
    )
    for booking in bookings:
        for name, value in changes.items():
            setattr(booking, name, value)
    for entry in entries:
        entry.status = WaitlistEntry.Status.CLOSED
    counts = {"bookings_cancelled": len(bookings), "stand_waitlist_closed": len(entries)}
    responses = signals.bookings_closed_by_event_cancellation.send(
        sender=StandBooking, event=event, bookings=bookings, entries=entries, reason=reason
    )
    counts.update(merge_counts(responses))
    return counts


def on_event_cancelled(sender, event, by, now, reason="", **kwargs) -> dict[str, int]:
    return close_bookings(event=event, now=now, reason=reason)


def cancellation_sentences(event: Event) -> list[str]:
    """What cancelling `event` would do to its stand bookings (for the confirmation page)."""
    bookings = StandBooking.objects.filter(fair__event=event, status__in=StandBooking.ACTIVE)
    booked = bookings.count()
    waiting = WaitlistEntry.objects.filter(fair__event=event, status__in=OPEN_ENTRY).count()
    sentences = []
    if booked:
        sentences.append(
            ngettext(
                "%(count)d stand booking is cancelled, with its staff passes.",
                "%(count)d stand bookings are cancelled, with their staff passes.",
                booked,
            )
            % {"count": booked}
        )
    if waiting:
        sentences.append(
            ngettext(
                "%(count)d company is taken off the stand waiting list.",
                "%(count)d companies are taken off the stand waiting list.",
                waiting,
            )
            % {"count": waiting}
        )
    return sentences


def connect() -> None:
    """Connect the exhibitor side's receivers of the core's lifecycle signals and say what
    cancelling does to stand bookings (from ready())."""
    cancellation_effects.register("fairs", cancellation_sentences, order=30)
    core_signals.event_cancelled.connect(
        on_event_cancelled, sender=Event, weak=False, dispatch_uid="fairs.event_cancelled"
    )
