"""The messages of the event's lifecycle: an event is cancelled, and everyone it concerns is
told once, in their own language (receivers.py calls these inside the cancelling
transaction; the outbox sends on commit).

Each recipient gets one message per event whatever they held (a parent with two children,
one registered and one waiting, reads both in one mail): the outbox key is (purpose, address,
event), so cancelling again, or a retry, writes nothing new.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext

from fairs.models import StandBooking, WaitlistEntry
from ticketing.models import Registration

from .models import Purpose
from .rendering import event_facts, language_of, sender_name
from .transactional import _notice, _send, for_child, greeted_name

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


def _paragraphs(reason: str, lines: list[str]) -> list[str]:
    return [
        _("We are sorry: the event below has been cancelled."),
        *([_("Message from the organiser: %(reason)s") % {"reason": reason}] if reason else []),
        *lines,
        _("You do not need to do anything."),
    ]


def event_cancelled_visitors(*, event, registrations, previous: dict, reason: str) -> int:
    """Tell every registered person, parent or guardian and waiting person of a cancelled
    event, once per address; returns the number of addresses told."""
    recipients = _recipients(registrations, previous).values()
    for recipient in recipients:

        def build(recipient=recipient) -> dict:
            lines = []
            for registration, status, about_child in recipient["lines"]:
                line = _visitor_line(registration, status, about_child=about_child)
                if line not in lines:
                    lines.append(line)
            return _notice(
                greeting_name=recipient["name"],
                paragraphs=_paragraphs(reason, lines),
                facts=event_facts(event),
                sender=sender_name(event),
            )

        _send(
            purpose=Purpose.EVENT_CANCELLED,
            to_email=recipient["email"],
            language=recipient["language"],
            subject=gettext_noop("Cancelled: %(event)s"),
            build=build,
            related=event,
            event=event,
        )
    return len(recipients)


def event_cancelled_exhibitors(*, event, bookings, entries, reason: str) -> int:
    """Tell every company whose stand booking or stand waiting-list place the cancellation
    ended, once per address; returns the number of addresses told."""
    companies: dict[str, dict] = {}
    for company, stand in [(b.company, b.stand.label) for b in bookings] + [
        (entry.company, None) for entry in entries
    ]:
        if not company.contact_email:
            continue
        found = companies.setdefault(
            company.contact_email.strip().lower(),
            {"company": company, "stands": [], "waiting": False},
        )
        if stand is None:
            found["waiting"] = True
        else:
            found["stands"].append(stand)
    for found in companies.values():
        company = found["company"]

        def build(found=found, company=company) -> dict:
            lines = []
            if found["stands"]:
                lines.append(
                    _(
                        "Your stand booking is cancelled (%(stands)s). Staff passes are no "
                        "longer valid."
                    )
                    % {"stands": ", ".join(found["stands"])}
                )
            if found["waiting"]:
                lines.append(_("Your company is no longer on the waiting list for a stand."))
            return _notice(
                greeting_name=company.contact_name,
                paragraphs=_paragraphs(reason, lines),
                facts=event_facts(event),
                sender=sender_name(event),
            )

        _send(
            purpose=Purpose.EVENT_CANCELLED_EXHIBITOR,
            to_email=company.contact_email,
            language=language_of(company),
            subject=gettext_noop("Cancelled: %(event)s"),
            build=build,
            related=event,
            event=event,
        )
    return len(companies)


def cancellation_sentences(event) -> list[str]:
    """Who would be told if `event` were cancelled (for the confirmation page)."""
    registrations = list(
        Registration.objects.filter(
            event=event,
            status__in=[
                Registration.Status.CONFIRMED,
                Registration.Status.PENDING_GUARDIAN,
                *WAITING,
            ],
        ).select_related("event")
    )
    people = len(_recipients(registrations, {r.pk: r.status for r in registrations}))
    companies = {
        email.strip().lower()
        for email in StandBooking.objects.filter(
            fair__event=event, status__in=StandBooking.ACTIVE
        ).values_list("company__contact_email", flat=True)
    } | {
        email.strip().lower()
        for email in WaitlistEntry.objects.filter(
            fair__event=event,
            status__in=[WaitlistEntry.Status.WAITING, WaitlistEntry.Status.OFFERED],
        ).values_list("company__contact_email", flat=True)
    }
    told = people + len(companies - {""})
    if not told:
        return []
    return [
        ngettext(
            "%(count)d e-mail address is told once, in its own language.",
            "%(count)d e-mail addresses are told once each, in their own language.",
            told,
        )
        % {"count": told}
    ]
