"""Secret links (ticket and self-service page, personal calendar feed, guardian's
confirmation, unsubscribe, company confirmation and invitation, scanner pairing, the data
overview): unguessable, renewable, never in a log line and never in a Referer."""

import base64
import io
import json
import logging
import math
import os
import re
import secrets
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.core import signing
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from django.utils.html import escape
from playwright.sync_api import expect

from checkin.models import new_device_token
from events_platform.models import AuditEntry, Membership
from infra.dates import years_after
from infra.logmask import GunicornLogger, SecretMaskFilter, mask_secrets
from infra.secret_links import referrer_policy_for
from notifications import announcements, outbox
from notifications.models import Message, Purpose
from tests.conftest import ROOT, _worker_database_env, free_port
from tests.factories import EventFactory, MembershipFactory, UserFactory
from tests.processes import first_answer
from ticketing import queries, services
from ticketing.models import Registration, Ticket, VisitorFeed, new_token
from ticketing.services import RegistrationInput

BIN = Path(sys.executable).parent


def _register(event=None, *, n: int = 1, **extra) -> Registration:
    data = RegistrationInput(
        name=f"Maximiliane Geheim{n}",
        email=f"geheim{n}@example.org",
        privacy_consent=True,
        **extra,
    )
    return services.register(event=event or EventFactory(), data=data, now=timezone.now())


def _ensure_feed(registration: Registration) -> VisitorFeed:
    return queries.feed_for_email(registration.email) or VisitorFeed.objects.create(
        email=registration.email
    )


def _ticket_paths(token: str) -> list[str]:
    return [
        reverse("ticketing:ticket", kwargs={"token": token}),
        reverse("ticketing:ticket-pdf", kwargs={"token": token}),
        reverse("ticketing:ticket-edit", kwargs={"token": token}),
        reverse("ticketing:ticket-cancel", kwargs={"token": token}),
        f"/api/tickets/{token}/",
    ]


# --- (a) unguessable ------------------------------------------------------------------------


def test_tokens_come_from_secrets_with_at_least_128_bits():
    tokens = {new_token() for _ in range(2000)}
    assert len(tokens) == 2000
    for token in list(tokens)[:50]:
        assert re.fullmatch(r"[A-Za-z0-9_-]{32}", token)  # 24 random bytes = 192 bits
        assert len(token) * math.log2(64) >= 128
    # The device token of a paired scanner: 32 random bytes, stored only as its hash.
    assert len(new_device_token()) * math.log2(64) >= 256
    # The unsubscribe link is encrypted (AES-128 with an HMAC-SHA256 tag, fresh IV each
    # time): the address cannot be read from it, and two mails carry different links.
    sealed = announcements.unsubscribe_token("a@example.org")
    assert sealed != announcements.unsubscribe_token("a@example.org")
    readable = base64.urlsafe_b64decode(sealed + "=" * (-len(sealed) % 4))
    assert b"a@example.org" not in readable and b"example" not in readable
    assert announcements.email_from_token(sealed) == "a@example.org"


@pytest.mark.django_db
def test_made_up_or_truncated_tokens_get_404_and_no_data(client):
    registration = _register()
    feed = _ensure_feed(registration)
    token = registration.manage_token
    assert client.get(reverse("ticketing:ticket", kwargs={"token": token})).status_code == 200
    wrong = [token[:-1], token[:16], token + "A", secrets.token_urlsafe(24), token.swapcase()]
    for guess in wrong:
        for path in _ticket_paths(guess):
            response = client.get(path)
            assert response.status_code == 404, path
            assert b"Geheim" not in response.content and b"geheim1" not in response.content
        for path in (
            reverse("ticketing:ticket-renew-link", kwargs={"token": guess}),
            reverse("ticketing:ticket-cancel", kwargs={"token": guess}),
        ):
            assert client.post(path).status_code == 404
    for guess in (feed.token[:-1], secrets.token_urlsafe(24)):
        response = client.get(reverse("ticketing:personal-feed", kwargs={"token": guess}))
        assert response.status_code == 404
    forged = signing.dumps("geheim1@example.org", salt="wrong-salt", compress=True)
    unsubscribe = reverse("notifications:unsubscribe", kwargs={"token": forged})
    assert client.get(unsubscribe).status_code == 404
    guardian = reverse("ticketing:guardian-confirm", kwargs={"token": new_token()})
    assert client.get(guardian).status_code == 404
    # Nothing changed by the guesses.
    registration.refresh_from_db()
    assert registration.manage_token == token and registration.is_active


