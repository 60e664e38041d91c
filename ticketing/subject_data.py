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
from .models import ConsentRecord, Question, Registration, Ticket, VisitorFeed, new_token


def _event_name(event) -> str:
    """The event's title in the active language, with its town (as Event.__str__ in German)."""
    return event.title_with_town


def _answers(registration, questions: dict[int, Question]) -> dict:
    """The answers keyed by the question's text in the active language, in the form's order;
    a choice as it was offered in that language. An answer to a question the organiser
    removed since keeps its value under a general label."""
    stored = dict(registration.answers or {})
    shown = {}
    for question in questions.values():
        if str(question.pk) in stored:
            value = stored.pop(str(question.pk))
            offered = dict(question.choice_pairs)
            if isinstance(value, list):
                value = [offered.get(item, item) for item in value]
            elif isinstance(value, str):
                value = offered.get(value, value)
            shown[_unique(shown, question.label)] = value
    for value in stored.values():
        shown[_unique(shown, _("A question that was removed"))] = value
    return shown


def _unique(taken: dict, label: str) -> str:
    """`label`, numbered when the same text is already used ("… (2)")."""
    if label not in taken:
        return label
    number = 2
    while f"{label} ({number})" in taken:
        number += 1
    return f"{label} ({number})"


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
    questions = {
        question.pk: question
        for question in Question.objects.filter(
            event__in={registration.event_id for registration in registrations}
        )
    }
    records = []
    for registration in registrations:
        row = subject_requests.record(registration, registration_fields)
        row["event"] = _event_name(registration.event)
        if "answers" in row:
            asked = {pk: q for pk, q in questions.items() if q.event_id == registration.event_id}
            row["answers"] = _answers(registration, asked)
        row["workshops"] = [str(session) for session in registration.sessions.all()]
        records.append(row)
    consents = ConsentRecord.objects.filter(registration__in=registrations).select_related(
        "registration__event__venue"
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
            records=[
                {
                    **subject_requests.record(c, consent_fields),
                    # As Registration.__str__, with the event in the active language.
                    "registration": f"{c.registration.name} – {_event_name(c.registration.event)}",
                }
                for c in consents
            ],
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
