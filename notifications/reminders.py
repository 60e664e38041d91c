"""Reminders: a periodic task looks for what is due (no far-future ETA tasks).

Offsets are written "<n>d" (calendar days before, at the same wall-clock time in
Europe/Berlin, so "the day before" stays right across a daylight-saving change) or "<n>h"
(hours before, an exact duration). Each reminder has the dedup key (reminder offset,
recipient, registration or booking): however often the task runs, it is written once.
"""

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection as db_connection
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from events_platform.models import Event
from events_platform.when import covers_whole_days, describe_event_start, describe_span

from .models import Message, Purpose, ReminderPlan, content_type_of
from .outbox import make_dedup_key, publish_on_commit, register_composer
from .rendering import (
    EXHIBITOR,
    GUARDIAN,
    VISITOR,
    compose,
    event_facts,
    greeting,
    language_of,
    manage_url,
    sender_name,
    why_received,
)

logger = logging.getLogger(__name__)

VISITORS, EXHIBITORS, GUARDIANS = "visitors", "exhibitors", "guardians"
FAIR_KINDS = (Event.Kind.APPRENTICESHIP_FAIR, Event.Kind.RETURNEE_DAY)
# The hour of day reminders of an all-day event (its start is midnight).
WHOLE_DAY_REMINDER_HOUR = 9
# A run that was missed (beat down) still sends a reminder up to this long after it was due.
LOOKBACK = timedelta(hours=6)


def default_offsets(event: Event) -> dict[str, list[str]]:
    """The reminder offsets of an event's kind, per audience."""
    if event.kind == Event.Kind.CAMP:
        return {GUARDIANS: ["3d"]}
    if event.kind in FAIR_KINDS:
        return {VISITORS: ["1d", "2h"], EXHIBITORS: ["7d", "1d"]}
    return {VISITORS: ["1d"]}


def offsets_for(event: Event) -> dict[str, list[str]]:
    """The event's own offsets where it has a plan, else the defaults of its kind."""
    plan = ReminderPlan.objects.filter(event=event).first()
    if plan and plan.offsets:
        return plan.offsets
    return default_offsets(event)


def due_at(starts_at: datetime, offset: str, *, whole_days: bool = False) -> datetime:
    """When a reminder with `offset` is due for an event starting at `starts_at`.

    An event of whole days starts at midnight: its day reminders go out at 09:00, not at
    midnight (the calendar files' alarms ring at the same time).
    """
    amount, unit = int(offset[:-1] or "x"), offset[-1:]
    if unit == "h":
        return starts_at - timedelta(hours=amount)
    if unit == "d":
        zone = ZoneInfo(settings.TIME_ZONE)
        local = starts_at.astimezone(zone)
        if whole_days:
            local = local.replace(hour=WHOLE_DAY_REMINDER_HOUR, minute=0, second=0, microsecond=0)
        # Same wall-clock time n calendar days earlier; fold picks the first of a doubled hour.
        earlier = (local.replace(tzinfo=None) - timedelta(days=amount)).replace(tzinfo=zone)
        return earlier.astimezone(ZoneInfo("UTC"))
    raise ValueError(f"unknown offset {offset!r}")


def _max_lead() -> timedelta:
    return timedelta(days=15)


@dataclass
class Recipient:
    email: str
    language: str
    name: str
    related: object


def recipients(event: Event, audience: str) -> list[Recipient]:
    """Who gets the reminder: confirmed registrations, or approved stand bookings."""
    if audience in (VISITORS, GUARDIANS):
        from ticketing.models import Registration

        registrations = Registration.objects.filter(
            event=event, status=Registration.Status.CONFIRMED
        ).order_by("pk")
        result = []
        for registration in registrations:
            if audience == GUARDIANS and registration.guardian_email:
                email, name = registration.guardian_email, registration.guardian_name
            else:
                email, name = registration.email, registration.name
            result.append(Recipient(email, language_of(registration), name, registration))
        return result
    if audience == EXHIBITORS:
        try:
            from fairs.models import StandBooking
        except ImportError:
            return []
        bookings = StandBooking.objects.filter(
            fair__event=event, status=StandBooking.Status.APPROVED
        ).select_related("company", "stand", "stand__hall", "fair")
        return [
            Recipient(
                b.company.contact_email,
                language_of(b.company),
                b.company.contact_name,
                b,
            )
            for b in bookings.order_by("pk")
        ]
    return []


def _what_to_bring(event: Event) -> str:
    # Read once per event and run, not once per recipient.
    if not hasattr(event, "_reminder_plan_cache"):
        event._reminder_plan_cache = ReminderPlan.objects.filter(event=event).first()
    plan = event._reminder_plan_cache
    if plan is None:
        return ""
    if translation.get_language() == "en" and plan.what_to_bring_en:
        return plan.what_to_bring_en
    return plan.what_to_bring_de


