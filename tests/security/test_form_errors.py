"""Bad input in the main public forms: a translated message (German and English) next to the
field it is about, tied to it for screen readers, and nothing typed is lost.

Forms: visitor registration, company sign-up, login, password reset. Passwords are the one
thing a re-rendered form does not echo back (on purpose: they would land in the page source).
"""

from html.parser import HTMLParser

import pytest

from infra import ratelimit
from tests.factories import EventFactory, UserFactory

pytestmark = pytest.mark.django_db


class Page(HTMLParser):
    """The form controls (by name) and the text of every element with an id."""

    def __init__(self, html: str):
        super().__init__()
        self.controls: dict[str, dict] = {}
        self.selected: dict[str, list[str]] = {}
        self.texts: dict[str, str] = {}
        self._open: list[tuple[str, str]] = []  # (tag, id) of elements with an id
        self._select: str | None = None
        self._textarea: str | None = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = {key: value or "" for key, value in attrs}
        if tag in ("input", "select", "textarea") and attrs.get("name"):
            if attrs.get("type") in ("radio", "checkbox") and "checked" in attrs:
                self.selected.setdefault(attrs["name"], []).append(attrs.get("value", "on"))
            self.controls.setdefault(attrs["name"], attrs)
            if tag == "select":
                self._select = attrs["name"]
            if tag == "textarea":
                self._textarea = attrs["name"]
                attrs["value"] = ""
        if tag == "option" and self._select and "selected" in attrs:
            self.selected.setdefault(self._select, []).append(attrs.get("value", ""))
        if attrs.get("id") and tag not in ("input", "br", "img"):
            self._open.append((tag, attrs["id"]))
            self.texts[attrs["id"]] = ""

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        if tag == "textarea":
            self._textarea = None
        if self._open and self._open[-1][0] == tag:
            self._open.pop()

    def handle_data(self, data):
        for _tag, element_id in self._open:
            self.texts[element_id] += data
        if self._textarea:
            self.controls[self._textarea]["value"] += data


def assert_error_next_to(page: Page, field: str, message: str) -> None:
    """The field's control is marked invalid and described by an error holding `message`."""
    control = page.controls[field]
    assert control.get("aria-invalid") == "true", f"{field} is not marked invalid"
    described = control.get("aria-describedby", "").split()
    errors = [page.texts.get(ref, "") for ref in described]
    assert any(message in text for text in errors), (
        f"{field}: {message!r} not in its error {errors!r}"
    )


def assert_kept(page: Page, typed: dict[str, str]) -> None:
    for field, value in typed.items():
        if field in page.selected:
            assert value in page.selected[field], f"{field} lost its choice"
        else:
            assert page.controls[field].get("value") == value, f"{field} lost what was typed"


@pytest.fixture(autouse=True)
def _fresh_counters():
    yield
    for scope, key in [
        ("login-account", "hr-formtest"),
        ("login-ip", "10.8.0.1"),
        ("login-ip", "10.8.0.2"),
        ("password-reset-ip", "10.8.0.1"),
        ("password-reset-ip", "10.8.0.2"),
    ]:
        ratelimit.reset(scope, key)


LANGUAGES = {
    "de": {
        "prefix": "",
        "required": "Bitte füllen Sie dieses Feld aus.",
        # Formal, not DRF's "Gib eine gültige E-Mail Adresse an." (formal_messages.py)
        "email": "Bitte geben Sie eine gültige E-Mail-Adresse ein",
        "passwords_differ": "Die beiden Passwörter stimmen nicht überein.",
        "login_failed": "Bitte Benutzername und Passwort eingeben.",
        "consent": "Bitte stimmen Sie der Datenschutzerklärung zu",
    },
    "en": {
        "prefix": "/en",
        "required": "This field is required.",
        "email": "valid e",  # "Enter a valid email address." / "Please enter a valid e-mail…"
        "passwords_differ": "The two passwords differ.",
        "login_failed": "Please enter a correct username and password.",
        "consent": "Please agree to the privacy notice",
    },
}


@pytest.fixture(params=["de", "en"])
def lang(request):
    return LANGUAGES[request.param] | {"code": request.param}


def test_visitor_registration_keeps_everything_typed(client, lang):
    event = EventFactory(capacity=50)
    typed = {"name": "Anna Müller-Lüdenscheidt", "email": "anna(at)example", "phone": "0341 1"}
    response = client.post(
        f"{lang['prefix']}/tickets/anmelden/{event.slug}/", typed, REMOTE_ADDR="10.8.0.1"
    )
    assert response.status_code == 400
    page = Page(response.content.decode())
    assert_kept(page, typed)
    assert_error_next_to(page, "email", lang["email"])
    assert_error_next_to(page, "privacy_consent", lang["consent"])


def test_company_signup_keeps_everything_typed_but_the_passwords(client, lang):
    typed = {
        "name": "Elbtal Agrar GmbH",
        "sector": "agriculture_food",
        "contact_name": "Jörg Äpfelbaum",
        "email": "personal@elbtal-agrar",
    }
    response = client.post(
        f"{lang['prefix']}/fairs/firma/registrieren/",
        typed | {"password1": "Kartoffel-2027!", "password2": "Kartoffel-2028!"},
    )
    assert response.status_code in (200, 400)
    page = Page(response.content.decode())
    assert_kept(page, typed)
    assert_error_next_to(page, "email", lang["email"])
    assert_error_next_to(page, "password2", lang["passwords_differ"])
    assert page.controls["password1"].get("value", "") == ""


def test_login_keeps_the_user_name(client, lang):
    UserFactory(username="hr-formtest")
    response = client.post(
        f"{lang['prefix']}/login/",
        {"username": "hr-formtest", "password": "falsch"},
        REMOTE_ADDR="10.8.0.2",
    )
    page = Page(response.content.decode())
    assert_kept(page, {"username": "hr-formtest"})
    # One message for both fields (it must not say which one was wrong), in the alert.
    assert lang["login_failed"] in response.content.decode()
    response = client.post(f"{lang['prefix']}/login/", {"username": "hr-formtest"})
    assert_error_next_to(Page(response.content.decode()), "password", lang["required"])


def test_password_reset_keeps_the_address(client, lang):
    typed = {"email": "orga(at)district-a"}
    response = client.post(f"{lang['prefix']}/password-reset/", typed, REMOTE_ADDR="10.8.0.1")
    assert response.status_code == 200
    page = Page(response.content.decode())
    assert_kept(page, typed)
    assert_error_next_to(page, "email", lang["email"])
