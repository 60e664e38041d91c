"""Security headers and cookies with the production settings (.env.example, DJANGO_DEBUG=false)
on representative pages: public, behind a secret link, back office, API, scanner."""

import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.events_platform.test_deploy_check import production_env
from tests.factories import EventFactory, MembershipFactory, UserFactory
from tests.processes import json_from_python
from ticketing import services
from ticketing.models import VisitorFeed
from ticketing.services import RegistrationInput

PRODUCTION_KEYS = [
    "DEBUG",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SECURE_CONTENT_TYPE_NOSNIFF",
    "SECURE_REFERRER_POLICY",
    "SECURE_CROSS_ORIGIN_OPENER_POLICY",
    "SECURE_PROXY_SSL_HEADER",
    "X_FRAME_OPTIONS",
    "SESSION_COOKIE_SECURE",
    "SESSION_COOKIE_HTTPONLY",
    "SESSION_COOKIE_SAMESITE",
    "CSRF_COOKIE_SECURE",
    "CSRF_COOKIE_SAMESITE",
    "CONTENT_SECURITY_POLICY",
]

DUMP = """
import json
from django.conf import settings
import django
django.setup()
print("SETTINGS " + json.dumps({key: getattr(settings, key, None) for key in %r}))
"""


@pytest.fixture(scope="module")
def production_values() -> dict:
    """The security settings as production computes them (a fresh process, .env.example)."""
    env = production_env()
    env["DJANGO_SETTINGS_MODULE"] = "config.settings"
    values = json_from_python(["-c", DUMP % PRODUCTION_KEYS], env=env, marker="SETTINGS ")
    if values["SECURE_PROXY_SSL_HEADER"]:
        values["SECURE_PROXY_SSL_HEADER"] = tuple(values["SECURE_PROXY_SSL_HEADER"])
    return values


@pytest.fixture
def production(settings, production_values):
    """This test process with the production security settings (and its own test data)."""
    for key, value in production_values.items():
        setattr(settings, key, value)
    # Hashed static files need collectstatic; the security headers do not depend on them.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.ALLOWED_HOSTS = ["events.example.org"]
    return production_values