def _event_start(event: Event) -> str:
    # An event read for a batch (compose_reminders) carries `_facts_cache`: its start is
    # worded once per language for the whole batch, not once per recipient.
    cache = getattr(event, "_facts_cache", None)
    if cache is None:
        return describe_event_start(event)
    key = ("start", translation.get_language())
    if key not in cache:
        cache[key] = describe_event_start(event)
    return cache[key]


def _reminder_reason(event: Event, audience: str, recipient: Recipient) -> str:
    if audience == EXHIBITORS:
        return why_received(EXHIBITOR, event=event.title, company=recipient.related.company.name)
    if audience == GUARDIANS and recipient.related.guardian_email:
        return why_received(GUARDIAN, event=event.title, participant=recipient.related.name)
    return why_received(VISITOR, event=event.title)


def render_reminder(event: Event, audience: str, recipient: Recipient):
    """The reminder for one recipient in their language."""

    def build() -> dict:
        paragraphs = [
            _("This is a reminder of the event below. It starts on %(start)s.")
            % {"start": _event_start(event)}
        ]
        facts = event_facts(event)
        action_label, action_url = "", ""
        if audience == EXHIBITORS:
            booking = recipient.related
            facts.append((_("Stand"), f"{booking.stand.label} ({booking.stand.hall.name})"))
            facts.append(
                (
                    _("Set-up"),
                    describe_span(booking.fair.setup_starts_at, booking.fair.setup_ends_at),
                )
            )
            paragraphs.append(_("Please set up your stand in the set-up time shown below."))
        else:
            paragraphs.append(_("Please bring your ticket, on your phone or printed."))
            action_label = _("See, change or cancel your registration")
            action_url = manage_url(recipient.related)
        if audience == GUARDIANS:
            paragraphs[0] = _(
                "This is a reminder of the event below for %(participant)s. It starts on %(start)s."
            ) % {"participant": recipient.related.name, "start": _event_start(event)}
        bring = _what_to_bring(event)
        if bring:
            facts.append((_("Please bring"), bring))
        return {
            "greeting": greeting(recipient.name),
            "reason": _reminder_reason(event, audience, recipient),
            "paragraphs": paragraphs,
            "facts": facts,
            "action_label": action_label,
            "action_url": action_url,
            "sender_name": sender_name(event),
        }

    with translation.override(recipient.language):
        title = event.title
    return compose(
        language=recipient.language,
        subject=gettext_noop("Reminder: %(event)s"),
        subject_params={"event": title},
        build=build,
    )


def write_reminders(*, event: Event, audience: str, offset: str, now: datetime) -> int:
    """Write the missing reminders of one event, audience and offset; returns how many."""
    people = recipients(event, audience)
    if not people:
        return 0
    detail = f"{audience}:{offset}"
    keys = {make_dedup_key(Purpose.REMINDER, p.email, p.related, detail): p for p in people}
    existing = set()
    key_list = list(keys)
    for start in range(0, len(key_list), 1000):
        existing.update(
            Message.objects.filter(dedup_key__in=key_list[start : start + 1000]).values_list(
                "dedup_key", flat=True
            )
        )
    missing = [(key, person) for key, person in keys.items() if key not in existing]
    written = 0
    # Written uncomposed: the worker that sends a batch composes it (compose_reminders).
    common = Message(
        purpose=Purpose.REMINDER,
        context={"kind": "reminder", "audience": audience},
        content_type=content_type_of(people[0].related),
        organisation_id=event.organisation_id,
        event=event,
        next_attempt_at=now,
        published_at=now,
    )
    for start in range(0, len(missing), 1000):
        chunk = [
            (key, person.email, person.language, str(person.related.pk))
            for key, person in missing[start : start + 1000]
        ]
        with transaction.atomic():
            # Two runs at once: the unique key lets only one of them insert each row.
            ids = _insert_missing(common, chunk)
            publish_on_commit(ids)
        written += len(ids)
    return written


# The columns in which the reminders of one chunk differ; every other column is `common`'s.
_PER_ROW = ("dedup_key", "to_email", "language", "object_id")