# --- (b) renewable --------------------------------------------------------------------------


@pytest.mark.django_db
def test_visitor_renews_the_link_old_one_is_dead_new_one_mailed_and_ticket_reissued(client):
    registration = _register()
    old_token = registration.manage_token
    old_ticket = registration.tickets.get()
    response = client.post(reverse("ticketing:ticket-renew-link", kwargs={"token": old_token}))
    registration.refresh_from_db()
    new_token_ = registration.manage_token
    assert new_token_ != old_token
    new_url = reverse("ticketing:ticket", kwargs={"token": new_token_})
    assert response.status_code == 302 and response["Location"] == new_url + "?notice=link_renewed"
    for path in _ticket_paths(old_token):
        assert client.get(path).status_code == 404, path
    page = client.get(new_url + "?notice=link_renewed")
    assert page.status_code == 200
    assert "Dies ist Ihr neuer Link. Der bisherige Link funktioniert nicht mehr." in (
        page.content.decode()
    )
    # The QR code shown on the old page is replaced: the old one is revoked.
    old_ticket.refresh_from_db()
    assert old_ticket.status == Ticket.Status.REVOKED
    new_ticket = registration.tickets.get(status=Ticket.Status.VALID)
    assert new_ticket.secret != old_ticket.secret
    # One mail, in German, with the new link (and never the old one) and the new QR code.
    message = Message.objects.get(purpose=Purpose.MANAGE_LINK_RENEWED)
    assert message.to_email == registration.email
    assert message.subject.startswith("Neuer Link zu Ihrer Anmeldung")
    assert new_url in message.body_text and old_token not in message.body_text
    assert "Sie haben einen neuen Link zu Ihrer Anmeldung angefordert." in message.body_text
    email = outbox.build_email(message).message()
    names = {part.get_filename() for part in email.walk() if part.get_filename()}
    assert {"ticket-qr.png", "ticket.pdf"} <= names
    # The visitor did it: nothing for the organisers' audit log.
    assert not AuditEntry.objects.filter(action="visitor_link_renewed").exists()
    # A second renewal sends a second mail (one per new link).
    client.post(reverse("ticketing:ticket-renew-link", kwargs={"token": new_token_}))
    assert Message.objects.filter(purpose=Purpose.MANAGE_LINK_RENEWED).count() == 2


@pytest.mark.django_db
def test_renewing_keeps_a_ticket_already_used_at_the_door():
    from checkin.models import Attendance
    from checkin.services import ensure_checkin_lists

    registration = _register()
    ticket = registration.tickets.get()
    ensure_checkin_lists(event=registration.event)
    checkin_list = registration.event.checkin_lists.first()
    now = timezone.now()
    Attendance.objects.create(
        checkin_list=checkin_list, ticket=ticket, first_entry_at=now, last_entry_at=now
    )
    from ticketing import secret_links

    secret_links.renew_manage_link(registration=registration, now=now)
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.VALID  # no second entry with a fresh code
    message = Message.objects.get(purpose=Purpose.MANAGE_LINK_RENEWED)
    assert "QR-Code" not in message.body_text


