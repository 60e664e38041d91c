"""Announcements: an organiser's Markdown message to an audience, sent in Celery batches.

One outbox row per recipient address, with the dedup key (announcement, address): an
announcement reaches each address once, whatever is retried or started twice. Suppressed
addresses (bounced or unsubscribed) are left out. Every mail carries one-click unsubscribe
(RFC 8058).
"""

import logging
from dataclasses import dataclass
from datetime import datetime

from celery import current_app
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from events_platform import audit
from events_platform.models import Event
from infra import secret_box
from infra.errors import DomainError

from .errors import ErrorCode
from .models import Announcement, Message, Purpose, Suppression, content_type_of
from .outbox import make_dedup_key, publish_on_commit, register_composer, write_message
from .rendering import (
    EXHIBITOR,
    GUARDIAN,
    VISITOR,
    WAITING_LIST,
    Rendered,
    absolute,
    greeting,
    language_of,
    markdown_to_html,
    markdown_to_text,
    render_message,
    sender_name,
    why_received,
)

logger = logging.getLogger(__name__)

# Queued by its registered name: tasks.py calls into this module (no import cycle).
START_TASK = "notifications.tasks.start_announcement_task"

UNSUBSCRIBE_SALT = "notifications.unsubscribe"
Audience = Announcement.Audience


# --- Audience -----------------------------------------------------------------------------


@dataclass(frozen=True)
class AnnouncementRecipient:
    email: str
    language: str
    name: str
    # Why they receive it (rendering.VISITOR, WAITING_LIST, GUARDIAN, EXHIBITOR) and about
    # what: the footer says so in their language.
    reason: str = VISITOR
    event: Event | None = None
    participant: str = ""
    company: str = ""


def _registration_filter_checked_in(queryset: QuerySet, value: bool) -> QuerySet:
    """Registrations whose ticket was scanned at an entrance (value True) or never (False)."""
    scanned = queryset.filter(tickets__attendances__isnull=False).values("pk")
    return queryset.filter(pk__in=scanned) if value else queryset.exclude(pk__in=scanned)


# Extra conditions on the registrations of an audience, by name: {"checked_in": True}.
# Another app's query function is added here when it exists.
REGISTRATION_FILTERS = {"checked_in": _registration_filter_checked_in}


def audience_events(announcement: Announcement) -> QuerySet:
    """The events an announcement is about: those picked, plus every event of its series."""
    events = Event.objects.filter(organisation=announcement.organisation)
    picked = set(announcement.events.values_list("pk", flat=True))
    if announcement.series_id:
        picked |= set(events.filter(series_id=announcement.series_id).values_list("pk", flat=True))
    return events.filter(pk__in=picked)


def audience(announcement: Announcement) -> list[AnnouncementRecipient]:
    """Everyone the announcement goes to: one entry per address, suppressed ones left out."""
    from ticketing.models import Registration

    events = audience_events(announcement)
    people: dict[str, AnnouncementRecipient] = {}
    statuses = []
    if Audience.VISITORS in announcement.audiences:
        statuses.append(Registration.Status.CONFIRMED)
    if Audience.WAITING_LIST in announcement.audiences:
        statuses += [Registration.Status.WAITLISTED, Registration.Status.OFFERED]
    if statuses:
        registrations = Registration.objects.filter(event__in=events, status__in=statuses)
        for name, value in (announcement.filters or {}).items():
            registrations = REGISTRATION_FILTERS[name](registrations, value)
        for registration in registrations.select_related("event").order_by("pk"):
            waiting = registration.status != Registration.Status.CONFIRMED
            if registration.kind == Registration.Kind.CAMP_PARTICIPANT and (
                registration.guardian_email
            ):
                # A child's camp: the parent or guardian is addressed (as by the reminders).
                person = AnnouncementRecipient(
                    registration.guardian_email.lower(),
                    language_of(registration),
                    registration.guardian_name,
                    GUARDIAN,
                    registration.event,
                    participant=registration.name,
                )
            else:
                person = AnnouncementRecipient(
                    registration.email.lower(),
                    language_of(registration),
                    registration.name,
                    WAITING_LIST if waiting else VISITOR,
                    registration.event,
                )
            people.setdefault(person.email, person)
    if Audience.EXHIBITORS in announcement.audiences:
        from fairs.models import StandBooking

        bookings = StandBooking.objects.filter(
            fair__event__in=events, status=StandBooking.Status.APPROVED
        ).select_related("company", "fair__event")
        for booking in bookings.order_by("pk"):
            company = booking.company
            email = company.contact_email.lower()
            people.setdefault(
                email,
                AnnouncementRecipient(
                    email,
                    language_of(company),
                    company.contact_name,
                    EXHIBITOR,
                    booking.fair.event,
                    company=company.name,
                ),
            )
    if announcement.language:
        people = {e: p for e, p in people.items() if p.language == announcement.language}
    suppressed = set(
        Suppression.objects.filter(email__in=list(people)).values_list("email", flat=True)
    )
    return [person for email, person in people.items() if email not in suppressed]


