"""Password reset in real Chromium: every page passes axe and works with the keyboard alone."""

from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from accounts import password_reset
from infra import ratelimit
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EMAIL = "browser.reset@district-a.example"
NEW_PASSWORD = "Einlass-Nord-Torgau-2027"


@pytest.fixture(autouse=True)
def _fresh_counters():
    for ip in ("127.0.0.1", "::1"):
        ratelimit.reset("password-reset-ip", ip)
    ratelimit.reset("password-reset-email", EMAIL)
    yield
    for ip in ("127.0.0.1", "::1"):
        ratelimit.reset("password-reset-ip", ip)
    ratelimit.reset("password-reset-email", EMAIL)


def tab_to(page, locator, presses: int = 40) -> None:
    """Press Tab until `locator` has the focus (what a keyboard user does)."""
    for _ in range(presses):
        page.keyboard.press("Tab")
        if locator.evaluate("element => element === document.activeElement"):
            return
    raise AssertionError(f"{locator} cannot be reached with Tab")


def test_forgotten_password_by_keyboard_with_axe(page, axe):
    user = UserFactory(username="browser-reset", email=EMAIL)

    page.goto("/login/")
    tab_to(page, page.get_by_role("link", name="Passwort vergessen?"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Passwort vergessen?")).to_be_visible()
    axe(page)

    # A typo first: the message sits next to the field and in the summary at the top, which
    # takes the focus; what was typed stays.
    email = page.get_by_label("E-Mail-Adresse")
    tab_to(page, email)
    page.keyboard.type("browser.reset(at)district-a.example")
    page.keyboard.press("Enter")
    expect(page.locator("#id_email_error")).to_contain_text(
        "Bitte geben Sie eine gültige E-Mail-Adresse ein"
    )
    expect(page.locator("[data-error-summary]")).to_be_focused()
    expect(page.get_by_role("link", name="E-Mail-Adresse: Bitte geben Sie")).to_be_visible()
    expect(email).to_have_value("browser.reset(at)district-a.example")
    expect(email).to_have_attribute("aria-invalid", "true")
    axe(page)

    tab_to(page, email)
    page.keyboard.press("Control+A")
    page.keyboard.type(EMAIL)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Sehen Sie in Ihr E-Mail-Postfach")).to_be_visible()
    expect(page.get_by_text("Wenn ein Konto diese E-Mail-Adresse nutzt")).to_be_visible()
    axe(page)

    # The link from the mail (built the way the mail task builds it).
    page.goto(urlsplit(password_reset.reset_link(user, language="de")).path)
    expect(page.get_by_role("heading", name="Neues Passwort wählen")).to_be_visible()
    axe(page)
    tab_to(page, page.get_by_label("Neues Passwort", exact=True))
    page.keyboard.type(NEW_PASSWORD)
    page.keyboard.press("Tab")
    page.keyboard.type(NEW_PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Passwort geändert")).to_be_visible()
    axe(page)

    tab_to(page, page.get_by_role("link", name="Anmelden").last)
    page.keyboard.press("Enter")
    tab_to(page, page.get_by_label("Benutzername"))
    page.keyboard.type("browser-reset")
    page.keyboard.press("Tab")
    page.keyboard.type(NEW_PASSWORD)
    page.keyboard.press("Enter")
    expect(page).not_to_have_url("/login/")
    assert get_user_model().objects.get(pk=user.pk).check_password(NEW_PASSWORD)


def test_english_pages_and_a_used_link_with_axe(page, axe):
    user = UserFactory(username="browser-reset-en", email=EMAIL)
    link = urlsplit(password_reset.reset_link(user, language="en")).path
    user.set_password("changed-elsewhere-2027")
    user.save()  # the link is bound to the old password: it no longer works

    page.goto("/en/password-reset/")
    expect(page.get_by_role("heading", name="Forgot your password?")).to_be_visible()
    axe(page)

    page.goto(link)
    expect(page.get_by_text("This link is invalid or has expired")).to_be_visible()
    axe(page)
    tab_to(page, page.get_by_role("link", name="Ask for a new link"))
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{page.url.split('/en/')[0]}/en/password-reset/")