@pytest.mark.django_db
def test_visitor_renews_the_calendar_feed_address(client):
    registration = _register()
    feed = _ensure_feed(registration)
    old = feed.token
    assert client.get(reverse("ticketing:personal-feed", kwargs={"token": old})).status_code == 200
    response = client.post(
        reverse("ticketing:feed-renew", kwargs={"token": registration.manage_token})
    )
    assert response.status_code == 302 and response["Location"].endswith("?notice=feed_renewed")
    feed.refresh_from_db()
    assert feed.token != old
    assert client.get(reverse("ticketing:personal-feed", kwargs={"token": old})).status_code == 404
    renewed = client.get(reverse("ticketing:personal-feed", kwargs={"token": feed.token}))
    assert renewed.status_code == 200 and b"BEGIN:VCALENDAR" in renewed.content
    page = client.get(response["Location"])
    assert reverse("ticketing:personal-feed", kwargs={"token": feed.token}) in page.content.decode()


@pytest.mark.django_db
def test_organiser_renews_a_link_audited_other_tenant_gets_404(client):
    registration = _register()
    old_token = registration.manage_token
    organiser = MembershipFactory(organisation=registration.event.organisation).user
    stranger = MembershipFactory().user  # an organiser of another district
    staff = MembershipFactory(
        organisation=registration.event.organisation, role=Membership.Role.CHECKIN_STAFF
    ).user
    url = reverse("ticketing:organiser-renew-link", kwargs={"pk": registration.pk})
    for outsider in (stranger, staff):
        client.force_login(outsider)
        assert client.post(url).status_code == 404
        registration.refresh_from_db()
        assert registration.manage_token == old_token
    client.logout()
    assert client.post(url).status_code == 302  # to the login page
    registration.refresh_from_db()
    assert registration.manage_token == old_token

    client.force_login(organiser)
    response = client.post(url)
    assert response.status_code == 302 and response["Location"].endswith("?notice=link_renewed")
    registration.refresh_from_db()
    assert registration.manage_token != old_token
    assert client.get(f"/tickets/ticket/{old_token}/").status_code == 404
    assert client.get(f"/tickets/ticket/{registration.manage_token}/").status_code == 200
    entry = AuditEntry.objects.get(action="visitor_link_renewed")
    assert entry.actor == organiser
    assert entry.organisation == registration.event.organisation
    assert entry.target_id == str(registration.pk) and entry.details == {"ticket_reissued": True}
    assert old_token not in json.dumps(entry.details) + entry.target_repr
    message = Message.objects.get(purpose=Purpose.MANAGE_LINK_RENEWED)
    assert "Der Veranstalter hat Ihrer Anmeldung einen neuen Link gegeben." in message.body_text
    page = client.get(response["Location"])
    assert "Die Anmeldung hat einen neuen Link." in page.content.decode()


@pytest.mark.django_db
def test_organiser_renews_links_from_the_admin_list(client):
    first, second = _register(n=1), _register(n=2)
    other = _register(n=3)  # another organisation's registration
    organiser = UserFactory(is_staff=True)
    MembershipFactory(user=organiser, organisation=first.event.organisation)
    second.event.organisation = first.event.organisation
    second.event.save()
    tokens = {r.pk: r.manage_token for r in (first, second, other)}
    client.force_login(organiser)
    response = client.post(
        reverse("admin:ticketing_registration_changelist"),
        {
            "action": "renew_links_selected",
            "_selected_action": [first.pk, second.pk, other.pk],
        },
        follow=True,
    )
    assert response.status_code == 200
    assert "2 Anmeldungen haben einen neuen Link" in response.content.decode()
    for registration in (first, second, other):
        registration.refresh_from_db()
    assert first.manage_token != tokens[first.pk] and second.manage_token != tokens[second.pk]
    assert other.manage_token == tokens[other.pk]  # out of the organiser's scope
    assert AuditEntry.objects.filter(action="visitor_link_renewed", actor=organiser).count() == 2


