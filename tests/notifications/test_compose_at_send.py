"""Messages are written with what they are about and composed by the worker that sends them.

The proof that nothing changed for the recipient: for every kind of message, the text the
worker composes at send time (objects re-read by id, in the stored language, a whole batch
at once) is the text the same builder makes from the caller's objects at write time, as it
was written before: subject, text, HTML and every attachment, byte for byte.
"""

import re
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from notifications import announcements, outbox, reminders, transactional
from notifications.models import Message
from tests.factories import EventFactory, SessionFactory, TimeSlotFactory, UserFactory
from tests.fairs.factories import StandBookingFactory, StandFactory, WaitlistEntryFactory
from ticketing import services as ticketing
from ticketing.models import Registration
from ticketing.services import PreviousParts

pytestmark = pytest.mark.django_db


class _Rollback(Exception):
    pass


def _register(event, n=0, language="de", **extra):
    data = ticketing.RegistrationInput(
        name=f"Anna Beispiel {n}", email=f"anna{n}@example.org", privacy_consent=True, **extra
    )
    with translation.override(language):
        return ticketing.register(event=event, data=data, now=timezone.now())


def _attachments(message) -> list[tuple]:
    email = outbox.build_email(message)
    parts = []
    for attachment in email.attachments:
        if isinstance(attachment, tuple):
            parts.append(tuple(attachment))
        else:  # an inline image
            parts.append((attachment.get_filename(), attachment.get_payload(decode=True)))
    return parts


def _at_write_time(name: str, kwargs: dict) -> dict:
    """What the builder makes at write time (the row as it was written before), rolled back."""
    try:
        with transaction.atomic():
            message = transactional._CALLS[name](**kwargs)
            assert message.composed_at is not None and not message.context
            made = {
                "subject": message.subject,
                "text": message.body_text,
                "html": message.body_html,
                "spec": message.attachments,
                "files": _attachments(message),
            }
            raise _Rollback
    except _Rollback:
        return made


def _cases():
    """(function name, keyword arguments) of every transactional message."""
    now = timezone.now().replace(microsecond=0)
    event = EventFactory(title_de="Rückkehrertag Torgau", title_en="Returnee Day Torgau")
    visitor = _register(event)
    english = _register(event, 1, language="en")
    slot_event = EventFactory()
    slot = TimeSlotFactory(event=slot_event)
    session = SessionFactory(event=slot_event)
    changed = _register(slot_event, 2, time_slot_id=slot.pk)
    previous = PreviousParts(
        time_slot=None, sessions=[session], pupils=None, adults=None, headcount=1
    )
    booking = StandBookingFactory()
    entry = WaitlistEntryFactory()
    stand = StandFactory()
    user = UserFactory(first_name="Petra", last_name="Personal")
    return [
        ("registration_confirmed", {"registration": visitor}),
        ("registration_confirmed", {"registration": english}),
        ("waitlist_joined", {"registration": english}),
        ("waitlist_offer", {"registration": visitor, "expires_at": now + timedelta(days=2)}),
        ("guardian_confirmation", {"registration": visitor, "confirm_url": "https://x.example/c/"}),
        ("place_released", {"registration": visitor, "reason": "offer_expired"}),
        ("registration_cancelled", {"registration": english, "by_organiser": True}),
        (
            "manage_link_renewed",
            {"registration": visitor, "by_organiser": False, "ticket_reissued": True},
        ),
        (
            "registration_changed",
            {"registration": changed, "previous": previous, "ticket_reissued": False},
        ),
        (
            "registration_changed",
            {
                "registration": visitor,
                "previous": SimpleNamespace(time_slot=None, sessions=[], pupils=None, adults=None),
                "ticket_reissued": True,
            },
        ),
        ("booking_requested", {"booking": booking}),
        ("booking_approved", {"booking": booking, "message": "Willkommen"}),
        ("booking_rejected", {"booking": booking, "reason": "Voll"}),
        ("booking_cancelled", {"booking": booking, "by_organiser": True, "reason": ""}),
        ("stand_offer", {"entry": entry, "stand": stand}),
        (
            "company_email_confirmation",
            {"company": booking.company, "user": user, "confirm_url": "https://x.example/e/"},
        ),
        (
            "company_member_invited",
            {"company": booking.company, "email": "neu@example.org", "invite_url": "https://x/i"},
        ),
        (
            "data_access_link",
            {
                "email": "person@example.org",
                "url": "https://x.example/d/",
                "expires_at": now + timedelta(hours=1),
                "language": "en",
            },
        ),
    ]


def test_every_transactional_message_composed_at_send_time_is_the_one_composed_at_write():
    cases = _cases()
    Message.objects.all().delete()
    expected, written = [], []
    for name, kwargs in cases:
        expected.append(_at_write_time(name, kwargs))
        message = getattr(transactional, name)(**kwargs)
        # Written with what it is about, nothing composed yet.
        assert message.context["call"] == name and message.composed_at is None
        with outbox_rows_as_stored():
            stored = Message.objects.get(pk=message.pk)
        assert stored.subject == "" and stored.body_text == ""
        written.append(message.pk)

    counts = outbox.deliver_messages(message_ids=written)
    assert counts["sent"] == len(cases)

    for pk, made, (name, _kwargs) in zip(written, expected, cases, strict=True):
        with outbox_rows_as_stored():
            message = Message.objects.get(pk=pk)
        assert message.composed_at is not None, name
        assert message.subject == made["subject"], name
        assert message.body_text == made["text"], name
        assert message.body_html == made["html"], name
        assert message.attachments == made["spec"], name
        assert _attachments(message) == made["files"], name


