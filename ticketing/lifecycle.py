"""Ticketing's part in the event's lifecycle (events_platform/signals.py): the receivers run
inside the core service's transaction, with the event row already locked by it."""

from datetime import datetime

from django.db.models import Count
from django.utils.translation import ngettext

from events_platform import signals as core_signals
from events_platform.extensions import cancellation_effects
from events_platform.models import Event
from events_platform.services import merge_counts
from infra.errors import DomainError

from . import counters, signals
from .errors import ErrorCode
from .models import Registration, Ticket
from .services import offer_freed_places

Status = Registration.Status

# What each status that still counts becomes a count of, when the event is cancelled.
CLOSED_COUNT = {
    Status.CONFIRMED: "registrations_cancelled",
    Status.PENDING_GUARDIAN: "guardian_requests_closed",
    Status.WAITLISTED: "waitlist_closed",
    Status.OFFERED: "waitlist_closed",
}


def close_registrations(*, event: Event, now: datetime, reason: str = "") -> dict[str, int]:
    """Cancel every registration of a cancelled event that still counts (confirmed, waiting
    for a guardian, waiting, offered) and revoke its tickets; returns the counts, including
    those of the receivers that told the people (the caller holds the event lock)."""
    registrations = list(
        Registration.objects.select_for_update(of=("self",))
        .filter(event=event, status__in=list(CLOSED_COUNT))
        .select_related("event__venue", "event__organisation", "time_slot")
        .order_by("pk")
    )
    counts = dict.fromkeys(set(CLOSED_COUNT.values()), 0)
    previous = {}
    for registration in registrations:
        counts[CLOSED_COUNT[registration.status]] += 1
        previous[registration.pk] = registration.status
    ids = list(previous)
    counts["tickets_revoked"] = Ticket.objects.filter(
        registration_id__in=ids, status=Ticket.Status.VALID
    ).update(status=Ticket.Status.REVOKED, revoked_at=now)
    Registration.objects.filter(pk__in=ids).update(
        status=Status.CANCELLED, cancelled_at=now, offer_expires_at=None
    )
    # All at once, so the counters are counted again (the event row is locked).
    counters.recount(event.pk)
    for registration in registrations:
        registration.status = Status.CANCELLED
        registration.cancelled_at = now
        registration.offer_expires_at = None
    responses = signals.registrations_closed_by_event_cancellation.send(
        sender=Registration,
        event=event,
        registrations=registrations,
        previous=previous,
        reason=reason,
    )
    counts.update(merge_counts(responses))
    return counts


def on_event_cancelled(sender, event, by, now, reason="", **kwargs) -> dict[str, int]:
    return close_registrations(event=event, now=now, reason=reason)


def on_capacity_changed(sender, event, previous, by, now, **kwargs) -> dict[str, int]:
    """Refuse a capacity below the places held; offer what a larger one frees at once."""
    if event.capacity is not None:
        # The counter's capacity followed the event's on save, which locked its row: no
        # registration can take a place between this read and the commit.
        held = counters.parts(event.pk).event.taken
        if held > event.capacity:
            raise DomainError(
                ngettext(
                    "%(held)d person already holds a place: the capacity cannot be lower.",
                    "%(held)d persons already hold a place: the capacity cannot be lower.",
                    held,
                )
                % {"held": held},
                ErrorCode.CAPACITY_BELOW_HELD,
                data={"held": held},
            )
    raised = event.capacity is None or (previous is not None and event.capacity > previous)
    if not raised:
        return {}
    # The core's service holds the event lock: the places are offered in its transaction,
    # so the new capacity and its offers (and their mails) commit together. The periodic
    # promote_waiting_lists task remains the sweep for places freed any other way.
    return {"places_offered": len(offer_freed_places(event=event, now=now))}


def cancellation_sentences(event: Event) -> list[str]:
    """What cancelling `event` would do to its registrations (for the confirmation page)."""
    per_status = dict(
        Registration.objects.filter(event=event, status__in=list(CLOSED_COUNT))
        .values_list("status")
        .annotate(n=Count("pk"))
    )
    holding = per_status.get(Status.CONFIRMED, 0) + per_status.get(Status.PENDING_GUARDIAN, 0)
    waiting = per_status.get(Status.WAITLISTED, 0) + per_status.get(Status.OFFERED, 0)
    sentences = []
    if holding:
        sentences.append(
            ngettext(
                "%(count)d registration is cancelled; its ticket no longer admits anyone.",
                "%(count)d registrations are cancelled; their tickets no longer admit anyone.",
                holding,
            )
            % {"count": holding}
        )
    if waiting:
        sentences.append(
            ngettext(
                "%(count)d person is taken off the waiting list.",
                "%(count)d people are taken off the waiting list.",
                waiting,
            )
            % {"count": waiting}
        )
    return sentences


def connect() -> None:
    """Connect ticketing's receivers of the core's lifecycle signals and say what cancelling
    does to registrations (from ready())."""
    cancellation_effects.register("ticketing", cancellation_sentences, order=20)
    core_signals.event_cancelled.connect(
        on_event_cancelled, sender=Event, weak=False, dispatch_uid="ticketing.event_cancelled"
    )
    core_signals.capacity_changed.connect(
        on_capacity_changed, sender=Event, weak=False, dispatch_uid="ticketing.capacity_changed"
    )