@pytest.mark.django_db(transaction=True)
def test_the_new_link_arrives_by_mail(mailbox):
    registration = _register()
    Client().post(
        reverse("ticketing:ticket-renew-link", kwargs={"token": registration.manage_token})
    )
    registration.refresh_from_db()
    message = Message.objects.get(purpose=Purpose.MANAGE_LINK_RENEWED)
    outbox.deliver_messages(message_ids=[message.pk])
    # The confirmation of the registration goes out too: wait for the link's own mail.
    received = mailbox.wait_for_matching(lambda m: "Neuer Link" in m["Subject"])
    assert received[0]["To"] == registration.email
    text = received[0].get_body(("plain",)).get_content()
    assert f"/tickets/ticket/{registration.manage_token}/" in text


# --- (c) not in logs ------------------------------------------------------------------------


def _token_routes() -> list[tuple[str, URLPattern]]:
    """Every URL pattern with a `token` argument, with its namespaced name."""
    found = []

    def walk(patterns, namespace):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                inner = f"{namespace}:{entry.namespace}" if entry.namespace else namespace
                walk(entry.url_patterns, inner.strip(":"))
            elif isinstance(entry, URLPattern) and "token" in entry.pattern.converters:
                name = f"{namespace}:{entry.name}".strip(":")
                found.append((name, entry))

    walk(get_resolver().url_patterns, "")
    return found


def test_every_route_with_a_token_is_masked_and_sends_no_referrer():
    routes = _token_routes()
    assert len(routes) >= 12, routes
    token = secrets.token_urlsafe(24)
    signed = signing.dumps({"e": 1}, salt="x", compress=True)
    from django.utils import translation

    for name, pattern in routes:
        for value in (token, signed):
            for language in ("de", "en"):
                with translation.override(language):
                    kwargs = {
                        key: "1" if type(converter).__name__ == "IntConverter" else "MQ"
                        for key, converter in pattern.pattern.converters.items()
                    }
                    kwargs["token"] = value
                    path = reverse(name, kwargs=kwargs | dict(pattern.default_args))
                line = f'127.0.0.1 "GET {path}?token={value} HTTP/1.1" 200'
                masked = mask_secrets(line)
                assert value not in masked, (name, masked)
                assert "…" in masked
                assert referrer_policy_for(path) in ("no-referrer", "strict-origin"), name
    # Ordinary addresses stay readable.
    for path in (
        "/veranstaltungen/rueckkehrertag/",
        "/api/tickets/events/x/register/",
        "/password-reset/sent/",
        "/en/password-reset/MQ/set-password/",
    ):
        assert mask_secrets(path) == path and referrer_policy_for(path) is None


@pytest.fixture
def console_output():
    """What the real console handler of settings.LOGGING writes (its filters and format)."""
    handler = next(h for h in logging.getLogger().handlers if h.get_name() == "console")
    stream = io.StringIO()
    previous = handler.setStream(stream)
    yield stream
    handler.setStream(previous)


@pytest.mark.django_db
@pytest.mark.parametrize("log_format", ["plain", "json"])
def test_django_request_and_error_logs_hold_no_token(client, console_output, log_format):
    from django.conf import settings

    handler = next(h for h in logging.getLogger().handlers if h.get_name() == "console")
    formatter = handler.formatter
    config = settings.LOGGING["formatters"][log_format]
    if log_format == "json":
        from pythonjsonlogger.json import JsonFormatter

        handler.setFormatter(
            JsonFormatter(
                config["fmt"],
                timestamp=config["timestamp"],
                rename_fields=config["rename_fields"],
            )
        )
    try:
        made_up = secrets.token_urlsafe(24)
        assert client.get(f"/tickets/ticket/{made_up}/?token={made_up}").status_code == 404
        forged = signing.dumps("x@example.org", salt="forged", compress=True)
        assert client.get(f"/en/messages/unsubscribe/{forged}/").status_code == 404
        try:
            raise ValueError(f"failed at /tickets/kalender/{made_up}.ics")
        except ValueError:
            logging.getLogger("django.request").exception(
                "Internal Server Error: %s", f"/tickets/ticket/{made_up}/aendern/"
            )
    finally:
        handler.setFormatter(formatter)
    output = console_output.getvalue()
    assert made_up not in output and forged not in output
    if log_format == "json":
        lines = [json.loads(line) for line in output.splitlines() if line.startswith("{")]
        assert any(line.get("status_code") == 404 for line in lines)
        output = "\n".join(str(value) for line in lines for value in line.values())
    assert "/tickets/ticket/…/" in output and "/messages/unsubscribe/…/" in output
    assert "/tickets/kalender/….ics" in output  # inside the traceback


