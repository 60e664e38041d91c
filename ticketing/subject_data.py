"""What ticketing stores about a person, for data-subject requests (events_platform/
subject_requests.py discovers this module).

A person is found by the address they registered with, and as parent or guardian by the
address they gave for a minor's camp place: the guardian acts for the child, so both see and
may erase those registrations. Erasure cancels places for events still to come (the place
goes to the waiting list), then anonymises the registration like the retention task does:
the row stays with its status, head count, slot and workshops, so the counts for funders'
reports stay right.
"""

from datetime import datetime

from django.db.models import Q
from django.utils.translation import gettext as _

from dataprotection import registry, subject_requests

from . import services
from .models import ConsentRecord, Registration, Ticket, VisitorFeed, new_token


def _event_name(event) -> str:
    """The event's title in the active language, with its town (as Event.__str__ in German)."""
    return event.title_with_town


def registrations_of(email: str, organisations=None):
    """Registrations made with `email`, or for which `email` is the guardian's address."""
    found = Registration.objects.filter(Q(email=email) | Q(guardian_email=email))
    return subject_requests.in_scope(found, organisations, "event__organisation").select_related(
        "event__venue", "time_slot"
    )


def export(email: str, *, organisations=None) -> list[subject_requests.Section]:
    # Which fields: derived from privacy.py (personal and sensitive ones, and their context).
    registration_fields = registry.copy_fields(Registration)
    consent_fields = registry.copy_fields(ConsentRecord)
    ticket_fields = registry.copy_fields(Ticket)
    registrations = list(registrations_of(email, organisations).order_by("created_at", "pk"))
    records = []
    for registration in registrations:
        row = subject_requests.record(registration, registration_fields)
        row["event"] = _event_name(registration.event)
        row["workshops"] = [str(session) for session in registration.sessions.all()]
        records.append(row)
    consents = ConsentRecord.objects.filter(registration__in=registrations).select_related(
        "registration__event"
    )
    tickets = Ticket.objects.filter(registration__in=registrations).select_related("event__venue")
    sections = [
        subject_requests.Section(
            key="registrations",
            title=_("Registrations"),
            labels={
                **subject_requests.labels(Registration, registration_fields),
                "workshops": _("Workshops"),
            },
            records=records,
        ),
        subject_requests.Section(
            key="consents",
            title=_("Consents"),
            labels=subject_requests.labels(ConsentRecord, consent_fields),
            records=[subject_requests.record(c, consent_fields) for c in consents],
        ),
        subject_requests.Section(
            key="tickets",
            title=_("Tickets"),
            labels=subject_requests.labels(Ticket, ticket_fields),
            records=[
                {**subject_requests.record(t, ticket_fields), "event": _event_name(t.event)}
                for t in tickets
            ],
        ),
    ]
    if organisations is None:
        feeds = VisitorFeed.objects.filter(email=email)
        feed_fields = registry.copy_fields(VisitorFeed)
        sections.append(
            subject_requests.Section(
                key="calendar_feeds",
                title=_("Personal calendar feed"),
                labels=subject_requests.labels(VisitorFeed, feed_fields),
                records=[subject_requests.record(feed, feed_fields) for feed in feeds],
            )
        )
    return sections


def erase(email: str, *, now: datetime, organisations=None) -> dict[str, int]:
    """Cancel upcoming places, then anonymise every registration of `email`; keep counts."""
    counts = {"registrations_cancelled": 0, "registrations_anonymised": 0, "consents_deleted": 0}
    for registration in registrations_of(email, organisations).filter(event__ends_at__gt=now):
        if registration.is_active:
            services.cancel_registration(registration=registration, now=now)
            counts["registrations_cancelled"] += 1
    for registration in registrations_of(email, organisations):
        counts["consents_deleted"] += registration.consents.count()
        services._erase_personal_data(registration, keep_sessions=True)
        # The old self-service link stops working: it led to the person's name and ticket.
        registration.manage_token = new_token()
        registration.save(update_fields=["manage_token"])
        counts["registrations_anonymised"] += 1
    if organisations is None:
        counts["calendar_feeds_deleted"] = VisitorFeed.objects.filter(email=email).delete()[0]
    return counts


def organisations(email: str) -> set[int]:
    return set(registrations_of(email).values_list("event__organisation_id", flat=True))


subject_requests.register(
    "ticketing", export=export, erase=erase, organisations=organisations, order=20
)
