"""The outbox writes a mail's bytes itself (infra.mail.message_bytes) for its usual shape: they
are the bytes Django's own EmailMessage.message().as_bytes() makes, byte for byte, for every
case below (the clock and the random numbers fixed alike for both); any other shape is left to
Django."""

import random
import re
import time
from datetime import timedelta

import pytest
from django.core.mail import EmailMultiAlternatives
from django.utils import timezone, translation

from infra.mail import ascii_address, message_bytes, sanitized_address
from notifications import outbox, reminders
from notifications.models import Message
from tests.factories import EventFactory
from ticketing.models import Registration

from .factories import write_test_message

LONG_SUBJECT = "Erinnerung: " + " ".join(["Fachkräftetag"] * 12)
SUBJECTS = [
    "Reminder: Skilled-worker day",
    "Erinnerung: Rückkehrertag in Görlitz – Straße 5",
    "Reminder: " + " ".join(["Apprenticeship fair"] * 8),  # folded, ASCII
    LONG_SUBJECT,  # encoded and folded
    "50 % off: %(x)s = 100%",
]
BODIES = [
    ("Good day Anna,\n\nSee you tomorrow.\n", "<p>Good day Anna,</p>\n"),  # 7bit
    ("Guten Tag Jörg,\n\nBis morgen in Zwickau.\n", "<p>Guten Tag Jörg,</p>\n<p>ß</p>\n"),
    ("windows\r\nline\rends\n\n\n", "<p>no newline at the end</p>"),
    ("-- \nSignatur\n--===============1==\n", ""),  # boundary-like lines, empty HTML
    ("x" * 998 + "\n", "<p>" + "ä" * 400 + "</p>\n"),  # at the limit, not over it
]
HEADERS = [
    {"Auto-Submitted": "auto-generated"},
    {
        "Auto-Submitted": "auto-generated",
        "List-Unsubscribe": "<https://example.org/abmelden/" + "t" * 90 + "/>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    },
    {"X-Veranstalter": "Wirtschaftsförderung Sächsische Schweiz-Osterzgebirge"},
]
SENDERS = ["noreply@example.org", "Fachkräfteallianz Görlitz <noreply@example.org>"]


def _django_and_ours(email, monkeypatch, seed=7):
    monkeypatch.setattr(time, "time", lambda: 1_796_000_000.25)
    random.seed(seed)
    expected = email.message().as_bytes(linesep="\r\n")
    random.seed(seed)
    ours = message_bytes(email)
    return expected, ours


def _email(subject, text, html, headers, sender, to=("anna@example.org",)):
    email = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=sender,
        to=[ascii_address(address) for address in to],
        headers=dict(headers),
    )
    email.attach_alternative(html, "text/html")
    return email


@pytest.mark.parametrize("subject", SUBJECTS)
@pytest.mark.parametrize("body", BODIES)
def test_the_bytes_are_djangos_for_every_subject_and_body(subject, body, monkeypatch):
    email = _email(subject, *body, HEADERS[0], SENDERS[0])
    expected, ours = _django_and_ours(email, monkeypatch)
    assert ours == expected


@pytest.mark.parametrize("headers", HEADERS)
@pytest.mark.parametrize("sender", SENDERS)
def test_the_bytes_are_djangos_for_every_sender_and_header(headers, sender, monkeypatch, settings):
    to = ["Jörg Müller <jörg@straße.de>", "b@example.org"]
    for localtime in (False, True):
        settings.EMAIL_USE_LOCALTIME = localtime
        email = _email(SUBJECTS[1], *BODIES[1], headers, sender, to=to)
        expected, ours = _django_and_ours(email, monkeypatch, seed=localtime)
        assert ours == expected


def test_the_same_seed_gives_the_same_boundary_and_another_seed_another(monkeypatch):
    # The comparison above could not tell if both sides ignored the random numbers.
    email = _email(*(SUBJECTS[0], *BODIES[0]), HEADERS[0], SENDERS[0])
    first, _ours = _django_and_ours(email, monkeypatch, seed=1)
    second, _ours = _django_and_ours(email, monkeypatch, seed=2)
    assert first != second


def test_a_part_ending_in_the_boundary_makes_django_and_us_pick_another(monkeypatch):
    email = _email(SUBJECTS[0], *BODIES[0], HEADERS[0], SENDERS[0])
    expected, _ours = _django_and_ours(email, monkeypatch, seed=3)
    drawn = re.search(rb'boundary="([^"]+)"', expected).group(1).decode()
    # The generator looks for the boundary as a line of its own ("$" before a bare LF or
    # at the end): the HTML part ending in it is such a line.
    for line in (f"--{drawn}", f"--{drawn}--"):
        email = _email(SUBJECTS[0], BODIES[0][0], f"<p>x</p>\n{line}", HEADERS[0], SENDERS[0])
        expected, ours = _django_and_ours(email, monkeypatch, seed=3)
        assert f'boundary="{drawn}.0"'.encode() in expected
        assert ours == expected


