"""`PORT=8123 make run`: without SITE_URL every link in mails, ticket PDFs, .ics files and
pairing QR codes points to the port the server listens on (scripts/run.sh exports it)."""

import io
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import vobject
from django.utils import timezone
from pypdf import PdfReader

from events_platform.models import Membership
from notifications import outbox
from notifications.models import Message, Purpose
from tests.checkin.factories import DoorEventFactory
from tests.factories import EventFactory, MembershipFactory
from tests.qrcodes import code_of_svg
from ticketing import services as ticketing

ROOT = Path(__file__).resolve().parents[2]


def site_url_with(**env: str) -> str:
    """SITE_URL as the settings compute it in a process started with `env` (no SITE_URL)."""
    environment = {k: v for k, v in os.environ.items() if k not in ("SITE_URL", "HOST", "PORT")}
    environment |= env
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings; "
            "print(settings.SITE_URL)",
        ],
        cwd=ROOT,
        env=environment | {"DJANGO_SETTINGS_MODULE": "config.settings"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_the_site_address_follows_host_and_port_unless_site_url_is_set():
    assert site_url_with(PORT="8123") == "http://127.0.0.1:8123"
    assert site_url_with() == "http://127.0.0.1:8000"
    wildcard = "0.0.0.0"  # noqa: S104  (what a server bound to every interface is given)
    assert site_url_with(HOST=wildcard, PORT="8123") == "http://127.0.0.1:8123"
    assert site_url_with(HOST="localhost", PORT="9000") == "http://localhost:9000"
    assert (
        site_url_with(PORT="8123", SITE_URL="https://events.example.org/")
        == "https://events.example.org"
    )


@pytest.mark.django_db
def test_mail_pdf_ics_and_pairing_code_link_to_the_port_the_server_listens_on(client, settings):
    site = site_url_with(PORT="8123")
    settings.SITE_URL = site
    event = EventFactory(title_de="Rückkehrertag Torgau")

    # The ticket mail, its PDF and its calendar file.
    registration = ticketing.register(
        event=event,
        data=ticketing.RegistrationInput(
            name="Anna Beispiel", email="anna@example.org", privacy_consent=True
        ),
        now=timezone.now(),
    )
    message = Message.objects.get(purpose=Purpose.REGISTRATION_CONFIRMED)
    assert f"{site}/" in message.body_text
    assert registration.manage_token in message.body_text
    links = re.findall(r"https?://[^\s\"'<>)]+", message.body_text + message.body_html)
    assert links and all(link.startswith("http://127.0.0.1:8123/") for link in links), links
    email = outbox.build_email(message).message()
    parts = {part.get_filename(): part for part in email.walk() if part.get_filename()}
    pdf = PdfReader(io.BytesIO(parts["ticket.pdf"].get_payload(decode=True)))
    assert "127.0.0.1:8123" in pdf.pages[0].extract_text()
    calendar = vobject.readOne(parts["event.ics"].get_payload(decode=True).decode())
    assert calendar.vevent.url.value == f"{site}{event.get_absolute_url()}"

    # The pairing QR code on the organiser's page of an event that is on now.
    door = DoorEventFactory(organisation=event.organisation)
    organiser = MembershipFactory(
        organisation=event.organisation, role=Membership.Role.ORGANISER_ADMIN
    ).user
    client.force_login(organiser)
    page = client.get(f"/einlass/events/{door.pk}/pairing/").content.decode()
    data_uri = re.search(r'src="(data:image/svg\+xml;base64,[^"]+)"', page).group(1)
    assert code_of_svg(data_uri).startswith("http://127.0.0.1:8123/einlass/pair/")