def test_production_values_are_strict(production_values):
    assert production_values["DEBUG"] is False
    assert production_values["SECURE_SSL_REDIRECT"] is True
    assert production_values["SECURE_HSTS_SECONDS"] >= 31536000
    assert production_values["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert production_values["SESSION_COOKIE_SECURE"] and production_values["CSRF_COOKIE_SECURE"]
    assert production_values["SESSION_COOKIE_HTTPONLY"] is True
    assert production_values["SESSION_COOKIE_SAMESITE"] == "Lax"
    assert production_values["CSRF_COOKIE_SAMESITE"] == "Lax"
    assert production_values["X_FRAME_OPTIONS"] == "DENY"
    # Behind Caddy: HTTPS is told by X-Forwarded-Proto, which Caddy sets.
    assert production_values["SECURE_PROXY_SSL_HEADER"] == ("HTTP_X_FORWARDED_PROTO", "https")


def _https(client: Client, path: str, **extra):
    return client.get(path, HTTP_HOST="events.example.org", HTTP_X_FORWARDED_PROTO="https", **extra)


def _csp(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


def _pages(django_user_model) -> dict[str, tuple[str, Client]]:
    event = EventFactory(slug="rueckkehrertag-torgau")
    registration = services.register(
        event=event,
        data=RegistrationInput(name="Anna", email="anna@example.org", privacy_consent=True),
        now=timezone.now(),
    )
    anonymous = Client()
    organiser = UserFactory(is_staff=True)
    MembershipFactory(user=organiser, organisation=event.organisation)
    back_office = Client()
    back_office.force_login(organiser)
    token = registration.manage_token
    feed, _created = VisitorFeed.objects.get_or_create(email=registration.email)
    return {
        "public home": ("/", anonymous),
        "public event": (reverse("events_platform:event-detail", args=[event.slug]), anonymous),
        "public English": ("/en/veranstaltungen/", anonymous),
        "login": ("/login/", anonymous),
        "secret link: ticket": (f"/tickets/ticket/{token}/", anonymous),
        "secret link: feed": (f"/tickets/kalender/{feed.token}.ics", anonymous),
        "back office: admin": ("/admin/", back_office),
        "back office: registrations": (f"/tickets/organiser/{event.pk}/", back_office),
        "API: events": ("/api/events/", anonymous),
        "API: ticket": (f"/api/tickets/{token}/", anonymous),
        "scanner": ("/einlass/scanner/", anonymous),
        "not found": ("/gibt-es-nicht/", anonymous),
    }


@pytest.mark.django_db
def test_every_representative_page_sends_the_security_headers(production, django_user_model):
    for name, (path, client) in _pages(django_user_model).items():
        response = _https(client, path)
        assert response.status_code in (200, 404), (name, response.status_code)
        assert response["Strict-Transport-Security"] == (
            "max-age=31536000; includeSubDomains; preload"
        ), name
        assert response["X-Content-Type-Options"] == "nosniff", name
        assert response["X-Frame-Options"] == "DENY", name
        assert response["Cross-Origin-Opener-Policy"] == "same-origin", name
        policy = "no-referrer" if name.startswith(("secret link", "API: ticket")) else None
        assert response["Referrer-Policy"] == (policy or "same-origin"), name
        csp = _csp(response)
        for directive in ("script-src", "default-src"):
            assert csp[directive] == ["'self'"], (name, directive, csp)
            assert "'unsafe-inline'" not in csp[directive] and "'unsafe-eval'" not in csp[directive]
        assert csp["frame-ancestors"] == ["'none'"], name
        assert csp["object-src"] == ["'none'"] and csp["base-uri"] == ["'self'"], name
        assert csp["form-action"] == ["'self'"], name
        if response["Content-Type"].startswith("text/html"):
            html = response.content.decode()
            # No inline script for the CSP to refuse: every <script> loads a file (or is a
            # JSON data block, which never runs).
            for tag, body in re.findall(r"(<script\b[^>]*>)(.*?)</script>", html, re.S):
                if 'type="application/json"' in tag:
                    continue
                assert 'src="' in tag and not body.strip(), (name, tag)
            assert not re.search(r"\son[a-z]+\s*=", html), (name, "inline event handler")


@pytest.mark.django_db
def test_plain_http_is_redirected_to_https_except_the_health_check(production):
    client = Client()
    response = client.get("/", HTTP_HOST="events.example.org")
    assert response.status_code == 301
    assert response["Location"] == "https://events.example.org/"
    assert client.get("/healthz", HTTP_HOST="events.example.org").status_code in (200, 503)


def _cookie_attributes(response, name: str) -> dict:
    morsel = response.cookies[name]
    return {
        "secure": bool(morsel["secure"]),
        "httponly": bool(morsel["httponly"]),
        "samesite": morsel["samesite"],
    }


@pytest.mark.django_db
def test_session_and_csrf_cookies_are_secure_httponly_and_samesite(production):
    UserFactory(username="orga", password="correct horse battery staple")
    client = Client()
    form = _https(client, "/login/")
    assert form.status_code == 200
    csrf = _cookie_attributes(form, "csrftoken")
    # The CSRF cookie stays readable for scripts (DRF's browsable API reads it); it is
    # no secret on its own (Django's documentation), but it is HTTPS-only and SameSite.
    assert csrf == {"secure": True, "httponly": False, "samesite": "Lax"}
    response = client.post(
        "/login/",
        {
            "username": "orga",
            "password": "correct horse battery staple",
            "csrfmiddlewaretoken": form.cookies["csrftoken"].value,
        },
        HTTP_HOST="events.example.org",
        HTTP_X_FORWARDED_PROTO="https",
        HTTP_REFERER="https://events.example.org/login/",
        HTTP_ORIGIN="https://events.example.org",
    )
    assert response.status_code == 302, response.content.decode()[:500]
    assert _cookie_attributes(response, "sessionid") == {
        "secure": True,
        "httponly": True,
        "samesite": "Lax",
    }


@pytest.mark.django_db
def test_a_foreign_site_cannot_frame_or_post(production):
    UserFactory(username="orga", password="correct horse battery staple")
    client = Client(enforce_csrf_checks=True)
    _https(client, "/login/")
    response = client.post(
        "/login/",
        {"username": "orga", "password": "correct horse battery staple"},
        HTTP_HOST="events.example.org",
        HTTP_X_FORWARDED_PROTO="https",
        HTTP_ORIGIN="https://evil.example",
    )
    assert response.status_code == 403


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_pages_run_without_a_single_csp_violation(page, live_server):
    """In Chromium: the CSP refuses nothing on the representative pages (no inline code)."""
    event = EventFactory(slug="messe-delitzsch")
    registration = services.register(
        event=event,
        data=RegistrationInput(name="Anna", email="anna@example.org", privacy_consent=True),
        now=timezone.now(),
    )
    violations = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    for path in (
        "/",
        f"/veranstaltungen/{event.slug}/",
        f"/tickets/anmelden/{event.slug}/",
        f"/tickets/ticket/{registration.manage_token}/",
        "/login/",
        "/einlass/scanner/",
        "/api/docs/",
    ):
        response = page.goto(live_server.url + path)
        assert response.status < 500, path
        page.wait_for_load_state("networkidle")
        assert "script-src 'self';" in response.headers["content-security-policy"] + ";"
    assert violations == []
    # Negative control: an inline script added now is refused, and the listener hears it.
    page.evaluate(
        "() => { const s = document.createElement('script');"
        " s.textContent = 'window.ran = 1'; document.body.appendChild(s); }"
    )
    page.wait_for_timeout(200)
    assert page.evaluate("() => window.ran") is None
    assert violations and "script-src" in violations[0]
