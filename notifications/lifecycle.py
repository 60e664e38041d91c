"""The messages of the event's lifecycle: an event is cancelled, and everyone it concerns is
told once, in their own language (receivers.py calls these inside the cancelling
transaction; the outbox sends on commit).

Each recipient gets one message per event whatever they held (a parent with two children,
one registered and one waiting, reads both in one mail): the outbox key is (purpose, address,
event), so cancelling again, or a retry, writes nothing new.
"""

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from ticketing.models import Registration

from .models import Purpose
from .outbox import write_message
from .transactional import (
    compose,
    event_facts,
    for_child,
    greeted_name,
    greeting,
    language_of,
    sender_name,
)

WAITING = (Registration.Status.WAITLISTED, Registration.Status.OFFERED)


def _visitor_line(registration, previous: str, *, about_child: bool) -> str:
    """What the cancellation means for one registration, in the active language."""
    child = {"child": registration.name}
    if previous in WAITING:
        if about_child:
            return _("%(child)s is no longer on the waiting list.") % child
        return _("You are no longer on the waiting list.")
    if previous == Registration.Status.PENDING_GUARDIAN:
        return (
            _("The registration of %(child)s is cancelled. There is nothing left to confirm.")
            % child
        )
    if about_child:
        return (
            _("The registration of %(child)s is cancelled and the ticket is no longer valid.")
            % child
        )
    return _("Your registration is cancelled and your ticket is no longer valid.")


def _reason_line(reason: str) -> list[str]:
    return [_("Message from the organiser: %(reason)s") % {"reason": reason}] if reason else []


def _recipients(registrations, previous: dict) -> dict[str, dict]:
    """Every address to tell, once: the registrant (the parent for a camp child) and a minor's
    parent or guardian who was asked to confirm; each with the registrations it concerns."""
    found: dict[str, dict] = {}

    def add(email: str, name: str, registration, about_child: bool) -> None:
        if not email:
            return
        entry = found.setdefault(
            email.strip().lower(),
            {
                "email": email.strip(),
                "name": name,
                "language": language_of(registration),
                "lines": [],
            },
        )
        entry["lines"].append((registration, previous[registration.pk], about_child))

    for registration in registrations:
        child = for_child(registration)
        add(registration.email, greeted_name(registration), registration, child)
        guardian = registration.guardian_email
        if guardian and guardian.strip().lower() != registration.email.strip().lower():
            add(guardian, registration.guardian_name, registration, True)
    return found


def event_cancelled_visitors(*, event, registrations, previous: dict, reason: str) -> int:
    """Tell every registered person, parent or guardian and waiting person of a cancelled
    event, once per address; returns the number of messages written now."""
    written = 0
    for recipient in _recipients(registrations, previous).values():
        language = recipient["language"]

        def build(recipient=recipient) -> dict:
            lines = []
            for registration, status, about_child in recipient["lines"]:
                line = _visitor_line(registration, status, about_child=about_child)
                if line not in lines:
                    lines.append(line)
            return {
                "greeting": greeting(recipient["name"]),
                "paragraphs": [
                    _("We are sorry: the event below has been cancelled."),
                    *_reason_line(reason),
                    *lines,
                    _("You do not need to do anything."),
                ],
                "facts": event_facts(event),
                "sender_name": sender_name(event),
            }

        rendered = compose(
            language=language,
            subject=gettext_noop("Cancelled: %(event)s"),
            subject_params={"event": _title(event, language)},
            build=build,
        )
        _message, created = write_message(
            purpose=Purpose.EVENT_CANCELLED,
            to_email=recipient["email"],
            language=language,
            rendered=rendered,
            related=event,
            event=event,
        )
        written += created
    return written


def event_cancelled_exhibitors(*, event, bookings, entries, reason: str) -> int:
    """Tell every company whose stand booking or stand waiting-list place the cancellation
    ended, once per address; returns the number of messages written now."""
    companies: dict[str, dict] = {}
    for booking in bookings:
        entry = companies.setdefault(
            booking.company.contact_email.strip().lower(),
            {"company": booking.company, "stands": [], "waiting": False},
        )
        entry["stands"].append(booking.stand.label)
    for waiting in entries:
        entry = companies.setdefault(
            waiting.company.contact_email.strip().lower(),
            {"company": waiting.company, "stands": [], "waiting": False},
        )
        entry["waiting"] = True
    written = 0
    for entry in companies.values():
        company = entry["company"]
        if not company.contact_email:
            continue
        language = language_of(company)

        def build(entry=entry, company=company) -> dict:
            lines = []
            if entry["stands"]:
                lines.append(
                    _(
                        "Your stand booking is cancelled (%(stands)s). Staff passes are no "
                        "longer valid."
                    )
                    % {"stands": ", ".join(entry["stands"])}
                )
            if entry["waiting"]:
                lines.append(_("Your company is no longer on the waiting list for a stand."))
            return {
                "greeting": greeting(company.contact_name),
                "paragraphs": [
                    _("We are sorry: the event below has been cancelled."),
                    *_reason_line(reason),
                    *lines,
                    _("You do not need to do anything."),
                ],
                "facts": event_facts(event),
                "sender_name": sender_name(event),
            }

        rendered = compose(
            language=language,
            subject=gettext_noop("Cancelled: %(event)s"),
            subject_params={"event": _title(event, language)},
            build=build,
        )
        _message, created = write_message(
            purpose=Purpose.EVENT_CANCELLED_EXHIBITOR,
            to_email=company.contact_email,
            language=language,
            rendered=rendered,
            related=event,
            event=event,
        )
        written += created
    return written


def _title(event, language: str) -> str:
    with translation.override(language):
        return event.title
