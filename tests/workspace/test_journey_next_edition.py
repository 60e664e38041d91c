"""Issue 19, "Done means": an organiser who has never seen the product signs in on the demo
data, lands on the start page, finds this year's Rückkehrertag through the menu, copies it
(five sites) as next year's draft edition, moves two stands of the new Delitzsch hall in the
plan editor, publishes the five new sites with the workspace's buttons and invites last
year's exhibitors, all by keyboard in Chromium at 1366 px; every page whole (axe clean,
nothing wider than the window, a visible focus), and no request ever goes to /admin/.

The start page at 360 px (axe, no overflow, the menu by keyboard) is
tests/workspace/test_browser_home.py::test_start_page_and_menu_by_keyboard[phone]."""

from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import expect

from events_platform.models import Event, EventSeries
from fairs.models import Company, Hall, StandBooking
from notifications.models import Message, Purpose
from tests.test_journeys import check_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots" / "next-edition"
BERLIN = ZoneInfo("Europe/Berlin")
D = Decimal
TOWNS = ("Delitzsch", "Torgau", "Oschatz", "Eilenburg", "Schkeuditz")


class Journey:
    """The organiser's tab: every request it sends is recorded; each step is looked at."""

    def __init__(self, page, axe):
        self.page, self.axe, self.step = page, axe, 0
        self.paths: list[str] = []
        page.on("request", lambda request: self.paths.append(urlsplit(request.url).path))

    def look(self, name: str) -> None:
        """A screenshot to look through; nothing wider than the window, axe clean, a visible
        focus on the first Tab (the journeys' check)."""
        self.step += 1
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        check_page(self.page, f"{self.step:02d}-{name}", SCREENSHOTS)

    def tab_to(self, locator, *, presses: int = 80) -> None:
        """Press Tab until `locator` has the focus (as a newcomer walks the page)."""
        for _ in range(presses):
            self.page.keyboard.press("Tab")
            if locator.evaluate("element => element === document.activeElement"):
                return
        raise AssertionError(f"Tab never reached {locator}")

    def enter(self, locator, *, tab: bool = False) -> None:
        """Bring the focus to `locator` (by Tab when asked) and press Enter; wait for the page."""
        if tab:
            self.tab_to(locator)
        else:
            locator.focus()
        with self.page.expect_navigation():
            self.page.keyboard.press("Enter")


