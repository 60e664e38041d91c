"""An organiser creates a camp and an apprenticeship fair in the workspace with the keyboard,
in Chromium at phone and desktop width: a refused first try with its summary, the saved
draft, its preview with the banner, publishing; axe clean, nothing wider than the window."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from events_platform.models import Event
from tests.factories import EventFactory, MembershipFactory, VenueFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots" / "workspace-events"
PASSWORD = "correct horse battery staple"
VENUE = "Naturschutzstation, Eilenburg"


def _look(page, axe, name: str) -> None:
    """Save a screenshot for a person to look through, and check the page as a user would:
    axe clean, nothing wider than the window."""
    folder = SCREENSHOTS / f"{page.viewport_size['width']}px"
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / f"{name}.png"), full_page=True)
    axe(page)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), name


def _type(page, label: str, text: str) -> None:
    """Focus the field named `label` and type into it key by key."""
    page.get_by_label(label, exact=True).focus()
    page.keyboard.press("Control+A")
    page.keyboard.type(text)


def _moment(days: int, hour: int) -> str:
    day = timezone.localdate() + timedelta(days=days)
    return f"{day:%Y-%m-%d}T{hour:02d}:00"


def _press_enter_on(page, locator) -> None:
    locator.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")


def _log_in(page) -> None:
    page.goto(reverse("login"))
    page.fill("#id_username", "orga-browser")
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.press("#id_password", "Enter")


@pytest.mark.parametrize("size", [(360, 800), (1366, 900)])
def test_organiser_creates_a_camp_and_a_fair_by_keyboard(page, axe, size):
    page.set_viewport_size({"width": size[0], "height": size[1]})
    membership = MembershipFactory(user__username="orga-browser")
    VenueFactory(
        organisation=membership.organisation,
        name="Naturschutzstation",
        town="Eilenburg",
        latitude="51.459900",
        longitude="12.633300",
    )
    _log_in(page)

    # The list, then the kind chooser, then the camp's own page.
    page.goto(reverse("workspace:event-list"))
    _look(page, axe, "01-list-empty")
    _press_enter_on(page, page.get_by_role("link", name="Veranstaltung anlegen"))
    _look(page, axe, "02-kinds")
    _press_enter_on(page, page.get_by_role("link", name="Camp"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Neue Veranstaltung: Camp")
    expect(page.get_by_label("Mindestalter")).to_be_visible()
    expect(page.get_by_label("Aufbau beginnt")).to_have_count(0)
    _look(page, axe, "03-camp-empty")

    # A first try without a title and with the end before the start is refused: the
    # summary takes the focus, and what was typed stays.
    _type(page, "Beschreibung (Deutsch)", "Fünf Tage Forschen, Bauen und Entdecken.")
    page.get_by_label("Ort auswählen", exact=True).select_option(label=VENUE)
    page.locator("#id_starts_at").fill(_moment(60, 9))
    page.locator("#id_ends_at").fill(_moment(59, 16))
    _press_enter_on(page, page.get_by_role("button", name="Entwurf anlegen"))
    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Das Ende darf nicht vor dem Beginn liegen.")
    expect(page.get_by_label("Beschreibung (Deutsch)")).to_have_value(
        "Fünf Tage Forschen, Bauen und Entdecken."
    )
    _look(page, axe, "04-camp-errors")

    _type(page, "Titel (Deutsch)", "NaWi-Camp Nordsachsen")
    page.locator("#id_ends_at").fill(_moment(64, 16))
    page.get_by_label("Jeden Tag dieselben Zeiten").focus()
    if not page.get_by_label("Jeden Tag dieselben Zeiten").is_checked():
        page.keyboard.press("Space")
    _type(page, "Kapazität (Personen)", "60")
    _type(page, "Mindestalter", "10")
    _type(page, "Höchstalter", "14")
    _type(page, "Erziehungsberechtigte bestätigen für Teilnehmende unter", "16")
    _type(page, "Medizinische Angaben und Notfallkontakte löschen nach (Tagen)", "3")
    _press_enter_on(page, page.get_by_role("button", name="Entwurf anlegen"))
    expect(page.get_by_text("Die Veranstaltung ist gespeichert.")).to_be_visible()
    expect(page.get_by_role("link", name="Naturschutzstation auf der Karte")).to_be_visible()
    _look(page, axe, "05-camp-saved")
    camp = Event.objects.get(title_de="NaWi-Camp Nordsachsen")
    assert camp.kind == "camp" and camp.status == Event.Status.DRAFT
    assert camp.has_daily_hours and (camp.min_age, camp.max_age, camp.capacity) == (10, 14, 60)
    assert camp.registration_settings.guardian_required_under == 16
    assert camp.registration_settings.medical_notes_retention_days == 3

    # The preview shows the public page with its banner; the draft stays a draft.
    _press_enter_on(page, page.get_by_role("link", name="Vorschau"))
    expect(page.get_by_role("status").filter(has_text="Vorschau")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("NaWi-Camp Nordsachsen")
    _look(page, axe, "06-camp-preview")
    _press_enter_on(page, page.get_by_role("link", name="Zurück zur Bearbeitung"))
    _press_enter_on(page, page.get_by_role("button", name="Veröffentlichen"))
    expect(page.get_by_text("Die Veranstaltung ist veröffentlicht.")).to_be_visible()
    camp.refresh_from_db()
    assert camp.status == Event.Status.PUBLISHED

    # The fair: fair settings and a time slot for school classes on its own page.
    page.goto(reverse("workspace:event-create", args=["apprenticeship_fair"]))
    expect(page.get_by_label("Mindestalter")).to_have_count(0)
    _type(page, "Titel (Deutsch)", "Ausbildungsmesse Eilenburg")
    page.get_by_label("Ort auswählen", exact=True).select_option(label=VENUE)
    page.locator("#id_starts_at").fill(_moment(70, 9))
    page.locator("#id_ends_at").fill(_moment(70, 13))
    page.get_by_label("Aufbau beginnt").fill(_moment(70, 7))
    page.get_by_label("Aufbau endet").fill(_moment(70, 8))
    page.get_by_label("Abbau beginnt").fill(_moment(70, 13))
    page.get_by_label("Abbau endet").fill(_moment(70, 15))
    _type(page, "Höchste Zahl der Aussteller", "74")
    slot = page.locator("#part-slots")
    slot.get_by_label("Bezeichnung").focus()
    page.keyboard.type("Ankunft 9 Uhr")
    slot.get_by_label("Beginn").fill(_moment(70, 9))
    slot.get_by_label("Ende").fill(_moment(70, 10))
    slot.get_by_label("Kapazität (Personen)").focus()
    page.keyboard.type("120")
    _look(page, axe, "07-fair-filled")
    _press_enter_on(page, page.get_by_role("button", name="Entwurf anlegen"))
    expect(page.get_by_text("Die Veranstaltung ist gespeichert.")).to_be_visible()
    _look(page, axe, "08-fair-saved")
    fair = Event.objects.get(title_de="Ausbildungsmesse Eilenburg")
    assert fair.kind == "apprenticeship_fair" and fair.fair.max_exhibitors == 74
    assert [(s.label, s.capacity) for s in fair.time_slots.all()] == [("Ankunft 9 Uhr", 120)]

    page.goto(reverse("workspace:event-list"))
    expect(page.get_by_role("link", name="NaWi-Camp Nordsachsen")).to_be_visible()
    _look(page, axe, "09-list")


@pytest.mark.parametrize("size", [(360, 800), (1366, 900)])
def test_organiser_runs_a_series_and_cancels_a_site_by_keyboard(page, axe, size):
    page.set_viewport_size({"width": size[0], "height": size[1]})
    membership = MembershipFactory(user__username="orga-browser")
    org = membership.organisation
    _log_in(page)

    # A new series, typed and sent with the keyboard; a first empty try is refused.
    page.goto(reverse("workspace:series-list"))
    _look(page, axe, "10-series-list")
    _press_enter_on(page, page.get_by_role("link", name="Reihe anlegen"))
    _look(page, axe, "11-series-new")
    _press_enter_on(page, page.get_by_role("button", name="Reihe anlegen"))
    expect(page.locator("[data-error-summary]")).to_be_focused()
    _type(page, "Titel (Deutsch)", "Rückkehrertag 2026")
    _press_enter_on(page, page.get_by_role("button", name="Reihe anlegen"))
    expect(page.get_by_text("Die Reihe ist angelegt.")).to_be_visible()
    series = org.series.get(title_de="Rückkehrertag 2026")

    # Its sites side by side with their numbers.
    for town in ("Delitzsch", "Torgau", "Oschatz", "Eilenburg", "Schkeuditz"):
        EventFactory(
            organisation=org,
            series=series,
            kind="returnee_day",
            title_de="Rückkehrertag 2026",
            venue=VenueFactory(organisation=org, town=town),
            capacity=300,
        )
    page.reload()
    expect(page.get_by_role("link", name="Rückkehrertag 2026, Schkeuditz")).to_be_visible()
    _look(page, axe, "12-series-sites")

    # Cancel one site: the page says who is told, the keyboard confirms.
    _press_enter_on(page, page.get_by_role("link", name="Rückkehrertag 2026, Torgau"))
    _press_enter_on(page, page.get_by_role("link", name="Veranstaltung absagen"))
    expect(page.get_by_role("heading", name="Wer benachrichtigt wird")).to_be_visible()
    _look(page, axe, "13-cancel-confirm")
    _type(page, "Grund (freiwillig, steht in der E-Mail)", "Der Saal ist gesperrt.")
    _press_enter_on(page, page.get_by_role("button", name="Ja, Veranstaltung absagen"))
    expect(page.get_by_text("Die Veranstaltung ist abgesagt.")).to_be_visible()
    _look(page, axe, "14-cancelled")
    torgau = Event.objects.get(series=series, venue__town="Torgau")
    assert torgau.status == Event.Status.CANCELLED
    assert Event.objects.filter(series=series, status=Event.Status.PUBLISHED).count() == 4