def test_gunicorn_logger_masks_every_url_atom():
    from gunicorn.config import Config

    config = Config()
    config.set("accesslog", "-")
    config.set(
        "access_log_format",
        '%(h)s "%(r)s" %(U)s %(q)s "%(f)s" %({referer}i)s %(s)s',
    )
    logger = GunicornLogger(config)
    stream = io.StringIO()
    for handler in logger.access_log.handlers:
        handler.setStream(stream)
    token = secrets.token_urlsafe(24)

    class Response:
        status = "200 OK"
        sent = 10
        headers = [("X-Request-ID", "abcdefgh")]

    class Request:
        headers = [("REFERER", f"https://e.example/tickets/ticket/{token}/")]

    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": f"/en/tickets/kalender/{token}.ics?token={token}",
        "PATH_INFO": f"/en/tickets/kalender/{token}.ics",
        "QUERY_STRING": f"token={token}",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_REFERER": f"https://e.example/tickets/ticket/{token}/",
    }
    import datetime

    logger.access(Response(), Request(), environ, datetime.timedelta(milliseconds=5))
    line = stream.getvalue()
    assert token not in line
    # Negative control: gunicorn's own logger, the same call, writes the token four times.
    from gunicorn.glogging import Logger

    plain = Logger(config)
    plain_stream = io.StringIO()
    for handler in plain.access_log.handlers:
        handler.setStream(plain_stream)
    plain.access(Response(), Request(), environ, datetime.timedelta(milliseconds=5))
    assert plain_stream.getvalue().count(token) >= 4
    assert "/en/tickets/kalender/….ics?token=…" in line and "/tickets/ticket/…/" in line


def test_mask_filter_leaves_other_lines_alone():
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "GET %s", ("/fairs/messen/",), None)
    SecretMaskFilter().filter(record)
    assert record.getMessage() == "GET /fairs/messen/"


def _http(url: str, headers: dict | None = None):
    request = urllib.request.Request(url, headers=headers or {})  # noqa: S310 - loopback
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - loopback
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