def test_organiser_creates_next_years_returnee_day_without_the_admin(page, axe, live_server):
    call_command("load_demo_data", verbosity=0)
    # This year's edition: the latest Rückkehrertag series (the demo keeps earlier ones too).
    series = EventSeries.objects.filter(slug__startswith="rueckkehrertag-").latest("slug")
    old_sites = {site.venue.town: site for site in series.events.select_related("venue")}
    assert sorted(old_sites) == sorted(TOWNS)
    old_day = old_sites["Torgau"].starts_at.astimezone(BERLIN).date()
    new_day = old_day + timedelta(days=364)  # the same weekday next year

    page.set_viewport_size({"width": 1366, "height": 900})
    journey = Journey(page, axe)

    # Sign in with the demo login (typed), land on what needs the organiser now.
    page.goto(reverse("login"))
    page.locator("#id_username").focus()
    page.keyboard.type("veranstalter")
    page.keyboard.press("Tab")
    page.keyboard.type("demo-veranstalter-2026")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert urlsplit(page.url).path == "/veranstalter/", page.url
    journey.look("start-page")

    # The menu leads to the series; this year's Rückkehrertag is listed there.
    journey.enter(page.get_by_role("link", name="Veranstaltungsreihen", exact=True), tab=True)
    journey.look("series-list")
    journey.enter(page.get_by_role("link", name=series.title_de), tab=True)
    expect(page.get_by_role("heading", level=1)).to_have_text(series.title_de)
    journey.look("this-years-series")

    # Copy this edition: the date of the new first day, the suggested title kept.
    journey.enter(page.get_by_role("link", name="Diese Ausgabe kopieren"), tab=True)
    expect(page.locator("[data-copied]")).to_contain_text("Veranstaltungen (Standorte): 5")
    new_title = f"Nordsächsischer Rückkehrertag {new_day.year}"
    expect(page.get_by_label("Titel (Deutsch)")).to_have_value(new_title)
    page.get_by_label("Erster Tag der neuen Ausgabe").fill(new_day.isoformat())
    journey.look("copy-form")
    journey.enter(page.get_by_role("button", name="Als Entwurf kopieren"), tab=True)
    expect(page.get_by_text("Die neue Ausgabe ist als Entwurf angelegt.")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text(new_title)
    journey.look("new-edition")
    new_series = EventSeries.objects.get(title_de=new_title)
    assert new_series.pk != series.pk

    # The new Delitzsch site's hall plan in the editor: two stands moved by keyboard (Tab to
    # the stand, Enter chooses it, the arrow keys move it by the grid; each move is saved).
    journey.enter(page.get_by_role("link", name=f"Rückkehrertag {new_day.year} in Delitzsch"))
    journey.enter(page.get_by_role("link", name="Standplan bearbeiten: Saal"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Saal")
    journey.look("plan-editor")
    hall = Hall.objects.get(fair__event__series=new_series, fair__event__venue__town="Delitzsch")
    assert _stand(hall, "A1") == (D("1"), D("1")) and _stand(hall, "B6") == (D("16"), D("4"))
    for label, keys, moved in (
        ("A1", ["ArrowLeft", "ArrowLeft", "ArrowUp"], (D("0"), D("0.5"))),
        ("B6", ["ArrowDown"] * 4 + ["ArrowRight"] * 2, (D("17"), D("6"))),
    ):
        journey.tab_to(page.locator("[data-stands] [data-stand-id]", has_text=label))
        page.keyboard.press("Enter")
        expect(page.get_by_label("Bezeichnung")).to_have_value(label)
        for key in keys:
            page.keyboard.press(key)
        expect(page.locator("[data-plan-status]")).to_have_text(
            f"Standplatz {label} ist gespeichert."
        )
        _wait_for(lambda label=label, moved=moved: _stand(hall, label) == moved, page)
    expect(page.get_by_role("alert")).to_be_hidden()
    journey.look("plan-two-stands-moved")
    journey.enter(page.get_by_role("link", name=f"Rückkehrertag {new_day.year} in Delitzsch"))
    journey.enter(page.get_by_role("link", name=new_title))

    # Publish each of the five new sites on its own page, back to the series each time.
    for index, town in enumerate(TOWNS):
        site = page.get_by_role("link", name=f"Rückkehrertag {new_day.year} in {town}")
        journey.enter(site)
        expect(page.get_by_role("heading", name="Status: Entwurf")).to_be_visible()
        if index == 0:
            journey.look("new-site-draft")
        journey.enter(page.get_by_role("button", name="Veröffentlichen"), tab=True)
        expect(page.get_by_text("Die Veranstaltung ist veröffentlicht.")).to_be_visible()
        expect(page.get_by_role("heading", name="Status: Veröffentlicht")).to_be_visible()
        if index == 0:
            journey.look("new-site-published")
        journey.enter(page.get_by_role("link", name=new_title), tab=True)
    expect(page.locator("table")).not_to_contain_text("Entwurf")
    journey.look("new-edition-published")

    # Invite last year's exhibitors from the new series' page: the page lists them per site,
    # one button sends all invitations, then says everyone is invited.
    invite = reverse("workspace:series-invite", args=[new_series.pk])
    journey.enter(page.locator(f'main a[href="{invite}"]'), tab=True)
    expect(page.locator("[data-invite-site]")).to_have_count(len(TOWNS))
    expect(page.locator("main")).to_contain_text("Klinikverbund")
    journey.look("invite-exhibitors")
    journey.enter(page.locator("main form[method=post] button[type=submit]"), tab=True)
    expect(page.locator("[data-all-invited]")).to_be_visible()
    journey.look("exhibitors-invited")

    # Next year's five sites are published, at the same hours moved to the new day; this
    # year's sites are untouched.
    new_sites = {site.venue.town: site for site in new_series.events.select_related("venue")}
    assert sorted(new_sites) == sorted(TOWNS)
    for town, site in new_sites.items():
        old = old_sites[town]
        assert site.status == Event.Status.PUBLISHED, town
        assert site.starts_at == datetime.combine(
            new_day, old.starts_at.astimezone(BERLIN).time(), BERLIN
        )
        assert site.ends_at - site.starts_at == old.ends_at - old.starts_at
        assert site.venue_id == old.venue_id and site.capacity == old.capacity
    assert series.events.filter(status=Event.Status.PUBLISHED).count() == len(TOWNS)

    # The two stands stand where they were drawn on the plan companies book from (and the
    # stands of this year's Delitzsch hall did not move).
    company = page.context.browser.new_context(locale="de-DE", base_url=live_server.url)
    tab = company.new_page()
    tab.goto(reverse("login"))
    tab.fill("#id_username", "firma")
    tab.fill("#id_password", "demo-firma-2026")
    with tab.expect_navigation():
        tab.press("#id_password", "Enter")
    tab.goto(reverse("fairs:stand-book", args=[new_sites["Delitzsch"].slug]))
    for label, x, y in (("A1", "0.00", "0.50"), ("B6", "17.00", "6.00")):
        shape = tab.locator(f'[data-stand="{label}"] .stand-shape')
        expect(shape).to_have_attribute("x", x)
        expect(shape).to_have_attribute("y", y)
    journey.axe(tab)
    tab.screenshot(path=str(SCREENSHOTS / "99-company-booking-plan.png"), full_page=True)
    company.close()
    old_hall = Hall.objects.get(fair__event=old_sites["Delitzsch"])
    assert _stand(old_hall, "A1") == (D("1"), D("1"))
    assert _stand(old_hall, "B6") == (D("16"), D("4"))

    # Each company with a confirmed stand at a site last year got exactly one invitation for
    # that site's new edition, and nobody else got one.
    for town, site in new_sites.items():
        earlier = set(
            StandBooking.objects.filter(
                fair__event=old_sites[town], status=StandBooking.Status.APPROVED
            ).values_list("company_id", flat=True)
        )
        assert earlier, town
        mails = Message.objects.filter(purpose=Purpose.EXHIBITORS_INVITED, event=site)
        invited = sorted(int(object_id) for object_id in mails.values_list("object_id", flat=True))
        assert invited == sorted(earlier), town
        for company in Company.objects.filter(pk__in=earlier):
            assert mails.filter(to_email=company.contact_email).count() == 1, (town, company)
    assert not Message.objects.filter(
        purpose=Purpose.EXHIBITORS_INVITED, event__series=series
    ).exists()

    # Not one request of the whole journey went to the Django admin.
    assert journey.paths, "no request was recorded"
    assert not [path for path in journey.paths if path.startswith("/admin/")]


def _stand(hall, label: str) -> tuple[Decimal, Decimal]:
    stand = hall.stands.get(label=label)
    return stand.x_m, stand.y_m


def _wait_for(condition, page) -> None:
    """Wait (without a fixed sleep) until the saved rows meet `condition`."""
    for _ in range(100):
        if condition():
            return
        page.wait_for_timeout(50)
    assert condition()
