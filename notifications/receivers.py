"""Receivers of the fairs and ticketing domain signals.

They do nothing but write the outbox row, in the sender's transaction; the send itself is
queued on commit by the outbox. A receiver named for a signal that does not exist stops the
start-up (a renamed signal would otherwise leave its mails unsent without a word).
"""

from django.core.exceptions import ImproperlyConfigured
from django.dispatch import Signal
from django.utils import timezone

from dataprotection import subject_requests
from fairs import signals as fairs_signals
from ticketing import signals as ticketing_signals

from . import lifecycle, organiser_alerts, transactional
from .models import OrganiserAlert

# dispatch_uid keeps a receiver connected once, however often ready() runs.
UID = "notifications.{}"


def on_registration_confirmed(sender, registration, **kwargs):
    transactional.registration_confirmed(registration=registration)


def on_waitlist_joined(sender, registration, **kwargs):
    transactional.waitlist_joined(registration=registration)


def on_waitlist_offer_made(sender, registration, expires_at, **kwargs):
    transactional.waitlist_offer(registration=registration, expires_at=expires_at)


def on_guardian_confirmation_requested(sender, registration, confirm_url, **kwargs):
    transactional.guardian_confirmation(registration=registration, confirm_url=confirm_url)


def on_place_released(sender, registration, reason, **kwargs):
    transactional.place_released(registration=registration, reason=reason)


def on_registration_cancelled(sender, registration, by_organiser=False, **kwargs):
    transactional.registration_cancelled(registration=registration, by_organiser=by_organiser)


def on_manage_link_renewed(sender, registration, by_organiser=False, ticket_reissued=False, **kw):
    transactional.manage_link_renewed(
        registration=registration, by_organiser=by_organiser, ticket_reissued=ticket_reissued
    )


def on_registration_changed(sender, registration, previous, ticket_reissued=False, **kwargs):
    transactional.registration_changed(
        registration=registration, previous=previous, ticket_reissued=ticket_reissued
    )


def on_booking_requested(sender, booking, **kwargs):
    transactional.booking_requested(booking=booking)
    organiser_alerts.record_alert(
        event=booking.fair.event,
        kind=OrganiserAlert.Kind.STAND_REQUESTED,
        detail=f"{booking.company.name}, {booking.stand.label}",
        object_key=f"booking:{booking.pk}",
        now=booking.requested_at,
    )


def on_booking_approved(sender, booking, message="", **kwargs):
    transactional.booking_approved(booking=booking, message=message)


def on_booking_rejected(sender, booking, reason="", **kwargs):
    transactional.booking_rejected(booking=booking, reason=reason)


def on_booking_cancelled(sender, booking, by_organiser=False, reason="", **kwargs):
    transactional.booking_cancelled(booking=booking, by_organiser=by_organiser, reason=reason)
    if not by_organiser:
        organiser_alerts.record_alert(
            event=booking.fair.event,
            kind=OrganiserAlert.Kind.BOOKING_WITHDRAWN,
            detail=f"{booking.company.name}, {booking.stand.label}",
            object_key=f"booking:{booking.pk}",
            now=booking.ended_at or timezone.now(),
        )


def on_capacity_reached(sender, event, time_slot=None, **kwargs):
    # Once per event (or slot) and day: full, freed and full again is news the next day.
    now = timezone.now()
    part = f"slot:{time_slot.pk}" if time_slot is not None else "event"
    organiser_alerts.record_alert(
        event=event,
        kind=OrganiserAlert.Kind.EVENT_FULL,
        detail="",
        object_key=f"{part}:{event.pk}:{timezone.localdate(now).isoformat()}",
        now=now,
    )


def on_stand_offer_made(sender, entry, stand, **kwargs):
    transactional.stand_offer(entry=entry, stand=stand)


def on_company_email_confirmation_requested(sender, company, user, confirm_url, **kwargs):
    transactional.company_email_confirmation(company=company, user=user, confirm_url=confirm_url)


def on_company_member_invited(sender, company, email, invite_url, **kwargs):
    transactional.company_member_invited(company=company, email=email, invite_url=invite_url)


def on_registrations_closed_by_event_cancellation(
    sender, event, registrations, previous, reason="", **kwargs
):
    told = lifecycle.event_cancelled_visitors(
        event=event, registrations=registrations, previous=previous, reason=reason
    )
    return {"people_told": told}


def on_bookings_closed_by_event_cancellation(sender, event, bookings, entries, reason="", **kw):
    told = lifecycle.event_cancelled_exhibitors(
        event=event, bookings=bookings, entries=entries, reason=reason
    )
    return {"exhibitors_told": told}


def on_data_link_requested(sender, email, url, expires_at, language="de", **kwargs):
    transactional.data_access_link(email=email, url=url, expires_at=expires_at, language=language)


RECEIVERS = [
    (ticketing_signals, "registration_confirmed", on_registration_confirmed),
    (ticketing_signals, "waitlist_joined", on_waitlist_joined),
    (ticketing_signals, "waitlist_offer_made", on_waitlist_offer_made),
    (ticketing_signals, "guardian_confirmation_requested", on_guardian_confirmation_requested),
    (ticketing_signals, "place_released", on_place_released),
    (ticketing_signals, "registration_cancelled", on_registration_cancelled),
    (ticketing_signals, "manage_link_renewed", on_manage_link_renewed),
    (ticketing_signals, "registration_changed", on_registration_changed),
    (ticketing_signals, "capacity_reached", on_capacity_reached),
    (fairs_signals, "booking_requested", on_booking_requested),
    (fairs_signals, "booking_approved", on_booking_approved),
    (fairs_signals, "booking_rejected", on_booking_rejected),
    (fairs_signals, "booking_cancelled", on_booking_cancelled),
    (fairs_signals, "waitlist_offer_made", on_stand_offer_made),
    (
        fairs_signals,
        "company_email_confirmation_requested",
        on_company_email_confirmation_requested,
    ),
    (fairs_signals, "company_member_invited", on_company_member_invited),
    (
        ticketing_signals,
        "registrations_closed_by_event_cancellation",
        on_registrations_closed_by_event_cancellation,
    ),
    (
        fairs_signals,
        "bookings_closed_by_event_cancellation",
        on_bookings_closed_by_event_cancellation,
    ),
    (subject_requests, "data_link_requested", on_data_link_requested),
]


def connect() -> list[str]:
    """Connect every receiver to its signal; returns the names connected.

    Raises ImproperlyConfigured when a named signal does not exist.
    """
    connected = []
    for module, name, receiver in RECEIVERS:
        signal = getattr(module, name, None)
        if not isinstance(signal, Signal):
            raise ImproperlyConfigured(
                f"notifications.receivers: {module.__name__} has no signal {name!r} "
                f"for {receiver.__name__}"
            )
        label = f"{module.__name__}.{name}"
        signal.connect(receiver, weak=False, dispatch_uid=UID.format(label))
        connected.append(label)
    return connected
