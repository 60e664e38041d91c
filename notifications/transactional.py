"""Transactional messages: one function per domain event, each writes one outbox row.

They run inside the sender's transaction (called by receivers.py) and only read the
objects they are given. Transactional mail carries no unsubscribe link.

Composed at send time: inside the sender's transaction each function only decides the
recipient, language, dedup key and attachments and writes its row with the call itself
(`context`: the function's name and its arguments, objects as ids, plus the ticket it
attaches). The worker that sends the row loads the objects of its whole batch at once and runs
the same function again in compose mode (`compose_calls`), where `_send` returns the
rendered text instead of writing: the text is made by the same code from the same rows, in
the language stored on the message.
"""

import contextvars
import dataclasses
import functools
import hashlib
from collections.abc import Callable
from datetime import datetime
from types import SimpleNamespace

from django.apps import apps
from django.db import models
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext

from events_platform.when import describe_span

from .attachments import QR_CONTENT_ID, event_ics_spec, ticket_pdf_spec, ticket_qr_spec
from .models import Message, Purpose
from .outbox import register_composer, write_message
from .rendering import (
    LANGUAGES,
    absolute_url,
    compose,
    event_facts,
    greeting,
    language_of,
    local_datetime,
    manage_url,
    sender_name,
)


def _notice(
    *,
    greeting_name: str = "",
    paragraphs: list[str],
    facts: list[tuple[str, str]],
    sender: str,
    action: tuple[str, str] = ("", ""),
    ticket=None,
) -> dict:
    """The context of the notice template: greeting, text, facts, one button, the ticket's QR."""
    label, url = action
    return {
        "greeting": greeting(greeting_name),
        "paragraphs": paragraphs,
        "facts": facts,
        "qr_secret": ticket.secret if ticket else "",
        "qr_cid": QR_CONTENT_ID,
        "action_label": label,
        "action_url": url,
        "sender_name": sender,
    }


def _send(
    *,
    purpose: str,
    to_email: str,
    language: str,
    subject: str,
    build: Callable[[], dict],
    related,
    event=None,
    subject_params: dict | None = None,
    attachments: list[dict] | None = None,
    detail: str = "",
    now: datetime | None = None,
):
    """Write the outbox row (the tail of every builder); in compose mode, render it instead.

    A subject may name the event as %(event)s (its title in the message's language).
    """
    composing = _composing.get()
    if composing is not None or _capture.get() is None:
        # At send time (in the language stored on the row), or a call outside the deferred
        # functions: compose now.
        language = composing.language if composing is not None else language
        params = dict(subject_params or {})
        if event is not None:
            params.setdefault("event", _event_title(event, language))
        rendered = compose(language=language, subject=subject, subject_params=params, build=build)
        if composing is not None:
            return rendered
        context = None
    else:
        rendered, context = None, _capture.get()
    message, _created = write_message(
        purpose=purpose,
        to_email=to_email,
        language=language,
        rendered=rendered,
        context=context,
        related=related,
        event=event,
        attachments=attachments,
        detail=detail,
        now=now,
    )
    return message


# --- Composing at send time -----------------------------------------------------------------


@dataclasses.dataclass
class _Composing:
    language: str
    ticket: object = None


# Set while the worker composes a message (compose mode) / while a deferred function writes
# its row (the context being captured).
_composing: contextvars.ContextVar[_Composing | None] = contextvars.ContextVar(
    "notifications_composing", default=None
)
_capture: contextvars.ContextVar[dict | None] = contextvars.ContextVar(
    "notifications_capture", default=None
)
_CALLS: dict[str, Callable] = {}
# What a batch loads with each kind of object, so composing makes no query per message.
_LOAD_WITH = {
    "ticketing.registration": ("event__venue", "event__organisation", "time_slot"),
    "ticketing.ticket": (),
    "fairs.standbooking": (
        "company",
        "stand__hall",
        "fair__event__venue",
        "fair__event__organisation",
    ),
    "fairs.waitlistentry": ("company", "fair__event__venue", "fair__event__organisation"),
    "fairs.stand": ("hall",),
}


