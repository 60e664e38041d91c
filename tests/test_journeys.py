"""Each role walks its main journey (../shared/JOURNEYS.md) on the demo data: in German at
phone size (360 × 800) and desktop size (1366 × 900), and in English (the pages under /en/)
at phone size, where the other language's longer or shorter words change the layout most
(English at desktop size too would add a third to the file's time on a loaded machine, for
layouts the German desktop run already covers). Every step must be whole: no horizontal
overflow, no serious axe finding, a visible focus ring after one Tab. Each step is saved as a
screenshot in var/screenshots/<role>/<language>-<size>/ (ignored by git) for a person to look
through.

The journeys find their way by structure (URLs, form fields, ids), not by wording, so
that they hold while the texts change."""

import re
from datetime import date
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation
from playwright.sync_api import expect

from events_platform.models import Event
from infra.dates import years_after
from tests.conftest import ROOT, assert_accessible
from ticketing.models import Registration

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SIZES = {"phone": {"width": 360, "height": 800}, "desktop": {"width": 1366, "height": 900}}
# The browser's locale per language; German pages have no prefix, English ones live under /en/.
LOCALES = {"de": "de-DE", "en": "en-GB"}
VIEWS = [("de", "phone"), ("de", "desktop"), ("en", "phone")]
SCREENSHOTS = ROOT / "var" / "screenshots"
LONG_NAME = "Anne-Kathrin Müller-Lüdenscheidt-Oberweißbach"

# Demo logins (events_platform/demo.py, fairs/demo.py).
ORGANISER = ("veranstalter", "demo-veranstalter-2026")
DOOR_STAFF = ("einlass", "demo-einlass-2026")
COMPANY = ("firma", "demo-firma-2026")


class Journey:
    """A browser tab at one size that numbers and checks the steps of one role's journey."""

    def __init__(self, page, role: str, size: str):
        self.page = page
        self.language = translation.get_language()
        self.folder = SCREENSHOTS / role / f"{self.language}-{size}"
        self.folder.mkdir(parents=True, exist_ok=True)
        for old in self.folder.glob("*.png"):
            old.unlink()
        self.step = 0

    def check(self, name: str) -> None:
        self.step += 1
        # Every step stays in the journey's language (a link without /en/ falls back to German).
        shown = self.page.evaluate("document.documentElement.lang")
        assert shown == self.language, f"{name} ({self.page.url}) is in {shown!r}"
        check_page(self.page, f"{self.step:02d}-{name}", self.folder)


def check_page(page, name: str, folder: Path) -> None:
    """Save a screenshot of the page, then assert it is whole: no horizontal overflow, no
    serious axe finding, and the element one Tab reaches shows a visible focus ring."""
    page.wait_for_load_state("load")
    page.screenshot(path=str(folder / f"{name}.png"), full_page=True)
    widths = page.evaluate(
        """() => {
            const root = document.documentElement;
            const wide = [...document.querySelectorAll('body *')]
                .filter(el => el.getBoundingClientRect().right > root.clientWidth + 1)
                .filter(el => !el.closest('[role=region]'))
                .slice(0, 6)
                .map(el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
                    + (el.className && el.className.baseVal === undefined
                        ? '.' + String(el.className).trim().split(/\\s+/).join('.') : ''));
            return {scroll: root.scrollWidth, client: root.clientWidth, wide};
        }"""
    )
    assert widths["scroll"] <= widths["client"], (
        f"{name} ({page.url}) is {widths['scroll']} px wide in a {widths['client']} px window; "
        f"too wide: {widths['wide']}"
    )
    assert_accessible(page)
    page.keyboard.press("Tab")
    focus = page.evaluate(
        """() => {
            const el = document.activeElement;
            if (!el || el === document.body) return null;
            const style = getComputedStyle(el);
            const box = el.getBoundingClientRect();
            return {
                element: el.outerHTML.slice(0, 120),
                ring: (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0)
                    || style.boxShadow !== 'none',
                shown: box.width > 0 && box.height > 0,
            };
        }"""
    )
    assert focus is not None, f"{name}: Tab reached nothing"
    assert focus["shown"] and focus["ring"], f"{name}: no visible focus on {focus['element']}"


