"""The public site in real Chromium: every page passes axe in German and English, and works
with the keyboard alone."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from events_platform.models import Event
from tests.factories import (
    EventFactory,
    EventSeriesFactory,
    SessionFactory,
    TargetGroupFactory,
    TimeSlotFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TOWNS = ["Delitzsch", "Eilenburg", "Oschatz", "Schkeuditz", "Torgau"]


@pytest.fixture
def site():
    """The next Rückkehrertag at five sites (one cancelled), and a fair with slots."""
    start = timezone.now().replace(hour=9, minute=0, second=0, microsecond=0) + timedelta(days=30)
    returnees = TargetGroupFactory(slug="rueckkehrer", name_de="Rückkehrer", name_en="Returnees")
    series = EventSeriesFactory(
        slug="rueckkehrertag",
        title_de="Nordsächsischer Rückkehrertag",
        title_en="North Saxony returnee day",
        description_de="Fünf Standorte, ein Tag: Unternehmen stellen sich vor.",
        description_en="Five sites, one day: companies present themselves.",
    )
    for town in TOWNS:
        event = EventFactory(
            organisation=series.organisation,
            series=series,
            kind=Event.Kind.RETURNEE_DAY,
            slug=f"rueckkehrertag-{town.lower()}",
            title_de=f"Rückkehrertag {town}",
            title_en=f"Returnee day {town}",
            venue__town=town,
            venue__name=f"Rathaus {town}",
            venue__latitude=51.5,
            venue__longitude=12.3,
            starts_at=start,
            ends_at=start + timedelta(hours=2),
            walk_ins_allowed=True,
            registration_required=False,
            status=Event.Status.CANCELLED if town == "Schkeuditz" else Event.Status.PUBLISHED,
        )
        event.target_groups.add(returnees)
    fair = EventFactory(
        kind=Event.Kind.APPRENTICESHIP_FAIR,
        slug="ausbildungsmesse-oschatz",
        title_de="Ausbildungsmesse Oschatz",
        title_en="Apprenticeship fair Oschatz",
        description_de="Schulklassen melden sich für ein Zeitfenster an.",
        venue__town="Oschatz",
        starts_at=start + timedelta(days=3),
        ends_at=start + timedelta(days=3, hours=5),
        capacity=800,
        registration_opens_at=timezone.now() - timedelta(days=1),
        registration_closes_at=start + timedelta(days=2),
    )
    TimeSlotFactory(event=fair, label="Klassen 7 und 8", capacity=120)
    SessionFactory(event=fair, title_de="Pflege zum Ausprobieren", title_en="Try out care")
    return {"series": series, "fair": fair}


PAGES = [
    ("home", "/", "Veranstaltungen für Fachkräfte in Sachsen"),
    ("listing", "/veranstaltungen/?town=Oschatz&kind=returnee_day", "Kalender"),
    ("listing-bad", "/veranstaltungen/?date_from=morgen&kind=rave", "Kalender"),
    ("event", "/veranstaltungen/ausbildungsmesse-oschatz/", "Ausbildungsmesse Oschatz"),
    ("cancelled", "/veranstaltungen/rueckkehrertag-schkeuditz/", "Rückkehrertag Schkeuditz"),
    ("series", "/reihen/rueckkehrertag/", "Nordsächsischer Rückkehrertag"),
    ("login", "/login/", "Anmelden"),
    ("not-found", "/gibt-es-nicht/", "Seite nicht gefunden"),
]
ENGLISH_HEADINGS = {
    "home": "Events for skilled workers in Saxony",
    "listing": "Calendar",
    "listing-bad": "Calendar",
    "event": "Apprenticeship fair Oschatz",
    "cancelled": "Returnee day Schkeuditz",
    "series": "North Saxony returnee day",
    "login": "Log in",
    "not-found": "Page not found",
}


@pytest.mark.parametrize(("name", "path", "heading"), PAGES, ids=[p[0] for p in PAGES])
def test_page_is_accessible_in_german_and_english(page, axe, site, name, path, heading):
    page.goto(path)
    expect(page.locator("html")).to_have_attribute("lang", "de")
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    axe(page)
    page.goto("/en" + path)
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text(ENGLISH_HEADINGS[name])
    axe(page)


def test_pages_fit_a_small_phone_without_sideways_scrolling(page, site):
    page.set_viewport_size({"width": 320, "height": 640})
    for path in ["/", "/veranstaltungen/", "/reihen/rueckkehrertag/"]:
        page.goto(path)
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px at 320px"


def test_series_page_shows_the_sites_side_by_side_on_a_wide_screen(page, site):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto("/reihen/rueckkehrertag/")
    cards = page.locator(".site-card")
    expect(cards).to_have_count(5)
    tops = {round(cards.nth(i).bounding_box()["y"]) for i in range(5)}
    assert len(tops) == 1, "the five sites should stand in one row"
    expect(page.locator(".site-card", has_text="Schkeuditz")).to_contain_text("Abgesagt")


def test_keyboard_skip_link_then_navigation(page, site):
    page.goto("/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Zum Inhalt springen")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"#main$"))
    page.goto("/")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")  # the brand, back to the home page
    page.keyboard.press("Tab")
    calendar = page.get_by_role("navigation", name="Hauptnavigation").get_by_role(
        "link", name="Kalender"
    )
    expect(calendar).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Kalender")


def test_keyboard_language_switch_keeps_the_page(page, site):
    page.goto("/veranstaltungen/?town=Torgau")
    button = page.get_by_role("button", name="English")
    for _ in range(10):
        page.keyboard.press("Tab")
        if button.evaluate("el => el === document.activeElement"):
            break
    expect(button).to_be_focused()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/en/veranstaltungen/\?town=Torgau$"))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("link", name="Returnee day Torgau")).to_be_visible()
    german = page.get_by_role("button", name="Deutsch")
    german.focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/veranstaltungen/\?town=Torgau$"))
    expect(page.locator("html")).to_have_attribute("lang", "de")


def test_keyboard_filter_form(page, site):
    page.goto("/veranstaltungen/")
    page.get_by_label("Ort").focus()
    page.keyboard.press("End")  # the last town in the list: Torgau
    expect(page.get_by_label("Ort")).to_have_value("Torgau")
    page.keyboard.press("Tab")
    expect(page.get_by_label("Art der Veranstaltung")).to_be_focused()
    page.get_by_label("Suche").focus()
    page.keyboard.type("Rückkehrertag")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"town=Torgau"))
    results = page.locator(".results")
    expect(results.get_by_role("link", name="Rückkehrertag Torgau")).to_be_visible()
    expect(results.get_by_role("link", name="Rückkehrertag Oschatz")).to_have_count(0)
    # The submit button works from the keyboard too.
    page.get_by_label("Suche").fill("Ausbildungsmesse")
    page.get_by_label("Ort").select_option("")
    page.get_by_role("button", name="Veranstaltungen anzeigen").focus()
    page.keyboard.press("Enter")
    expect(results.get_by_role("link", name="Ausbildungsmesse Oschatz")).to_be_visible()


def test_bad_filter_shows_message_and_links_to_the_field(page, site):
    page.goto("/veranstaltungen/?kind=rave")
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("Diese Art von Veranstaltung gibt es nicht.")
    alert.get_by_role("link").first.click()
    expect(page.get_by_label("Art der Veranstaltung")).to_be_focused()


def test_event_page_offers_calendar_file_and_map(page, site):
    page.goto("/veranstaltungen/ausbildungsmesse-oschatz/")
    expect(page.get_by_role("link", name="In den Kalender eintragen (.ics)")).to_have_attribute(
        "href", "/kalender/veranstaltung/ausbildungsmesse-oschatz.ics"
    )
    expect(page.get_by_text("Die Anmeldung ist bis")).to_be_visible()
    expect(page.get_by_text("Klassen 7 und 8")).to_be_visible()
    page.goto("/veranstaltungen/rueckkehrertag-torgau/")
    expect(page.get_by_role("link", name=re.compile("Auf OpenStreetMap zeigen"))).to_be_visible()
    expect(page.get_by_text("Ohne Anmeldung willkommen").first).to_be_visible()


def test_dark_mode_keeps_contrast(page, axe, site):
    # KERN follows the system's dark mode; the site's own styles use its colour tokens.
    page.emulate_media(color_scheme="dark")
    for path in ["/", "/veranstaltungen/?kind=rave", "/reihen/rueckkehrertag/"]:
        page.goto(path)
        axe(page)
