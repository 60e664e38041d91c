"""The hall's background image in Chromium: the organiser picks a file, sends the form by
keyboard, sees the image faintly under the stands (axe clean, no overflow at 360 px and at
1366 px), a broken file is refused next to the field, and the image is removed again."""

import io

import pytest
from django.urls import reverse
from PIL import Image
from playwright.sync_api import expect

from tests.workspace.test_browser_plans import _log_in, _look, _world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _png() -> bytes:
    buffer = io.BytesIO()
    image = Image.new("RGB", (300, 150), (235, 235, 235))
    for x in range(0, 300, 20):
        for y in range(150):
            image.putpixel((x, y), (40, 40, 40))
    image.save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.mark.parametrize("width", [360, 1366])
def test_organiser_uploads_sees_and_removes_the_background(page, axe, settings, tmp_path, width):
    settings.MEDIA_ROOT = tmp_path / "media"
    page.set_viewport_size({"width": width, "height": 900})
    hall = _world()
    _log_in(page)
    page.goto(reverse("workspace:plan-edit", args=[hall.pk]))
    field = page.get_by_label("Hintergrundbild der Halle")
    expect(field).to_have_attribute("aria-describedby", "id_background_helptext")

    field.set_input_files({"name": "kaputt.png", "mimeType": "image/png", "buffer": b"kein Bild"})
    upload = page.get_by_role("button", name="Bild hochladen")
    upload.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator("#id_background_error")).to_contain_text("PNG- oder JPEG-Bild")
    _look(page, axe, f"10-background-refused-{width}")

    page.get_by_label("Hintergrundbild der Halle").set_input_files(
        {"name": "halle.png", "mimeType": "image/png", "buffer": _png()}
    )
    page.get_by_role("button", name="Bild hochladen").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.get_by_text("Das Hintergrundbild wurde gespeichert.")).to_be_visible()
    image = page.locator("[data-plan-svg] image[data-plan-background]")
    expect(image).to_have_attribute("aria-hidden", "true")
    # The browser loaded it: it has a size on screen, under the stands.
    page.wait_for_function(
        "() => document.querySelector('[data-plan-background]').getBoundingClientRect().width > 0"
    )
    _look(page, axe, f"11-background-{width}")

    page.get_by_role("button", name="Bild entfernen").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.get_by_text("Das Hintergrundbild wurde entfernt.")).to_be_visible()
    expect(page.locator("[data-plan-background]")).to_have_count(0)
