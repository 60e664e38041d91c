"""The hall editor in Chromium: an organiser chooses a stand with Tab and Enter, moves it with
the arrow keys, widens it with Shift and the arrow keys, takes the last change back, saves
the exact values with the form, and the fair's plan shows the stand where it was drawn;
axe clean, at desktop width and at 360 px (the plan scrolls inside its own box)."""

from decimal import Decimal
from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from fairs.models import Stand
from tests.factories import MembershipFactory
from tests.fairs.factories import HallFactory, StandFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots" / "workspace-plans"
PASSWORD = "correct horse battery staple"
D = Decimal


def _look(page, axe, name: str) -> None:
    """A screenshot to look through; axe clean; nothing wider than the window."""
    folder = SCREENSHOTS / f"{page.viewport_size['width']}px"
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / f"{name}.png"), full_page=True)
    axe(page)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), name


def _world():
    hall = HallFactory(name="Sporthalle", width_m=D("30"), depth_m=D("15"))
    membership = MembershipFactory(
        organisation=hall.fair.event.organisation, user__username="orga-plan"
    )
    membership.user.set_password(PASSWORD)
    membership.user.save()
    for label, x in (("A1", "0"), ("A2", "4"), ("A3", "12")):
        StandFactory(hall=hall, label=label, x_m=D(x), y_m=D("0"), width_m=D("3"), depth_m=D("3"))
    return hall


def _log_in(page) -> None:
    page.goto(reverse("login"))
    page.fill("#id_username", "orga-plan")
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.press("#id_password", "Enter")


def _stand(page, label: str):
    return page.locator("[data-stands] [data-stand-id]", has_text=label)


def _stand_at(label: str, **values) -> bool:
    stand = Stand.objects.get(label=label)
    return all(getattr(stand, name) == D(value) for name, value in values.items())


def _wait_for(condition, page) -> None:
    """Wait (without a fixed sleep) until the saved rows meet `condition`."""
    for _ in range(100):
        if condition():
            return
        page.wait_for_timeout(50)
    assert condition()


def test_organiser_moves_resizes_and_undoes_by_keyboard(page, axe):
    page.set_viewport_size({"width": 1366, "height": 900})
    hall = _world()
    _log_in(page)
    page.goto(reverse("workspace:plan-edit", args=[hall.pk]))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Sporthalle")
    _look(page, axe, "01-editor")

    # Tab to stand A1, choose it with Enter: the form shows its values.
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent.trim()") == "A1":
            break
    page.keyboard.press("Enter")
    expect(page.get_by_label("Bezeichnung")).to_have_value("A1")
    expect(page.locator("[data-plan-status]")).to_contain_text("A1")

    # Two steps right and one down: 1 m right, 0,5 m down, saved at once.
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowDown")
    _wait_for(lambda: _stand_at("A1", x_m="1", y_m="0.5"), page)
    expect(page.get_by_label("Von links (m)")).to_have_value("1.00")

    # Shift and the down arrow make it half a metre deeper; undo takes that back.
    page.keyboard.press("Shift+ArrowDown")
    _wait_for(lambda: _stand_at("A1", depth_m="3.5"), page)
    page.get_by_role("button", name="Rückgängig").focus()
    page.keyboard.press("Enter")
    _wait_for(lambda: _stand_at("A1", depth_m="3"), page)
    expect(page.locator("[data-plan-status]")).to_contain_text("zurückgenommen")

    # A1 ends at 4 m, where A2 begins: one more step right is refused next to the form,
    # and the stand stays where it was.
    _stand(page, "A1").focus()
    page.keyboard.press("ArrowRight")
    expect(page.get_by_role("alert")).to_contain_text("A2")
    _look(page, axe, "02-refused")
    assert _stand_at("A1", x_m="1", y_m="0.5")

    # Exact values in the form, saved by keyboard.
    page.get_by_label("Von links (m)").fill("20")
    page.get_by_label("Von oben (m)").fill("10")
    page.get_by_role("button", name="Stand speichern").focus()
    page.keyboard.press("Enter")
    _wait_for(lambda: _stand_at("A1", x_m="20", y_m="10"), page)
    _look(page, axe, "03-saved")

    # The fair's plan reads the same rows: A1 is drawn where it was put.
    page.goto(reverse("fairs:organiser-fair", args=[hall.fair.event.slug]))
    shape = page.locator('[data-stand="A1"] .stand-shape')
    expect(shape).to_have_attribute("x", "20.00")
    expect(shape).to_have_attribute("y", "10.00")


def test_the_editor_fits_a_phone(page, axe):
    page.set_viewport_size({"width": 360, "height": 800})
    hall = _world()
    _log_in(page)
    page.goto(reverse("workspace:plan-edit", args=[hall.pk]))
    _stand(page, "A3").click()
    expect(page.get_by_label("Bezeichnung")).to_have_value("A3")
    _look(page, axe, "01-editor")