@pytest.fixture(params=VIEWS, ids=[f"{language}-{size}" for language, size in VIEWS])
def view(request):
    """The journey's language and size. The language is active in the test too, so that
    reverse() and get_absolute_url() give the pages of that language (/en/… in English)."""
    language, size = request.param
    with translation.override(language):
        yield language, size


@pytest.fixture
def language(view) -> str:
    return view[0]


@pytest.fixture
def size(view) -> str:
    return view[1]


@pytest.fixture
def tab(browser, live_server, language, size):
    """A fresh browser tab in the journey's language at the journey's size."""
    context = browser.new_context(
        locale=LOCALES[language],
        timezone_id="Europe/Berlin",
        viewport=SIZES[size],
        base_url=live_server.url,
    )
    context.set_default_timeout(20_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def demo():
    call_command("load_demo_data", verbosity=0)


def first_event(kind: str) -> Event:
    return (
        # Not begun yet: the demo also keeps past editions for the figures (on 27 December the
        # last one is today's, its registration closed).
        Event.objects.filter(kind=kind, status=Event.Status.PUBLISHED, starts_at__gt=timezone.now())
        .order_by("starts_at", "pk")
        .first()
    )


def log_in(page, username: str, password: str) -> None:
    page.goto(reverse("login"))
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    with page.expect_navigation():
        page.press("#id_password", "Enter")


def submit(page, form: str = "main form[method=post]") -> None:
    """Press the first submit button of the form and wait for the answer."""
    with page.expect_navigation():
        page.locator(form).last.locator("button[type=submit]").first.click()


def assert_summary_has_focus(page) -> None:
    """The error summary is shown and holds the focus, each entry a link to a field."""
    summary = page.locator("[data-error-summary]")
    expect(summary).to_have_count(1)
    expect(summary).to_be_focused()
    for href in summary.locator("a").evaluate_all("links => links.map(a => a.hash)"):
        assert page.locator(href).count() == 1, f"{href} leads to no field"


def fill_required(page, form: str, **values: str) -> None:
    """Fill every required field of the form the way a person would: the given values by
    field name, the rest with something plausible for its type."""
    fields = page.locator(f"{form} [required]")
    for index in range(fields.count()):
        field = fields.nth(index)
        if not field.is_visible():
            continue
        name = field.get_attribute("name") or ""
        tag = field.evaluate("el => el.tagName.toLowerCase()")
        kind = (field.get_attribute("type") or "text").lower()
        if name in values:
            value = values[name]
        elif tag == "select":
            options = field.locator("option").evaluate_all(
                "opts => opts.map(o => o.value).filter(v => v)"
            )
            field.select_option(options[0])
            continue
        elif kind in ("checkbox", "radio"):
            field.check()
            continue
        elif kind == "email":
            value = f"{name or 'mail'}@example.org"
        elif kind == "number":
            value = field.get_attribute("min") or "1"
        elif kind == "tel":
            value = "0341 1234567"
        elif kind == "date":
            value = years_after(date.today(), -12).isoformat()
        else:
            value = LONG_NAME if "name" in name else "Beispiel"
        field.fill(value)


def test_returnee(tab, size, demo):
    journey = Journey(tab, "returnee", size)
    site = first_event(Event.Kind.RETURNEE_DAY)
    tab.goto(reverse("events_platform:home"))
    journey.check("home")
    tab.goto(site.series.get_absolute_url())
    journey.check("series-with-its-sites")
    with tab.expect_navigation():
        tab.locator(f"main a[href='{site.get_absolute_url()}']").first.click()
    journey.check("one-site")
    tab.goto(reverse("fairs:exhibitors-event", args=[site.slug]))
    journey.check("exhibitors")
    tab.goto(reverse("fairs:jobs-event", args=[site.slug]))
    journey.check("job-offers")
    tab.goto(site.get_absolute_url())
    register = reverse("ticketing:register", args=[site.slug])
    with tab.expect_navigation():
        tab.locator(f"main a[href^='{register}']").first.click()
    journey.check("registration-form")
    submit(tab, "form.tk-form")
    assert_summary_has_focus(tab)
    journey.check("registration-errors")
    fill_required(tab, "form.tk-form", name=LONG_NAME, email="anne.mueller@example.org")
    submit(tab, "form.tk-form")
    tab.wait_for_url("**/tickets/ticket/**")
    expect(tab.locator("#ticket-qr")).to_be_visible()
    journey.check("ticket")
    ticket_path = tab.url.split("?")[0]
    registration = Registration.objects.get(email="anne.mueller@example.org")
    tab.goto(reverse("ticketing:ticket-edit", args=[registration.manage_token]))
    journey.check("change-answers")
    tab.goto(reverse("ticketing:ticket-cancel", args=[registration.manage_token]))
    journey.check("cancel")
    submit(tab, "form.tk-form")
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CANCELLED
    assert tab.url.split("?")[0] == ticket_path
    journey.check("cancelled")


def test_parent_registers_a_child_for_the_camp(tab, size, demo):
    journey = Journey(tab, "parent", size)
    camp = first_event(Event.Kind.CAMP)
    tab.goto(camp.get_absolute_url())
    journey.check("camp-page")
    tab.goto(reverse("ticketing:register", args=[camp.slug]))
    journey.check("registration-form")
    submit(tab, "form.tk-form")
    assert_summary_has_focus(tab)
    journey.check("registration-errors")
    birth = date(camp.starts_at.year - 12, 3, 1).isoformat()
    fill_required(tab, "form.tk-form", name=LONG_NAME, email="eltern@example.org", birth_date=birth)
    submit(tab, "form.tk-form")
    tab.wait_for_url("**/tickets/ticket/**")
    journey.check("waiting-for-the-guardian")
    registration = Registration.objects.get(event=camp, email="eltern@example.org")
    if registration.guardian_token:
        tab.goto(reverse("ticketing:guardian-confirm", args=[registration.guardian_token]))
        journey.check("guardian-confirmation")
        fill_required(tab, "form.tk-form", guardian_name="Katrin Müller")
        submit(tab, "form.tk-form")
        registration.refresh_from_db()
        assert registration.status == Registration.Status.CONFIRMED
        journey.check("guardian-confirmed")
    tab.goto(reverse("ticketing:ticket", args=[registration.manage_token]))
    journey.check("ticket")


def test_teacher_registers_a_class_at_a_fair(tab, size, demo):
    journey = Journey(tab, "teacher", size)
    fair = first_event(Event.Kind.APPRENTICESHIP_FAIR)
    tab.goto(fair.get_absolute_url())
    journey.check("fair-page")
    tab.goto(reverse("ticketing:register", args=[fair.slug]) + "?as=class")
    journey.check("class-registration-form")
    submit(tab, "form.tk-form")
    assert_summary_has_focus(tab)
    journey.check("class-registration-errors")
    fill_required(
        tab,
        "form.tk-form",
        name=LONG_NAME,
        email="lehrerin@example.org",
        school="Oberschule „Am Rosental“ Delitzsch",
        grade="9b",
        pupils="24",
        adults="2",
    )
    submit(tab, "form.tk-form")
    tab.wait_for_url("**/tickets/ticket/**")
    expect(tab.locator("#ticket-qr")).to_be_visible()
    journey.check("group-ticket")
    # The class size and slot are changed on their own page where the ticket links to it.
    change = tab.locator("main a[href$='/umbuchen/']")
    if change.count():
        with tab.expect_navigation():
            change.first.click()
        journey.check("change-class-size-or-slot")
        tab.go_back()
    registration = Registration.objects.get(event=fair, email="lehrerin@example.org")
    tab.goto(reverse("ticketing:ticket-edit", args=[registration.manage_token]))
    journey.check("change-answers")


def test_student_registers_for_an_excursion(tab, size, demo):
    journey = Journey(tab, "student", size)
    excursion = first_event(Event.Kind.EXCURSION)
    tab.goto(excursion.get_absolute_url())
    journey.check("excursion-page")
    tab.goto(reverse("ticketing:register", args=[excursion.slug]))
    journey.check("registration-form")
    fill_required(tab, "form.tk-form", name=LONG_NAME, email="studentin@example.org")
    submit(tab, "form.tk-form")
    tab.wait_for_url("**/tickets/ticket/**")
    journey.check("ticket")


def test_door_staff_pair_the_phone_and_open_the_scanner(tab, size, demo):
    journey = Journey(tab, "door-staff", size)
    log_in(tab, *DOOR_STAFF)
    assert tab.url.endswith(reverse("checkin:home"))
    journey.check("check-in-home")
    with tab.expect_navigation():
        tab.locator("main form[action*='use-this-device'] button[type=submit]").first.click()
    tab.wait_for_url(re.compile(r".*/einlass/pair/.*"))
    journey.check("pair-this-phone")
    fill_required(tab, "main form", name="Handy Eingang Nord")
    tab.locator("main form button[type=submit]").first.click()
    tab.wait_for_url("**/einlass/scanner/**", timeout=60_000)
    tab.wait_for_load_state("networkidle")
    journey.check("scanner")
    tab.goto(reverse("checkin:home"))
    with tab.expect_navigation():
        tab.locator("main a[href$='/door/']").first.click()
    journey.check("walk-in-at-the-door")
    submit(tab)
    assert_summary_has_focus(tab)
    journey.check("walk-in-errors")


def test_company_hr_books_a_stand_and_lists_a_job(tab, size, demo):
    journey = Journey(tab, "company", size)
    log_in(tab, *COMPANY)
    assert tab.url.endswith(reverse("fairs:company-home"))
    journey.check("company-area")
    tab.goto(reverse("fairs:company-profile"))
    journey.check("profile")
    tab.goto(reverse("fairs:fair-list"))
    journey.check("fairs")
    with tab.expect_navigation():
        tab.locator("main a[href*='/buchen/']").first.click()
    journey.check("stand-plan")
    if tab.locator("form.booking-form").count():
        submit(tab, "form.booking-form")
        assert_summary_has_focus(tab)
        journey.check("booking-errors")
    tab.goto(reverse("fairs:company-home"))
    bookings = tab.locator("main a[href*='/firma/buchungen/']")
    if bookings.count():
        with tab.expect_navigation():
            bookings.first.click()
        journey.check("booking")
    tab.goto(reverse("fairs:job-offer-list"))
    journey.check("job-offers")
    tab.goto(reverse("fairs:job-offer-create"))
    submit(tab)
    assert_summary_has_focus(tab)
    journey.check("job-offer-errors")
    tab.goto(reverse("fairs:company-members"))
    journey.check("colleagues")


def test_organiser_works_through_the_day(tab, size, demo):
    journey = Journey(tab, "organiser", size)
    log_in(tab, *ORGANISER)
    assert tab.url.endswith(reverse("workspace:home"))
    journey.check("start")
    tab.goto(reverse("ticketing:organiser-overview"))
    journey.check("registrations-per-site")
    with tab.expect_navigation():
        tab.locator("main a[href*='/tickets/organiser/']").first.click()
    journey.check("registrations")
    tab.goto(reverse("fairs:organiser-fairs"))
    journey.check("fairs")
    with tab.expect_navigation():
        tab.locator("main a[href*='/fairs/veranstalter/messen/']").first.click()
    journey.check("stand-requests-and-plan")
    site = first_event(Event.Kind.RETURNEE_DAY)
    tab.goto(reverse("checkin:event", args=[site.pk]))
    journey.check("live-door-view")
    tab.goto(reverse("notifications:message-list"))
    journey.check("messages")
    tab.goto(reverse("notifications:announcement-create"))
    journey.check("announcement-form")
    submit(tab)
    assert_summary_has_focus(tab)
    journey.check("announcement-errors")
