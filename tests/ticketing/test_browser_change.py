"""A teacher changes the class size and the arrival slot, a visitor the workshops, in
Chromium at phone and desktop width: the form, a refusal with the real numbers, the ticket."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from events_platform.models import Event
from tests.factories import EventFactory, SessionFactory, TimeSlotFactory
from ticketing import services
from ticketing.models import Registration

from .factories import FairFactory, person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots" / "registration-change"


def _look(page, axe, name: str) -> None:
    """Save a screenshot for a person to look through, and check the page as a user would:
    axe clean, nothing wider than the window."""
    folder = SCREENSHOTS / f"{page.viewport_size['width']}px"
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / f"{name}.png"), full_page=True)
    axe(page)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.parametrize("size", [(360, 800), (1366, 900)])
def test_teacher_changes_class_size_and_slot(page, axe, size):
    page.set_viewport_size({"width": size[0], "height": size[1]})
    fair = FairFactory(title_de="Ausbildungsmesse Oschatz")
    early = TimeSlotFactory(event=fair, capacity=150, label="9:00 bis 10:30 Uhr")
    late = TimeSlotFactory(
        event=fair,
        capacity=150,
        starts_at=early.starts_at + timedelta(hours=2),
        label="11:00 bis 12:30 Uhr",
    )
    now = timezone.now()
    ours = services.register(
        event=fair,
        data=person(
            1,
            name="Frau Lehmann",
            school="Oberschule Oschatz mit einem recht langen Namen",
            grade="9b",
            pupils=24,
            adults=2,
            time_slot_id=early.pk,
        ),
        now=now,
    )
    services.register(
        event=fair,
        data=person(
            2, school="Gymnasium Torgau", grade="10", pupils=24, adults=2, time_slot_id=late.pk
        ),
        now=now,
    )

    page.goto(f"/tickets/ticket/{ours.manage_token}/")
    page.get_by_role("link", name="Klassengröße oder Zeitfenster ändern").click()
    page.get_by_role("heading", name="Anmeldung ändern").wait_for()
    _look(page, axe, "01-change-form")

    page.fill("input[name=pupils]", "140")
    page.fill("input[name=adults]", "5")
    page.get_by_label("11:00 bis 12:30 Uhr", exact=False).check()
    page.get_by_role("button", name="Änderungen speichern").click()
    summary = page.locator("[data-error-summary]")
    summary.wait_for()
    numbers = "In diesem Zeitfenster sind nur noch 124 Plätze frei. Ihre Klasse hat 145 Personen."
    assert numbers in summary.inner_text()
    assert numbers in page.locator("#id_time_slot_error").inner_text()
    # Nothing typed is lost.
    assert page.input_value("input[name=pupils]") == "140"
    assert page.input_value("input[name=adults]") == "5"
    assert page.locator(f"input[name=time_slot][value='{late.pk}']").is_checked()
    _look(page, axe, "02-does-not-fit")
    ours.refresh_from_db()
    assert (ours.time_slot, ours.headcount) == (early, 26)

    page.fill("input[name=pupils]", "20")
    page.fill("input[name=adults]", "2")
    page.get_by_role("button", name="Änderungen speichern").click()
    page.get_by_text("Ihre Anmeldung wurde geändert.").wait_for()
    assert "Ihr Gruppenticket gilt für 22 Personen." in page.content()
    assert "20 Schülerinnen und Schüler" in page.content()
    _look(page, axe, "03-changed")
    ours.refresh_from_db()
    assert (ours.time_slot, ours.headcount) == (late, 22)


def test_visitor_changes_workshops_on_a_phone(page, axe):
    page.set_viewport_size({"width": 360, "height": 800})
    conference = EventFactory(kind=Event.Kind.CONFERENCE, title_de="Fachtag Fachkräfte")
    full = SessionFactory(event=conference, capacity=1, title_de="Pflege auf dem Land")
    free = SessionFactory(
        event=conference,
        capacity=20,
        title_de="Internationale Fachkräfte einarbeiten",
        starts_at=full.starts_at,
    )
    now = timezone.now()
    services.register(event=conference, data=person(1, session_ids=[full.pk]), now=now)
    ours = services.register(
        event=conference, data=person(2, name="Jonas Weber", session_ids=[free.pk]), now=now
    )

    page.goto(f"/tickets/ticket/{ours.manage_token}/")
    page.get_by_role("link", name="Workshops ändern").click()
    page.get_by_role("heading", name="Anmeldung ändern").wait_for()
    _look(page, axe, "10-workshop-form")
    page.get_by_label("Internationale Fachkräfte einarbeiten", exact=False).uncheck()
    page.get_by_label("Pflege auf dem Land", exact=False).check()
    page.get_by_role("button", name="Änderungen speichern").click()
    page.locator("[data-error-summary]").wait_for()
    assert "Der Workshop „Pflege auf dem Land“ ist ausgebucht." in page.content()
    _look(page, axe, "11-workshop-full")

    page.get_by_label("Pflege auf dem Land", exact=False).uncheck()
    page.get_by_role("button", name="Änderungen speichern").click()
    page.get_by_text("Ihre Anmeldung wurde geändert.").wait_for()
    _look(page, axe, "12-workshop-changed")
    assert Registration.objects.get(pk=ours.pk).sessions.count() == 0