@pytest.mark.parametrize(
    "change",
    [
        lambda e: e.attach("a.txt", "x", "text/plain"),
        lambda e: setattr(e, "cc", ["c@example.org"]),
        lambda e: setattr(e, "reply_to", ["r@example.org"]),
        lambda e: e.extra_headers.update({"Reply-To": "r@example.org"}),
        lambda e: e.extra_headers.update({"Message-ID": "<1@example.org>"}),
        lambda e: setattr(e, "body", "y" * 999),  # Django switches to quoted-printable
        lambda e: setattr(e, "encoding", "iso-8859-1"),
        lambda e: e.attach_alternative("<p>2</p>", "text/html"),
    ],
)
def test_any_other_shape_is_left_to_django(change):
    email = _email(SUBJECTS[0], *BODIES[0], HEADERS[0], SENDERS[0])
    change(email)
    assert message_bytes(email) is None


@pytest.mark.parametrize(
    "address",
    [
        "g000001@example.org",
        "Anna.B+x@Example.ORG",
        "a-b_c@x-y.de",
        "a@b",
        "1@2.3",
        "a@-x.de",
        ".a@c.de",
        "a..b@c.de",
        "Anna Müller <anna@example.org>",
        "jörg@xn--strae-oqa.de",
        "a@" + "x" * 63 + ".de",
    ],
)
def test_an_envelope_address_is_the_one_django_sanitises(address):
    from django.core.mail.message import sanitize_address

    assert sanitized_address(address, "utf-8") == sanitize_address(address, "utf-8")


@pytest.mark.parametrize("address", ["a@" + "x" * 64 + ".de", "a@x..de", "a@x.de."])
def test_an_envelope_address_django_refuses_is_refused(address):
    from django.core.mail.message import sanitize_address

    with pytest.raises(ValueError) as django_error:
        sanitize_address(address, "utf-8")
    with pytest.raises(type(django_error.value)):
        sanitized_address(address, "utf-8")


@pytest.mark.django_db
def test_composed_reminders_are_written_as_django_would(monkeypatch):
    event = EventFactory(starts_at=timezone.now() + timedelta(days=1))
    for n, language in enumerate(["de", "en", "de"]):
        Registration.objects.create(
            event=event,
            status=Registration.Status.CONFIRMED,
            name=f"Jörg Gast {n}",
            email=f"gast{n}@example.org",
            language=language,
            created_at=timezone.now(),
        )
    assert reminders.write_reminders(
        event=event, audience="visitors", offset="1d", now=timezone.now()
    )
    messages = outbox.claim_messages(
        message_ids=list(Message.objects.values_list("pk", flat=True)), now=timezone.now()
    )
    assert len(messages) == 3 and not outbox.compose_messages(messages)
    for message in messages:
        expected, ours = _django_and_ours(outbox.build_email(message), monkeypatch)
        assert ours == expected


@pytest.mark.django_db
def test_a_batch_goes_out_without_djangos_mime_generator(mailbox, monkeypatch):
    event = EventFactory()
    ids = [write_test_message(to_email=f"p{n}@example.org", event=event).pk for n in range(3)]

    def refuse(self):
        raise AssertionError("Django's message() was used")

    monkeypatch.setattr(EmailMultiAlternatives, "message", refuse)
    assert outbox.deliver_messages(message_ids=ids)["sent"] == 3
    mails = mailbox.wait_for(3)
    assert sorted(mail["To"] for mail in mails) == [f"p{n}@example.org" for n in range(3)]
    assert {mail["Subject"] for mail in mails} == {f"Hallo p{n}@example.org" for n in range(3)}
    assert "Eine Nachricht für p0@example.org." in "".join(
        mail.get_body(("plain",)).get_content() for mail in mails
    )


@pytest.mark.django_db
@pytest.mark.parametrize("token", ["seHIRFXAy_vE2QpKGqKrNf7OSEraqtBy", "a-b", "x" * 64, "a:b=.c"])
def test_the_manage_link_is_the_reversed_route(token, settings):
    from types import SimpleNamespace

    from django.urls import reverse

    from notifications.rendering import manage_url

    settings.SITE_URL = "https://veranstaltungen.example.org/"
    for language in ("de", "en"):
        with translation.override(language):
            expected = "https://veranstaltungen.example.org" + reverse(
                "ticketing:ticket", kwargs={"token": token}
            )
            assert manage_url(SimpleNamespace(manage_token=token)) == expected