def _untoken(text: str) -> str:
    return re.sub(r"/unsubscribe/[^/\s\"]+/", "/unsubscribe/TOKEN/", text)


def outbox_rows_as_stored():
    from notifications.models import reading_uncomposed

    return reading_uncomposed()


def test_a_reminder_and_an_announcement_composed_at_send_time_are_those_of_write_time():
    event = EventFactory(title_de="Fachtag", starts_at=timezone.now() + timedelta(days=1))
    people = [_register(event, n, language=("en" if n % 2 else "de")) for n in range(4)]
    Message.objects.all().delete()
    written = reminders.write_reminders(
        event=event, audience=reminders.VISITORS, offset="1d", now=timezone.now()
    )
    assert written == 4
    announcement = announcements.create_announcement(
        organisation=event.organisation,
        by=None,
        subject="Neue Zeiten",
        body_markdown="Einlass ab **9 Uhr**.",
        events=[event],
        audiences=["visitors"],
    )
    announcements.schedule_announcement(announcement=announcement, send_at=None, now=timezone.now())
    announcements.start_announcement(announcement_id=announcement.pk, now=timezone.now())
    with outbox_rows_as_stored():
        rows = list(Message.objects.order_by("pk"))
    assert len(rows) == 8 and all(row.subject == "" for row in rows)
    ids = [row.pk for row in rows]

    outbox.deliver_messages(message_ids=ids)

    by_email = {person.email: person for person in people}
    event.refresh_from_db()
    for row in Message.objects.filter(pk__in=ids):
        registration = by_email[row.to_email]
        if row.purpose == "reminder":
            made = reminders.render_reminder(
                event,
                reminders.VISITORS,
                reminders.Recipient(
                    registration.email, registration.language, registration.name, registration
                ),
            )
            headers = {}
        else:
            person = announcements.AnnouncementRecipient(
                registration.email, registration.language, registration.name, "visitor", event
            )
            made = announcements.render_announcement(
                announcement, language=registration.language, person=person, email=row.to_email
            )
            headers = announcements.list_unsubscribe_headers(row.to_email)
        # The unsubscribe token is sealed with the time it is made: the one part that differs.
        assert (row.subject, _untoken(row.body_text), _untoken(row.body_html)) == (
            made.subject,
            _untoken(made.text),
            _untoken(made.html),
        )
        assert row.state == Message.State.SENT
        if headers:
            assert set(row.headers) == set(headers)  # tokens are sealed afresh each time


def test_a_batch_is_claimed_composed_and_marked_without_a_query_per_message():
    event = EventFactory(starts_at=timezone.now() + timedelta(days=1))
    for n in range(30):
        _register(event, n)
    ids = list(Message.objects.values_list("pk", flat=True))
    assert len(ids) == 30
    with CaptureQueriesContext(connection) as small:
        outbox.deliver_messages(message_ids=ids[:10])
    with CaptureQueriesContext(connection) as large:
        outbox.deliver_messages(message_ids=ids[10:])
    sent = Message.objects.filter(state=Message.State.SENT).count()
    assert sent == 30
    # Per message: the attachment renderers' reads and one UPDATE marking it sent (which also
    # notes the next one in flight); claiming and composing are one pass for the batch.
    per_message = (len(large) - len(small)) / 10
    assert per_message <= 4, [q["sql"][:80] for q in large.captured_queries[:40]]


def test_two_workers_claiming_the_same_batch_get_each_row_once():
    event = EventFactory()
    for n in range(6):
        _register(event, n)
    ids = list(Message.objects.values_list("pk", flat=True))
    now = timezone.now()
    first = outbox.claim_messages(message_ids=ids, now=now)
    second = outbox.claim_messages(message_ids=ids, now=now)
    assert [m.pk for m in first] == ids and second == []
    assert {m.state for m in first} == {Message.State.SENDING}


def test_an_unsent_message_is_shown_composed_and_a_gone_one_fails_when_sent():
    event = EventFactory()
    registration = _register(event)
    message = Message.objects.get(purpose="registration_confirmed")
    # Read through the model (pages, admin, data copy): composed in memory, not stored.
    assert message.subject and message.body_text
    with outbox_rows_as_stored():
        assert Message.objects.get(pk=message.pk).subject == ""
    Registration.objects.filter(pk=registration.pk).delete()
    counts = outbox.deliver_messages(message_ids=[message.pk])
    assert counts["failed"] == 1
    assert Message.objects.get(pk=message.pk).state == Message.State.FAILED


def test_a_confirmation_reads_its_ticket_once_for_its_qr_image_and_its_pdf():
    event = EventFactory(starts_at=timezone.now() + timedelta(days=1))
    _register(event)
    message = Message.objects.get()
    assert [spec["kind"] for spec in message.attachments].count("ticket_qr") == 1
    assert [spec["kind"] for spec in message.attachments].count("ticket_pdf") == 1

    with CaptureQueriesContext(connection) as queries:
        parts = _attachments(message)

    ticket_reads = [q for q in queries.captured_queries if 'FROM "ticketing_ticket"' in q["sql"]]
    assert len(ticket_reads) == 1
    names = [name for name, *_rest in parts]
    assert "ticket.pdf" in names and "ticket-qr.png" in names