@pytest.mark.django_db(transaction=True)
@pytest.mark.timeout(120)
def test_real_gunicorn_access_and_app_logs_hold_no_token(tmp_path):
    """gunicorn with docker/gunicorn.conf.py and JSON logs on loopback, on the test database."""
    registration = _register()
    feed = _ensure_feed(registration)
    token, feed_token = registration.manage_token, feed.token
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k != "PYTEST_VERSION"}
    env.update(_worker_database_env())
    env.update(
        {
            "LOG_FORMAT": "json",
            "WEB_BIND": f"127.0.0.1:{port}",
            "WEB_CONCURRENCY": "1",
            "DJANGO_SECURE_SSL_REDIRECT": "false",
            "EVENTS_CACHE_KEY_PREFIX": f"gunicorn-log-test-{port}",
        }
    )
    log_path = tmp_path / "gunicorn.log"
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [str(BIN / "gunicorn"), "config.wsgi", "--config", "docker/gunicorn.conf.py"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            base = f"http://127.0.0.1:{port}"
            up = first_answer(
                lambda: _http(f"{base}/healthz"), process=process, log_path=log_path, seconds=60
            )
            assert up[0] in (200, 503), log_path.read_text()
            made_up = secrets.token_urlsafe(24)
            referer = {"Referer": f"{base}/tickets/ticket/{token}/"}
            assert _http(f"{base}/tickets/ticket/{token}/", referer)[0] == 200
            assert _http(f"{base}/tickets/kalender/{feed_token}.ics?token={token}")[0] == 200
            assert _http(f"{base}/en/tickets/ticket/{made_up}/stornieren/")[0] == 404
            assert _http(f"{base}/api/tickets/{made_up}/")[0] == 404
        finally:
            process.terminate()
            process.wait(timeout=20)
    output = log_path.read_text()
    lines = [json.loads(line) for line in output.splitlines() if line.startswith("{")]
    access = [line for line in lines if line.get("logger") == "gunicorn.access"]
    assert len(access) >= 4, output
    assert any("/tickets/ticket/…/" in line["message"] for line in access)
    assert any("/tickets/kalender/….ics?token=…" in line["message"] for line in access)
    assert any(
        line.get("logger") == "django.request" and "/en/tickets/ticket/…/stornieren/" in str(line)
        for line in lines
    ), output
    for secret in (token, feed_token, made_up):
        assert secret not in output


# --- (d) not in a Referer -------------------------------------------------------------------


@pytest.mark.django_db
def test_every_secret_link_page_sends_no_referrer(client):
    event = EventFactory()
    registration = _register(event)
    feed = _ensure_feed(registration)
    token = registration.manage_token
    pending = _register(
        EventFactory(kind="camp", min_age=None, max_age=None),
        n=2,
        birth_date=years_after(timezone.localdate(), -12),
        guardian_name="Gisela Geheim",
        guardian_email="gisela@example.org",
        guardian_phone="0341 123456",
        emergency_contact="Gisela Geheim, 0341 123456",
    )
    assert pending.guardian_token
    from checkin import services as checkin_services

    pages = {
        reverse("ticketing:ticket", kwargs={"token": token}): 200,
        reverse("ticketing:ticket-pdf", kwargs={"token": token}): 200,
        reverse("ticketing:ticket-edit", kwargs={"token": token}): 200,
        reverse("ticketing:ticket-cancel", kwargs={"token": token}): 200,
        f"/en/tickets/ticket/{token}/": 200,
        reverse("ticketing:personal-feed", kwargs={"token": feed.token}): 200,
        reverse("ticketing:guardian-confirm", kwargs={"token": pending.guardian_token}): 200,
        reverse(
            "notifications:unsubscribe",
            kwargs={"token": announcements.unsubscribe_token(registration.email)},
        ): 200,
        reverse("checkin:pair", kwargs={"token": checkin_services.pairing_token(event=event)}): 200,
        f"/api/tickets/{token}/": 200,
        reverse("ticketing:ticket", kwargs={"token": new_token()}): 404,
    }
    for path, status in pages.items():
        response = client.get(path)
        assert response.status_code == status, path
        assert response["Referrer-Policy"] == "no-referrer", path
        assert "no-store" in response["Cache-Control"], path
        assert "noindex" in response["X-Robots-Tag"], path
        if response["Content-Type"].startswith("text/html"):
            for link in re.findall(r"<a\s[^>]*href=\"https?://[^>]*>", response.content.decode()):
                assert re.search(r'rel="[^"]*noreferrer', link), (path, link)
    # External links on the ticket page carry rel="noreferrer" as well.
    event.venue.latitude, event.venue.longitude = 51.56, 13.0
    event.venue.save()
    html = client.get(reverse("ticketing:ticket", kwargs={"token": token})).content.decode()
    external = re.findall(r"<a\s[^>]*href=\"https?://[^>]*>", html)
    assert external, "the map link is missing"
    for link in external:
        assert re.search(r'rel="[^"]*noreferrer', link), link
    # Public pages keep the site's policy.
    public = client.get(reverse("events_platform:event-detail", kwargs={"slug": event.slug}))
    assert public["Referrer-Policy"] == "same-origin"


def test_company_invitation_keeps_its_csrf_check_and_sends_only_the_origin():
    assert referrer_policy_for("/fairs/firma/einladung/abc:def/") == "strict-origin"
    assert referrer_policy_for("/en/fairs/firma/einladung/abc:def/") == "strict-origin"
    assert referrer_policy_for("/fairs/firma/bestaetigen/abc:def/") == "no-referrer"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_visitor_gets_a_new_link_in_the_browser(page, live_server, axe):
    registration = _register()
    old = registration.manage_token
    _ensure_feed(registration)
    page.goto(f"{live_server.url}/tickets/ticket/{old}/")
    axe(page)
    heading = page.get_by_role("heading", name="Link weitergegeben?")
    expect(heading).to_be_visible()
    # With Referrer-Policy: no-referrer the browser posts with `Origin: null`: the form must
    # still work (the token authorises, not a CSRF cookie).
    page.get_by_role("button", name="Neuen Link anfordern").click()
    page.wait_for_url(re.compile(r"\?notice=link_renewed$"))
    registration.refresh_from_db()
    assert registration.manage_token != old
    assert f"/tickets/ticket/{registration.manage_token}/" in page.url
    assert page.get_by_role("status").inner_text().startswith("Dies ist Ihr neuer Link.")
    axe(page)
    page.get_by_role("button", name="Neuen Kalender-Link anfordern").click()
    page.wait_for_url(re.compile(r"\?notice=feed_renewed$"))
    assert "Kalender-Link ist neu" in page.get_by_role("status").inner_text()
    assert page.goto(f"{live_server.url}/tickets/ticket/{old}/").status == 404


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_organiser_sends_a_new_link_in_the_browser(page, live_server, axe):
    registration = _register()
    old = registration.manage_token
    organiser = MembershipFactory(organisation=registration.event.organisation).user
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Benutzername").fill(organiser.username)
    page.get_by_label("Passwort").fill("correct horse battery staple")
    page.get_by_role("button", name="Anmelden").click()
    page.wait_for_load_state()
    page.goto(f"{live_server.url}/tickets/organiser/anmeldung/{registration.pk}/")
    axe(page)
    page.get_by_role("button", name="Neuen Link senden").click()
    page.wait_for_url(re.compile(r"\?notice=link_renewed$"))
    assert "Die Anmeldung hat einen neuen Link." in page.get_by_role("status").inner_text()
    axe(page)
    registration.refresh_from_db()
    assert registration.manage_token != old
    assert escape(old) not in page.content()


def test_sentry_events_lose_secret_links():
    from infra.observability import _tag_request_id

    token = secrets.token_urlsafe(24)
    event = {
        "request": {
            "url": f"https://events.example.org/tickets/ticket/{token}/aendern/",
            "query_string": f"token={token}&notice=saved",
            "headers": {"Referer": f"https://events.example.org/tickets/kalender/{token}.ics"},
        },
        "transaction": "/tickets/ticket/{token}/aendern/",
        "logentry": {"message": f"Not Found: /en/tickets/ticket/{token}/"},
        "breadcrumbs": {"values": [{"message": "x", "data": {"url": f"/api/tickets/{token}/"}}]},
    }
    masked = json.dumps(_tag_request_id(event, {}))
    assert token not in masked
    assert "/tickets/ticket/…/aendern/" in event["request"]["url"]
    assert event["request"]["query_string"] == "token=…&notice=saved"


@pytest.mark.django_db
def test_renewing_is_limited_so_nobody_floods_the_visitors_mailbox(client):
    from infra import ratelimit

    registration = _register()
    ratelimit.reset("ticketing-renew-link", str(registration.pk))
    for _ in range(5):
        response = client.post(
            reverse("ticketing:ticket-renew-link", kwargs={"token": registration.manage_token})
        )
        registration.refresh_from_db()
        assert response["Location"].endswith("?notice=link_renewed")
    token = registration.manage_token
    response = client.post(reverse("ticketing:ticket-renew-link", kwargs={"token": token}))
    assert response["Location"].endswith(f"/{token}/?notice=renew_limited")
    registration.refresh_from_db()
    assert registration.manage_token == token
    assert Message.objects.filter(purpose=Purpose.MANAGE_LINK_RENEWED).count() == 5
    page = client.get(response["Location"]).content.decode()
    assert "Bitte versuchen Sie es in einer Stunde erneut." in page
    ratelimit.reset("ticketing-renew-link", str(registration.pk))


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_browser_sends_no_referer_from_the_ticket_page(page, live_server):
    """Chromium on the ticket page: neither its own files nor the map link get a Referer."""
    event = EventFactory()
    event.venue.latitude, event.venue.longitude = 51.56, 13.0
    event.venue.save()
    registration = _register(event)
    token = registration.manage_token
    sent = []
    page.on("request", lambda request: sent.append((request.url, request.headers)))
    page.route(
        "https://www.openstreetmap.org/**",
        lambda route: route.fulfill(status=200, body="<p>Karte</p>", content_type="text/html"),
    )
    page.goto(f"{live_server.url}/tickets/ticket/{token}/")
    page.wait_for_load_state("networkidle")
    page.get_by_role("link", name="Auf der Karte zeigen").click()
    page.wait_for_url("https://www.openstreetmap.org/**")
    to_map = [headers for url, headers in sent if url.startswith("https://www.openstreetmap")]
    assert to_map and all("referer" not in headers for headers in to_map)
    # The page's own files come without a Referer; a font that a stylesheet loads names the
    # stylesheet. The link never travels in either.
    own_files = [(url, headers) for url, headers in sent if "/static/" in url]
    assert own_files
    for url, headers in own_files:
        assert "referer" not in headers or "/static/" in headers["referer"], url
    assert all(token not in json.dumps(headers) for _url, headers in sent)


# --- rotating the key of the signed and encrypted links -------------------------------------


@pytest.mark.django_db
def test_rotating_the_secret_key_keeps_old_links_until_the_fallback_is_removed(client, settings):
    """Unsubscribe, "Ihre Daten" and Django-signed links (pairing, company links) follow
    DJANGO_SECRET_KEY and DJANGO_SECRET_KEY_FALLBACKS."""
    from django.core import signing
    from django.utils import timezone

    from dataprotection import subject_requests
    from infra.errors import DomainError

    old_key = settings.SECRET_KEY
    unsubscribe = announcements.unsubscribe_token("rotate@example.org")
    data_link = subject_requests.link_token("rotate@example.org", now=timezone.now())
    signed = signing.dumps({"device": 7}, salt="checkin.pairing")
    unsubscribe_path = reverse("notifications:unsubscribe", kwargs={"token": unsubscribe})

    settings.SECRET_KEY = "a-new-key-" + "y" * 40
    settings.SECRET_KEY_FALLBACKS = [old_key]
    assert announcements.email_from_token(unsubscribe) == "rotate@example.org"
    assert subject_requests.email_from_token(data_link) == "rotate@example.org"
    assert signing.loads(signed, salt="checkin.pairing") == {"device": 7}
    assert client.get(unsubscribe_path).status_code == 200
    # New links are made with the new key only.
    fresh = announcements.unsubscribe_token("rotate@example.org")

    settings.SECRET_KEY_FALLBACKS = []
    assert client.get(unsubscribe_path).status_code == 404
    with pytest.raises(DomainError) as refused:
        subject_requests.email_from_token(data_link)
    assert refused.value.code == "data_link_invalid"
    with pytest.raises(signing.BadSignature):
        signing.loads(signed, salt="checkin.pairing")
    assert announcements.email_from_token(fresh) == "rotate@example.org"