# --- Rendering ----------------------------------------------------------------------------


def unsubscribe_token(email: str) -> str:
    """An encrypted token that unsubscribes `email` from announcements (no login needed); the
    address cannot be read from it. It does not expire: old mails keep their working link."""
    return secret_box.seal(UNSUBSCRIBE_SALT, email.lower().encode(), now=timezone.now())


def email_from_token(token: str) -> str:
    """The address a token was made for; raises secret_box.InvalidToken if forged (or made
    with a key that is no longer kept)."""
    return secret_box.open_token(UNSUBSCRIBE_SALT, token, now=timezone.now()).decode()


def unsubscribe_url(email: str) -> str:
    """The absolute unsubscribe address for `email`, in German (the default language)."""
    with translation.override("de"):
        path = reverse("notifications:unsubscribe", kwargs={"token": unsubscribe_token(email)})
    return absolute(path)


def sample_recipient(announcement: Announcement, people=None) -> AnnouncementRecipient:
    """Whom the preview and the test mail are written for: the first recipient, or (while
    nobody is in the audience yet) a nameless one of the first audience, greeted neutrally."""
    people = audience(announcement) if people is None else people
    if people:
        return people[0]
    first = (announcement.audiences or [Audience.VISITORS])[0]
    reason = {Audience.WAITING_LIST: WAITING_LIST, Audience.EXHIBITORS: EXHIBITOR}.get(
        first, VISITOR
    )
    event = audience_events(announcement).order_by("starts_at").first()
    return AnnouncementRecipient("", announcement.language or "de", "", reason, event)


def _reason(person: AnnouncementRecipient) -> str:
    if person.event is None:
        return ""
    return why_received(
        person.reason,
        event=person.event.title,
        participant=person.participant,
        company=person.company or _("your company"),
    )


def render_announcement(
    announcement: Announcement,
    *,
    language: str,
    person: AnnouncementRecipient | None = None,
    email: str = "",
) -> Rendered:
    """The announcement for one recipient: the organiser's text in the house frame, with one
    greeting (the recipient's name) and a footer that says why they receive it."""
    with translation.override(language):
        context = {
            "greeting": greeting(person.name if person else ""),
            "reason": _reason(person) if person else "",
            "paragraphs": [],
            "body_html": markdown_to_html(announcement.body_markdown),
            "body_text": markdown_to_text(announcement.body_markdown),
            "facts": [],
            "sender_name": sender_name(organisation=announcement.organisation),
            "unsubscribe_url": unsubscribe_url(email) if email else "",
            "subject": announcement.subject,
        }
        return render_message(
            template="notice",
            subject=announcement.subject.replace("%", "%%"),
            context=context,
            language=language,
        )