class _Gone(Exception):
    """An object the message is about no longer exists."""


def _dump(value):
    """A call's argument as JSON: objects as their ids, times as ISO text."""
    if isinstance(value, models.Model):
        return {"$model": value._meta.label_lower, "pk": value.pk}
    if isinstance(value, datetime):
        return {"$datetime": value.isoformat()}
    if isinstance(value, list | tuple):
        return [_dump(item) for item in value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {
            "$parts": {f.name: _dump(getattr(value, f.name)) for f in dataclasses.fields(value)}
        }
    if isinstance(value, SimpleNamespace):
        return {"$parts": {name: _dump(item) for name, item in vars(value).items()}}
    if value is None or isinstance(value, str | int | float | bool):
        return value
    raise TypeError(f"cannot keep {type(value).__name__} in a message's context")


def _refs(value, found: set) -> None:
    if isinstance(value, list):
        for item in value:
            _refs(item, found)
    elif isinstance(value, dict):
        if "$model" in value:
            found.add((value["$model"], value["pk"]))
        for item in value.get("$parts", {}).values():
            _refs(item, found)


def _load(value, objects: dict):
    if isinstance(value, list):
        return [_load(item, objects) for item in value]
    if isinstance(value, dict):
        if "$model" in value:
            obj = objects.get((value["$model"], value["pk"]))
            if obj is None:
                raise _Gone(value["$model"])
            return obj
        if "$datetime" in value:
            return datetime.fromisoformat(value["$datetime"])
        if "$parts" in value:
            return SimpleNamespace(**{k: _load(v, objects) for k, v in value["$parts"].items()})
    return value


def _fetch(refs: set) -> dict:
    """The objects of a whole batch: one query per kind of object."""
    by_label: dict[str, set] = {}
    for label, pk in refs:
        by_label.setdefault(label, set()).add(pk)
    objects = {}
    for label, pks in by_label.items():
        model = apps.get_model(label)
        found = model._default_manager.select_related(*_LOAD_WITH.get(label, ())).in_bulk(pks)
        objects.update({(label, pk): obj for pk, obj in found.items()})
    return objects


def compose_calls(messages: list) -> None:
    """Compose a batch of rows written by the functions below (context kind "call")."""
    refs: set = set()
    for message in messages:
        _refs(list(message.context.get("kwargs", {}).values()), refs)
        if message.context.get("ticket"):
            refs.add(("ticketing.ticket", message.context["ticket"]))
    objects = _fetch(refs)
    for message in messages:
        function = _CALLS.get(message.context.get("call", ""))
        if function is None:
            continue
        try:
            kwargs = {k: _load(v, objects) for k, v in message.context["kwargs"].items()}
        except _Gone:
            continue
        ticket = objects.get(("ticketing.ticket", message.context.get("ticket")))
        token = _composing.set(_Composing(language=message.language, ticket=ticket))
        try:
            rendered = function(**kwargs)
        finally:
            _composing.reset(token)
        message.subject = rendered.subject[:300]
        message.body_text = rendered.text
        message.body_html = rendered.html


register_composer("call", compose_calls)


def deferred(function: Callable) -> Callable:
    """Write the row with this call as its context; the worker composes it by calling the
    function again (compose mode)."""
    _CALLS[function.__name__] = function

    @functools.wraps(function)
    def write(**kwargs):
        if _composing.get() is not None:
            return function(**kwargs)
        context = {"kind": "call", "call": function.__name__}
        context["kwargs"] = {name: _dump(value) for name, value in kwargs.items()}
        token = _capture.set(context)
        try:
            return function(**kwargs)
        finally:
            _capture.reset(token)

    return write


def _event_title(event, language: str) -> str:
    with translation.override(language):
        return event.title


# --- Visitors ----------------------------------------------------------------------------


def for_child(registration) -> bool:
    """True when a parent registered the participant: the mail greets the parent and names
    the child (ticketing.queries.for_child)."""
    from ticketing.queries import for_child as registered_for_child

    return registered_for_child(registration)


def greeted_name(registration) -> str:
    """Whom a visitor mail greets: the parent who registered a child, else the registrant."""
    if for_child(registration) and registration.guardian_name:
        return registration.guardian_name
    return registration.name


def _valid_ticket(registration):
    """The registration's newest valid ticket (None if it has none): when the row is
    written; at send time the ticket it was written with (its attachments are that one's)."""
    from ticketing.services import written_ticket

    composing = _composing.get()
    if composing is not None:
        return composing.ticket
    known, ticket = written_ticket(registration)  # just written: no query
    if not known:
        ticket = registration.tickets.filter(status="valid").order_by("-issued_at").first()
    capture = _capture.get()
    if capture is not None:
        capture["ticket"] = ticket.pk if ticket is not None else None
    return ticket


def _ticket_attachments(ticket) -> list[dict] | None:
    """The ticket's QR image and PDF, when there is a ticket to send."""
    return [ticket_qr_spec(ticket), ticket_pdf_spec(ticket)] if ticket else None


def _with_ticket_and_link(registration, ticket, *, paragraphs: list, facts: list) -> dict:
    """A visitor mail that carries the (new) ticket's QR code and the link to the registration."""
    return _notice(
        greeting_name=greeted_name(registration),
        paragraphs=paragraphs,
        facts=facts,
        sender=sender_name(registration.event),
        action=(_("See, change or cancel your registration"), manage_url(registration)),
        ticket=ticket,
    )


@deferred
def registration_confirmed(*, registration, now: datetime | None = None) -> Message:
    """The confirmation with the ticket (QR inline, PDF when available) and the .ics."""
    event = registration.event
    language = language_of(registration)
    ticket = _valid_ticket(registration)
    child = for_child(registration)

    def build() -> dict:
        if child:
            paragraphs = [
                _(
                    "You have registered your child %(child)s for the event below. The "
                    "registration is confirmed."
                )
                % {"child": registration.name},
                _("Please show the ticket at the start (on the phone or printed)."),
            ]
        else:
            paragraphs = [_("Your registration is confirmed. We look forward to seeing you.")]
        if registration.headcount > 1:
            paragraphs.append(
                ngettext(
                    "Your ticket admits %(count)s person.",
                    "Your ticket admits %(count)s persons.",
                    registration.headcount,
                )
                % {"count": registration.headcount}
            )
        paragraphs.append(_("The calendar entry is attached to this e-mail."))
        action_label = (
            _("See, change or cancel the registration")
            if child
            else _("See, change or cancel your registration")
        )
        return _notice(
            greeting_name=greeted_name(registration),
            paragraphs=paragraphs,
            facts=event_facts(event),
            sender=sender_name(event),
            action=(action_label, manage_url(registration)),
            ticket=ticket,
        )

    return _send(
        purpose=Purpose.REGISTRATION_CONFIRMED,
        to_email=registration.email,
        language=language,
        subject=gettext_noop("Ticket for %(child)s: %(event)s")
        if child
        else gettext_noop("Your ticket: %(event)s"),
        subject_params={"child": registration.name},
        build=build,
        related=registration,
        event=event,
        attachments=[*(_ticket_attachments(ticket) or []), event_ics_spec(event)],
        now=now,
    )


def _visitor_notice(
    *,
    purpose: str,
    registration,
    to_email: str | None = None,
    subject: str,
    paragraphs: Callable[[], list[str]],
    action: Callable[[], tuple[str, str]] | None = None,
    detail: str = "",
    greeting_name: str | None = None,
) -> Message:
    event = registration.event
    language = language_of(registration)

    def build() -> dict:
        return _notice(
            greeting_name=greeting_name or greeted_name(registration),
            paragraphs=paragraphs(),
            facts=event_facts(event),
            sender=sender_name(event),
            action=action() if action else ("", ""),
        )

    return _send(
        purpose=purpose,
        to_email=to_email or registration.email,
        language=language,
        subject=subject,
        build=build,
        related=registration,
        event=event,
        detail=detail,
    )


@deferred
def waitlist_joined(*, registration) -> Message:
    """Tell a visitor they are on the waiting list."""
    return _visitor_notice(
        purpose=Purpose.WAITLIST_JOINED,
        registration=registration,
        subject=gettext_noop("On the waiting list: %(event)s"),
        paragraphs=lambda: [
            _("The event is fully booked. Your child %(child)s is on the waiting list.")
            % {"child": registration.name}
            if for_child(registration)
            else _("The event is fully booked. You are on the waiting list."),
            _(
                "If a place becomes free, we will offer it to you by e-mail. You then have "
                "a limited time to accept it."
            ),
            _("There is no ticket yet: you get it when you accept an offered place."),
        ],
        action=lambda: (_("See or cancel your registration"), manage_url(registration)),
    )


@deferred
def waitlist_offer(*, registration, expires_at: datetime) -> Message:
    """Offer a freed place, with the time the offer expires."""
    return _visitor_notice(
        purpose=Purpose.WAITLIST_OFFER,
        registration=registration,
        subject=gettext_noop("A place is free for you: %(event)s"),
        paragraphs=lambda: [
            _("A place has become free for your child %(child)s.") % {"child": registration.name}
            if for_child(registration)
            else _("A place has become free, and it is yours if you want it."),
            _(
                "Please accept or decline the place by %(deadline)s. After that we offer it to "
                "the next person."
            )
            % {"deadline": local_datetime(expires_at)},
        ],
        action=lambda: (_("Accept or decline the place"), manage_url(registration)),
        detail=expires_at.isoformat(),
    )


@deferred
def guardian_confirmation(*, registration, confirm_url: str) -> Message:
    """Ask a minor's parent or guardian to confirm the registration."""
    deadline = getattr(registration, "guardian_deadline", None)

    def paragraphs() -> list[str]:
        if for_child(registration):
            texts = [
                _("You have registered your child %(child)s for the event below.")
                % {"child": registration.name},
                _("Please confirm or decline the registration as parent or guardian."),
            ]
        else:
            texts = [
                _("%(participant)s has registered for the event below. The participant is a minor.")
                % {"participant": registration.name},
                _("Please confirm or decline the registration as parent or guardian."),
            ]
        if deadline:
            texts.append(
                _("Without your confirmation by %(deadline)s the place is released.")
                % {"deadline": local_datetime(deadline)}
            )
        return texts

    return _visitor_notice(
        purpose=Purpose.GUARDIAN_CONFIRMATION,
        registration=registration,
        to_email=registration.guardian_email or registration.email,
        greeting_name=registration.guardian_name or None,
        subject=gettext_noop("Please confirm: %(event)s"),
        paragraphs=paragraphs,
        action=lambda: (_("Confirm or decline the registration"), confirm_url),
    )


PLACE_RELEASED_REASONS = {
    "offer_expired": gettext_noop("The offered place was not accepted in time."),
    "guardian_timeout": gettext_noop("The parent or guardian did not confirm in time."),
    "offer_declined": gettext_noop("The offered place was declined."),
    "guardian_declined": gettext_noop("The parent or guardian declined the place."),
}


@deferred
def place_released(*, registration, reason: str) -> Message:
    """Tell a visitor their place was released, and why."""
    return _visitor_notice(
        purpose=Purpose.PLACE_RELEASED,
        registration=registration,
        subject=gettext_noop("Your place was released: %(event)s"),
        paragraphs=lambda: [
            _("The place of your child %(child)s at the event below has been released.")
            % {"child": registration.name}
            if for_child(registration)
            else _("Your place at the event below has been released."),
            _(PLACE_RELEASED_REASONS.get(reason, gettext_noop("The place is no longer held."))),
            _("You are welcome to register again if places are free."),
        ],
    )


@deferred
def registration_cancelled(*, registration, by_organiser: bool) -> Message:
    """Confirm a cancellation (by the visitor or by the organiser)."""
    # Only a registration that had a ticket is told that it no longer counts.
    had_ticket = registration.tickets.exists()

    def paragraphs() -> list[str]:
        if for_child(registration):
            texts = [
                _(
                    "The organiser has cancelled the registration of your child %(child)s for "
                    "the event below."
                )
                if by_organiser
                else _(
                    "You have cancelled the registration of your child %(child)s for the event "
                    "below."
                )
            ]
            texts[0] %= {"child": registration.name}
        else:
            texts = [
                _("The organiser has cancelled your registration for the event below.")
                if by_organiser
                else _("You have cancelled your registration for the event below.")
            ]
        if had_ticket:
            texts.append(_("The ticket is no longer valid."))
        return texts

    return _visitor_notice(
        purpose=Purpose.REGISTRATION_CANCELLED,
        registration=registration,
        subject=gettext_noop("Registration cancelled: %(event)s"),
        paragraphs=paragraphs,
    )


@deferred
def manage_link_renewed(*, registration, by_organiser: bool, ticket_reissued: bool) -> Message:
    """Send the new self-service link (and the new ticket, if it was reissued)."""
    event = registration.event
    language = language_of(registration)
    ticket = _valid_ticket(registration) if ticket_reissued else None

    def build() -> dict:
        paragraphs = [
            _("The organiser has given your registration a new link.")
            if by_organiser
            else _("You have asked for a new link to your registration."),
            _("The previous link no longer works. Please use the button below from now on."),
        ]
        if ticket is not None:
            paragraphs.append(
                _("Your ticket has a new QR code as well; the previous code is no longer valid.")
            )
        return _with_ticket_and_link(
            registration, ticket, paragraphs=paragraphs, facts=event_facts(event)
        )

    return _send(
        purpose=Purpose.MANAGE_LINK_RENEWED,
        to_email=registration.email,
        language=language,
        subject=gettext_noop("New link to your registration: %(event)s"),
        build=build,
        related=registration,
        event=event,
        attachments=_ticket_attachments(ticket),
        # One mail per new link (never the token itself: the key is stored).
        detail=hashlib.sha256(registration.manage_token.encode()).hexdigest()[:32],
    )


def _changed_facts(registration, previous) -> list[tuple[str, str]]:
    """One row per changed part: what it is now, and what it was."""
    rows = []

    def add(label: str, now: str, before: str) -> None:
        if now != before:
            rows.append((label, _("%(now)s (before: %(before)s)") % {"now": now, "before": before}))

    def titles(sessions) -> str:
        return ", ".join(session.title for session in sessions) or _("none")

    slot = registration.time_slot
    add(
        _("Time slot"),
        str(slot) if slot else _("none"),
        str(previous.time_slot) if previous.time_slot else _("none"),
    )
    add(
        _("Workshops"),
        titles(registration.sessions.order_by("starts_at", "pk")),
        titles(previous.sessions),
    )
    if registration.pupils is not None:
        add(_("Pupils"), str(registration.pupils), str(previous.pupils or 0))
        add(_("Accompanying adults"), str(registration.adults or 0), str(previous.adults or 0))
    return rows


@deferred
def registration_changed(*, registration, previous, ticket_reissued: bool) -> Message:
    """Say what changed in a registration (slot, workshops, class size), with the new ticket
    when its size changed."""
    event = registration.event
    language = language_of(registration)
    ticket = _valid_ticket(registration) if ticket_reissued else None

    def build() -> dict:
        paragraphs = [_("Your registration has been changed as shown below.")]
        if ticket is not None:
            paragraphs.append(
                ngettext(
                    "Your new ticket admits %(count)s person. The previous ticket is no "
                    "longer valid.",
                    "Your new ticket admits %(count)s people. The previous ticket is no "
                    "longer valid.",
                    ticket.headcount,
                )
                % {"count": ticket.headcount}
            )
        return _with_ticket_and_link(
            registration,
            ticket,
            paragraphs=paragraphs,
            facts=[*event_facts(event), *_changed_facts(registration, previous)],
        )

    sessions = ",".join(str(pk) for pk in registration.sessions.values_list("pk", flat=True))
    return _send(
        purpose=Purpose.REGISTRATION_CHANGED,
        to_email=registration.email,
        language=language,
        subject=gettext_noop("Registration changed: %(event)s"),
        build=build,
        related=registration,
        event=event,
        attachments=_ticket_attachments(ticket),
        # One mail per change: the state it led to, and when.
        detail=f"{registration.time_slot_id}|{sessions}|{registration.headcount}|"
        f"{timezone.now().isoformat()}",
    )


# --- Exhibitors --------------------------------------------------------------------------


def _booking_facts(booking) -> list[tuple[str, str]]:
    fair = booking.fair
    facts = event_facts(fair.event)
    facts.append((_("Stand"), f"{booking.stand.label} ({booking.stand.hall.name})"))
    facts.append(
        (
            _("Set-up"),
            describe_span(fair.setup_starts_at, fair.setup_ends_at),
        )
    )
    return facts


def _company_notice(
    *,
    purpose: str,
    booking,
    subject: str,
    paragraphs: Callable[[], list[str]],
    detail: str = "",
    attachments: list[dict] | None = None,
) -> Message:
    company = booking.company
    event = booking.fair.event
    language = language_of(company)

    def build() -> dict:
        return _notice(
            greeting_name=company.contact_name,
            paragraphs=paragraphs(),
            facts=_booking_facts(booking),
            sender=sender_name(event),
        )

    return _send(
        purpose=purpose,
        to_email=company.contact_email,
        language=language,
        subject=subject,
        build=build,
        related=booking,
        event=event,
        detail=detail,
        attachments=attachments,
    )


@deferred
def booking_requested(*, booking) -> Message:
    """Acknowledge a stand booking request."""
    return _company_notice(
        purpose=Purpose.BOOKING_REQUESTED,
        booking=booking,
        subject=gettext_noop("Stand booking received: %(event)s"),
        paragraphs=lambda: [
            _("Thank you for your stand booking. We have received it."),
            _("The organiser checks every booking. You will get an e-mail once it is decided."),
        ],
    )


@deferred
def booking_approved(*, booking, message: str = "") -> Message:
    """Confirm an approved stand booking, with the set-up times and the organiser's message."""

    def paragraphs() -> list[str]:
        texts = [_("Your stand booking is confirmed.")]
        if message:
            texts.append(_("Message from the organiser: %(reason)s") % {"reason": message})
        texts.append(_("Please set up your stand in the set-up time shown below."))
        return texts

    return _company_notice(
        purpose=Purpose.BOOKING_APPROVED,
        booking=booking,
        subject=gettext_noop("Stand booking confirmed: %(event)s"),
        paragraphs=paragraphs,
        attachments=[event_ics_spec(booking.fair.event)],
    )


@deferred
def booking_rejected(*, booking, reason: str) -> Message:
    """Tell a company its booking was rejected, with the organiser's message."""

    def paragraphs() -> list[str]:
        texts = [_("Unfortunately we cannot confirm your stand booking.")]
        if reason:
            texts.append(_("Message from the organiser: %(reason)s") % {"reason": reason})
        return texts

    return _company_notice(
        purpose=Purpose.BOOKING_REJECTED,
        booking=booking,
        subject=gettext_noop("Stand booking not possible: %(event)s"),
        paragraphs=paragraphs,
    )


@deferred
def booking_cancelled(*, booking, by_organiser: bool, reason: str) -> Message:
    """Confirm a cancelled or withdrawn stand booking."""

    def paragraphs() -> list[str]:
        texts = [
            _("The organiser has cancelled your stand booking.")
            if by_organiser
            else _("You have withdrawn your stand booking.")
        ]
        if reason:
            texts.append(_("Message from the organiser: %(reason)s") % {"reason": reason})
        return texts

    return _company_notice(
        purpose=Purpose.BOOKING_CANCELLED,
        booking=booking,
        subject=gettext_noop("Stand booking cancelled: %(event)s"),
        paragraphs=paragraphs,
    )


@deferred
def stand_offer(*, entry, stand) -> Message:
    """Offer a company on the fairs waiting list a stand."""
    company = entry.company
    fair = entry.fair
    event = fair.event
    language = language_of(company)

    def build() -> dict:
        facts = event_facts(event)
        facts.append((_("Stand"), f"{stand.label} ({stand.hall.name})"))
        return _notice(
            greeting_name=company.contact_name,
            paragraphs=[
                _("A stand has become free, and we offer it to you."),
                _("Please accept or decline the offer in your company account."),
            ],
            facts=facts,
            sender=sender_name(event),
            action=(
                _("Open your bookings"),
                absolute_url("fairs:company-bookings") or absolute_url("fairs:dashboard"),
            ),
        )

    return _send(
        purpose=Purpose.STAND_OFFER,
        to_email=company.contact_email,
        language=language,
        subject=gettext_noop("A stand is free for you: %(event)s"),
        build=build,
        related=entry,
        event=event,
        detail=str(stand.pk),
    )


@deferred
def company_email_confirmation(*, company, user, confirm_url: str) -> Message:
    """Ask a company's contact to confirm the e-mail address."""
    language = language_of(company)
    to_email = getattr(user, "email", "") or company.contact_email

    def build() -> dict:
        name = (user.get_full_name() if user is not None else "") or company.contact_name
        return _notice(
            greeting_name=name,
            paragraphs=[
                _("Please confirm the e-mail address of %(company)s.") % {"company": company.name},
                _("If you did not create an exhibitor account, you can ignore this e-mail."),
            ],
            facts=[],
            sender=sender_name(),
            action=(_("Confirm the e-mail address"), confirm_url),
        )

    return _send(
        purpose=Purpose.COMPANY_EMAIL_CONFIRMATION,
        to_email=to_email,
        language=language,
        subject=gettext_noop("Please confirm your e-mail address"),
        build=build,
        related=company,
        detail=confirm_url,
    )


@deferred
def company_member_invited(*, company, email: str, invite_url: str) -> Message:
    """Invite a person to join a company's exhibitor account."""
    language = language_of(company)

    def build() -> dict:
        return _notice(
            paragraphs=[
                _("%(company)s invites you to manage its exhibitor account with them.")
                % {"company": company.name},
                _("If you do not know this company, you can ignore this e-mail."),
            ],
            facts=[],
            sender=sender_name(),
            action=(_("Accept the invitation"), invite_url),
        )

    return _send(
        purpose=Purpose.COMPANY_MEMBER_INVITED,
        to_email=email,
        language=language,
        subject=gettext_noop("Invitation to the exhibitor account of %(company)s"),
        subject_params={"company": company.name},
        build=build,
        related=company,
        detail=invite_url,
    )


# --- Data-subject requests ----------------------------------------------------------------


@deferred
def data_access_link(*, email: str, url: str, expires_at: datetime, language: str) -> Message:
    """Send a person the link to see, download or erase the data stored about them."""
    language = language if language in LANGUAGES else "de"

    def build() -> dict:
        return _notice(
            paragraphs=[
                _("You asked which data we store about this e-mail address."),
                _(
                    "The link below shows your data. There you can download a copy or have "
                    "it erased. The link is valid until %(deadline)s."
                )
                % {"deadline": local_datetime(expires_at)},
                _("If you did not ask for this, you can ignore this e-mail."),
            ],
            facts=[],
            sender=sender_name(),
            action=(_("See your data"), url),
        )

    return _send(
        purpose=Purpose.DATA_ACCESS_LINK,
        to_email=email,
        language=language,
        subject=gettext_noop("Your data with us"),
        build=build,
        related=None,
        detail=url,
    )