def _insert_missing(common: Message, rows: list[tuple[str, str, str, str]]) -> list[int]:
    """Insert one row per (dedup key, address, language, object id), the other columns as in
    `common`, skipping keys another run has written; returns the ids of the rows inserted.

    PostgreSQL: one INSERT … SELECT … FROM unnest(…) ON CONFLICT DO NOTHING RETURNING id,
    the shared columns prepared once (bulk_create prepares every column of every row, which
    cost more CPU than sending the reminder). Elsewhere bulk_create and a read of the ids.
    """
    if db_connection.vendor != "postgresql":
        Message.objects.bulk_create(
            [
                Message(
                    **{f.attname: getattr(common, f.attname) for f in _shared_fields()},
                    **dict(zip(_PER_ROW, row, strict=True)),
                )
                for row in rows
            ],
            ignore_conflicts=True,
        )
        return list(
            Message.objects.filter(
                dedup_key__in=[row[0] for row in rows],
                state=Message.State.QUEUED,
                published_at=common.published_at,
            ).values_list("pk", flat=True)
        )
    quote = db_connection.ops.quote_name
    columns, values, params = [], [], []
    for field in _shared_fields():
        columns.append(quote(field.column))
        values.append(f"%s::{field.db_type(db_connection)}")
        params.append(field.get_db_prep_save(field.pre_save(common, True), db_connection))
    for n, name in enumerate(_PER_ROW):
        columns.append(quote(Message._meta.get_field(name).column))
        values.append(f"v.c{n}")
    per_row = ", ".join(["%s::text[]"] * len(_PER_ROW))
    # Names from the model, every value a parameter.
    sql = (
        f"INSERT INTO {quote(Message._meta.db_table)} ({', '.join(columns)}) "  # noqa: S608
        f"SELECT {', '.join(values)} FROM unnest({per_row}) "
        f"AS v({', '.join(f'c{n}' for n in range(len(_PER_ROW)))}) "
        f"ON CONFLICT DO NOTHING RETURNING {quote(Message._meta.pk.column)}"
    )
    params.extend([list(column) for column in zip(*rows, strict=True)] if rows else [[]] * 4)
    with db_connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [row[0] for row in cursor.fetchall()]


def _shared_fields():
    return [
        field
        for field in Message._meta.concrete_fields
        if not field.primary_key and field.attname not in _PER_ROW
    ]


def _recipient_of(audience: str, related, message: Message) -> Recipient:
    if audience == EXHIBITORS:
        name = related.company.contact_name
    elif audience == GUARDIANS and related.guardian_email:
        name = related.guardian_name
    else:
        name = related.name
    return Recipient(message.to_email, message.language, name, related)


def compose_reminders(messages: list[Message]) -> None:
    """Compose a batch of reminders: its events, registrations and bookings read at once."""
    from django.contrib.contenttypes.models import ContentType

    events = Event.objects.select_related("venue", "organisation").in_bulk(
        {message.event_id for message in messages}
    )
    plans = {plan.event_id: plan for plan in ReminderPlan.objects.filter(event_id__in=events)}
    for event in events.values():
        event._reminder_plan_cache = plans.get(event.pk)
        event._facts_cache = {}  # read for this batch only: its facts made once per language
    related: dict[tuple[int, str], object] = {}
    by_type: dict[int, set[str]] = {}
    for message in messages:
        by_type.setdefault(message.content_type_id, set()).add(message.object_id)
    for type_id, object_ids in by_type.items():
        model = ContentType.objects.get_for_id(type_id).model_class()
        queryset = model._default_manager.all()
        if model._meta.label_lower == "fairs.standbooking":
            queryset = queryset.select_related("company", "stand__hall", "fair")
        for obj in queryset.filter(pk__in=object_ids):
            related[(type_id, str(obj.pk))] = obj
    for message in messages:
        event = events.get(message.event_id)
        obj = related.get((message.content_type_id, message.object_id))
        if event is None or obj is None:
            continue
        audience = message.context.get("audience", VISITORS)
        rendered = render_reminder(event, audience, _recipient_of(audience, obj, message))
        message.subject = rendered.subject[:300]
        message.body_text = rendered.text
        message.body_html = rendered.html


register_composer("reminder", compose_reminders)


def send_due_reminders(*, now: datetime) -> int:
    """Write (and queue) every reminder that is due now; safe to run twice at once."""
    events = Event.objects.filter(
        status=Event.Status.PUBLISHED, starts_at__gt=now, starts_at__lte=now + _max_lead()
    ).select_related("venue", "organisation")
    total = 0
    for event in events:
        for audience, offsets in offsets_for(event).items():
            for offset in offsets:
                try:
                    due = due_at(
                        event.starts_at,
                        str(offset),
                        whole_days=covers_whole_days(
                            event.starts_at, event.ends_at, all_day=event.all_day
                        ),
                    )
                except ValueError:
                    # One event's mistyped plan must not stop everyone else's reminders.
                    logger.warning("event %s: invalid reminder offset %r", event.pk, offset)
                    continue
                if due <= now < due + LOOKBACK:
                    total += write_reminders(event=event, audience=audience, offset=offset, now=now)
    if total:
        logger.info("reminders: %d written", total)
    return total