def list_unsubscribe_headers(email: str) -> dict[str, str]:
    """RFC 8058 one-click unsubscribe headers."""
    return {
        "List-Unsubscribe": f"<{unsubscribe_url(email)}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


# --- Use cases ----------------------------------------------------------------------------


@transaction.atomic
def create_announcement(
    *,
    organisation,
    by,
    subject: str,
    body_markdown: str,
    series=None,
    events: list[Event] | None = None,
    audiences: list[str],
    language: str = "",
    filters: dict | None = None,
) -> Announcement:
    """Save a draft announcement. Raises DomainError no_events or no_audience."""
    events = list(events or [])
    if series is None and not events:
        raise DomainError(_("Please choose a series or at least one event."), ErrorCode.NO_EVENTS)
    if not audiences:
        raise DomainError(_("Please choose who receives the announcement."), ErrorCode.NO_AUDIENCE)
    for event in events:
        if event.organisation_id != organisation.pk:
            raise DomainError(
                _("This event belongs to another organiser."), ErrorCode.FOREIGN_EVENT
            )
    announcement = Announcement.objects.create(
        organisation=organisation,
        series=series,
        subject=subject,
        body_markdown=body_markdown,
        audiences=list(audiences),
        language=language,
        filters=filters or {},
        created_by=by,
    )
    announcement.events.set(events)
    return announcement


@transaction.atomic
def send_test_announcement(
    *, announcement: Announcement, to_email: str, now: datetime, by=None
) -> Message:
    """Send the announcement to the organiser only, as it will look."""
    audit.record_action(
        actor=by,
        organisation=announcement.organisation,
        action="announcement_test_sent",
        target=announcement,
        details={"to": to_email},
    )
    sample = sample_recipient(announcement)
    rendered = render_announcement(announcement, language=sample.language, person=sample)
    message, _created = write_message(
        purpose=Purpose.ANNOUNCEMENT_TEST,
        to_email=to_email,
        language=sample.language,
        rendered=Rendered(
            subject=_("[Test] %(subject)s") % {"subject": rendered.subject},
            text=rendered.text,
            html=rendered.html,
        ),
        related=announcement,
        organisation=announcement.organisation,
        announcement=None,
        detail=now.isoformat(),
        now=now,
    )
    return message


@transaction.atomic
def schedule_announcement(
    *, announcement: Announcement, send_at: datetime | None, now: datetime, by=None
) -> Announcement:
    """Send now (send_at empty or past) or at a set time. Raises DomainError already_sent."""
    announcement = Announcement.objects.select_for_update().get(pk=announcement.pk)
    if announcement.state not in (Announcement.State.DRAFT, Announcement.State.SCHEDULED):
        raise DomainError(_("This announcement has already been sent."), ErrorCode.ALREADY_SENT)
    announcement.state = Announcement.State.SCHEDULED
    announcement.send_at = send_at if send_at and send_at > now else now
    announcement.save(update_fields=["state", "send_at"])
    audit.record_action(
        actor=by,
        organisation=announcement.organisation,
        action="announcement_sent",
        target=announcement,
        details={"send_at": announcement.send_at.isoformat(), "audiences": announcement.audiences},
    )
    if announcement.send_at <= now:
        announcement_id = announcement.pk
        task = current_app.tasks[START_TASK]
        transaction.on_commit(lambda: _queue_start(task, announcement_id))
    return announcement


def _queue_start(task, announcement_id: int) -> None:
    try:
        task.apply_async(args=[announcement_id], retry=False)
    except Exception:
        logger.warning(
            "broker unavailable; announcement %s starts on the next beat",
            announcement_id,
            exc_info=True,
        )


# Recipients written per transaction: a 50,000-recipient announcement is some 50 short
# transactions, and its page shows the count growing from the first one on.
CHUNK_SIZE = 1000


def start_announcement(*, announcement_id: int, now: datetime) -> int:
    """Write one outbox row per recipient, a chunk per transaction, and queue each chunk
    when it commits; returns the number written by this call.

    The first transaction moves the announcement from scheduled to sending (once: a second
    start finds nothing to start). Each chunk locks the announcement, writes the next
    recipients in address order after `written_through` and moves that cursor in the same
    transaction; a run killed half-way leaves the announcement sending with the cursor where
    the last chunk committed, and the next run (the task re-delivered, or the beat's
    start_due_announcements) goes on from there. The dedup key (announcement, address) keeps
    even two runs at once from writing an address twice.
    """
    with transaction.atomic():
        announcement = (
            Announcement.objects.select_for_update()
            .filter(pk=announcement_id, state=Announcement.State.SCHEDULED, send_at__lte=now)
            .first()
        )
        if announcement is not None:
            announcement.state = Announcement.State.SENDING
            announcement.started_at = now
            announcement.recipient_count = 0
            announcement.written_through = ""
            announcement.save(
                update_fields=["state", "started_at", "recipient_count", "written_through"]
            )
    if announcement is None:
        announcement = Announcement.objects.filter(
            pk=announcement_id, state=Announcement.State.SENDING, written_at__isnull=True
        ).first()
        if announcement is None:
            return 0
    people = sorted(audience(announcement), key=lambda person: person.email)
    written = 0
    while True:
        count, done = _write_chunk(announcement.pk, people, now)
        written += count
        if done:
            break
    logger.info("announcement %s: %d recipients queued", announcement.pk, written)
    return written


@transaction.atomic
def _write_chunk(announcement_id: int, people: list, now: datetime) -> tuple[int, bool]:
    """Write the next chunk of recipients after the cursor; (written, all written)."""
    announcement = Announcement.objects.select_for_update().get(pk=announcement_id)
    if announcement.written_at is not None:
        return 0, True
    cursor = announcement.written_through
    chunk = [person for person in people if person.email > cursor][:CHUNK_SIZE]
    if not chunk:
        announcement.written_at = timezone.now()
        announcement.save(update_fields=["written_at"])
        audit.record_action(
            actor=None,
            organisation=announcement.organisation,
            action="announcement_started",
            target=announcement,
            details={"recipients": announcement.recipient_count},
        )
        return 0, True
    content_type = content_type_of(announcement)
    keys = [make_dedup_key(Purpose.ANNOUNCEMENT, person.email, announcement) for person in chunk]
    rows = [
        Message(
            purpose=Purpose.ANNOUNCEMENT,
            dedup_key=key,
            to_email=person.email,
            language=person.language,
            # Composed by the worker that sends it (compose_announcements).
            context={
                "kind": "announcement",
                "name": person.name,
                "reason": person.reason,
                "event": person.event.pk if person.event is not None else None,
                "participant": person.participant,
                "company": person.company,
            },
            content_type=content_type,
            object_id=str(announcement.pk),
            organisation_id=announcement.organisation_id,
            announcement=announcement,
            next_attempt_at=now,
            published_at=now,
        )
        for key, person in zip(keys, chunk, strict=True)
    ]
    Message.objects.bulk_create(rows, ignore_conflicts=True)
    ids = list(
        Message.objects.filter(dedup_key__in=keys, state=Message.State.QUEUED)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    _queue_chunk(ids)
    announcement.written_through = chunk[-1].email
    announcement.recipient_count += len(ids)
    announcement.save(update_fields=["written_through", "recipient_count"])
    return len(ids), False


def _queue_chunk(message_ids: list[int]) -> None:
    publish_on_commit(message_ids)


def compose_announcements(messages: list[Message]) -> None:
    """Compose a batch of announcement mails: its announcements and events read at once."""
    found = Announcement.objects.select_related("organisation").in_bulk(
        {message.announcement_id for message in messages}
    )
    events = Event.objects.in_bulk({message.context.get("event") for message in messages} - {None})
    for message in messages:
        announcement = found.get(message.announcement_id)
        if announcement is None:
            continue
        context = message.context
        person = AnnouncementRecipient(
            message.to_email,
            message.language,
            context.get("name", ""),
            context.get("reason", VISITOR),
            events.get(context.get("event")),
            participant=context.get("participant", ""),
            company=context.get("company", ""),
        )
        rendered = render_announcement(
            announcement, language=message.language, person=person, email=message.to_email
        )
        message.subject = rendered.subject[:300]
        message.body_text = rendered.text
        message.body_html = rendered.html
        message.headers = list_unsubscribe_headers(message.to_email)


register_composer("announcement", compose_announcements)


def start_due_announcements(*, now: datetime) -> int:
    """Start every scheduled announcement whose time has come, and go on writing one whose
    writing stopped half-way (beat; safe twice at once)."""
    started = 0
    due = Announcement.objects.filter(
        Q(state=Announcement.State.SCHEDULED, send_at__lte=now)
        # Writing stopped half-way (the worker died): go on from the cursor.
        | Q(state=Announcement.State.SENDING, written_at__isnull=True)
    )
    for announcement_id in due.values_list("pk", flat=True):
        started += 1 if start_announcement(announcement_id=announcement_id, now=now) else 0
    return started


def progress(announcement: Announcement) -> dict[str, int]:
    """Delivery counts of an announcement: total, sent, failed, waiting, percent done."""
    counts = dict(
        Message.objects.filter(announcement=announcement)
        .values_list("state")
        .annotate(n=Count("pk"))
        .values_list("state", "n")
    )
    total = announcement.recipient_count
    sent = counts.get(Message.State.SENT, 0)
    failed = counts.get(Message.State.FAILED, 0)
    done = sent + failed
    written = announcement.written_at is not None
    if announcement.state == Announcement.State.SENDING and written and total and done >= total:
        Announcement.objects.filter(pk=announcement.pk, state=Announcement.State.SENDING).update(
            state=Announcement.State.SENT
        )
        announcement.state = Announcement.State.SENT
    return {
        "total": total,
        "sent": sent,
        "failed": failed,
        "waiting": max(total - done, 0),
        "percent": int(done * 100 / total) if total else 0,
        # While the messages are being written, total is the count written so far.
        "writing": announcement.state == Announcement.State.SENDING and not written,
    }


@transaction.atomic
def unsubscribe(*, email: str) -> Suppression:
    """Stop announcements to `email` (transactional mail still arrives)."""
    suppression, _created = Suppression.objects.get_or_create(
        email=email.lower(), defaults={"reason": Suppression.Reason.UNSUBSCRIBED}
    )
    return suppression
