"""A hall's background image in the plan editor: uploaded, checked and re-encoded as PNG by
the logo rules (a PDF plan as the image of its first page), refused with the reason next to
the field (too large, not an image, a damaged PDF), removed again; drawn under the stands on
the editor's and the booking page's plan; served only for published events or to the organisers."""

import io
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from events_platform.models import AuditEntry, Event
from fairs.images import MAX_BACKGROUND_BYTES
from tests.factories import MembershipFactory, OrganisationFactory
from tests.fairs.factories import CompanyMemberFactory, HallFactory, StandFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return Path(settings.MEDIA_ROOT)


@pytest.fixture
def hall():
    return HallFactory(width_m=Decimal("20"), depth_m=Decimal("10"))


@pytest.fixture
def organiser(hall):
    return MembershipFactory(organisation=hall.fair.event.organisation).user


def _jpeg() -> bytes:
    image = Image.new("RGB", (200, 100), (180, 200, 220))
    exif = Image.Exif()
    exif[0x010F] = "Kamera GmbH"
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif)
    return buffer.getvalue()


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (200, 100), (10, 120, 40)).save(buffer, format="PNG", compress_level=0)
    return buffer.getvalue()


def _upload(client, hall, name, data, content_type="image/png"):
    return client.post(
        reverse("workspace:plan-edit", args=[hall.pk]),
        {"action": "background", "background": SimpleUploadedFile(name, data, content_type)},
    )


def _field_error(html: str) -> str:
    return html.split('id="id_background_error"')[1].split("</p>")[0]


def test_an_uploaded_png_is_re_encoded_stored_and_drawn_under_the_stands(
    client, hall, organiser, media
):
    StandFactory(hall=hall, label="A1")
    client.force_login(organiser)
    original = _png()

    answer = _upload(client, hall, "halle.png", original)

    assert answer.status_code == 302
    hall.refresh_from_db()
    stored = (media / hall.background.name).read_bytes()
    assert stored != original
    assert Image.open(io.BytesIO(stored)).format == "PNG"
    assert hall.background.name.endswith(".png") and "halle" not in hall.background.name
    assert AuditEntry.objects.filter(action="hall_background_set").exists()
    page = client.get(answer["Location"]).content.decode()
    assert "Das Hintergrundbild wurde gespeichert." in page
    svg = page.split("<svg")[1].split("</svg>")[0]
    image = svg.split("<image")[1].split("</image>")[0]
    assert reverse("fairs:hall-background", args=[hall.pk]) in image
    assert 'aria-hidden="true"' in image and 'width="20.00"' in image and 'height="10.00"' in image
    # Under the stands: the image comes before the first stand in the drawing order.
    assert svg.index("<image") < svg.index('data-stand-id="')
    served = client.get(reverse("fairs:hall-background", args=[hall.pk]))
    assert served["Content-Type"] == "image/png"
    assert served["X-Content-Type-Options"] == "nosniff"
    assert b"".join(served.streaming_content) == stored


def test_a_jpeg_loses_its_metadata_and_becomes_a_png(client, hall, organiser, media):
    client.force_login(organiser)

    _upload(client, hall, "foto.jpg", _jpeg(), "image/jpeg")

    hall.refresh_from_db()
    stored = Image.open(media / hall.background.name)
    assert stored.format == "PNG"
    assert not stored.getexif() and "exif" not in stored.info


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("gross.png", b"\x89PNG" + b"0" * MAX_BACKGROUND_BYTES, "höchstens 8 MB"),
        ("kaputt.png", b"\x89PNG\r\n\x1a\n" + b"kein Bild", "Bitte laden Sie ein PNG- oder JPEG"),
        ("seite.html", b"<html><script>alert(1)</script></html>", "PNG- oder JPEG-Bild"),
    ],
)
def test_a_too_large_or_broken_file_is_refused_next_to_the_field(
    client, hall, organiser, media, name, data, message
):
    client.force_login(organiser)

    answer = _upload(client, hall, name, data)

    assert answer.status_code == 400
    assert message in _field_error(answer.content.decode())
    hall.refresh_from_db()
    assert not hall.background
    assert not media.exists() or not any(path.is_file() for path in media.rglob("*"))


def _pdf_plan() -> bytes:
    """A one-page A4 landscape PDF: white, with a black block in the top left quarter and an
    (inert) JavaScript open action, as a hall plan exported from a drawing program might carry."""
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.pdfgen import canvas

    output = io.BytesIO()
    page = canvas.Canvas(output, pagesize=landscape(A4))
    width, height = landscape(A4)
    page.setFillColorRGB(0, 0, 0)
    page.rect(0, height / 2, width / 2, height / 2, stroke=0, fill=1)
    page.setFont("Helvetica", 12)
    page.drawString(width * 0.6, height * 0.2, "Halle 1")
    page.showPage()
    page.save()
    return output.getvalue().replace(
        b"/Type /Catalog", b"/Type /Catalog /OpenAction << /S /JavaScript /JS (app.alert(1)) >>", 1
    )


def test_a_pdf_plan_is_shown_as_the_image_of_its_first_page(client, hall, organiser, media):
    client.force_login(organiser)

    answer = _upload(client, hall, "plan.pdf", _pdf_plan(), "application/pdf")

    assert answer.status_code == 302, answer.content.decode()[:500]
    hall.refresh_from_db()
    stored = Path(hall.background.path).read_bytes()
    assert stored.startswith(b"\x89PNG"), "a PDF is kept only as the PNG of its first page"
    assert b"JavaScript" not in stored
    with Image.open(io.BytesIO(stored)) as image:
        assert max(image.size) == 2400 and image.width > image.height  # landscape, drawn large
        rgb = image.convert("RGB")
        assert rgb.getpixel((image.width // 4, image.height // 4)) == (0, 0, 0)  # the block
        assert rgb.getpixel((image.width * 3 // 4, image.height // 4)) == (255, 255, 255)


def test_a_damaged_pdf_is_refused_with_the_reason_next_to_the_field(client, hall, organiser):
    client.force_login(organiser)
    pdf = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"

    answer = _upload(client, hall, "plan.pdf", pdf, "application/pdf")

    assert answer.status_code == 400
    error = _field_error(answer.content.decode())
    assert "Die PDF-Datei konnte nicht gelesen werden." in error
    hall.refresh_from_db()
    assert not hall.background


def test_remove_takes_the_image_away_and_deletes_the_file(
    client, hall, organiser, media, django_capture_on_commit_callbacks
):
    client.force_login(organiser)
    _upload(client, hall, "halle.png", _png())
    hall.refresh_from_db()
    stored = media / hall.background.name
    url = reverse("workspace:plan-edit", args=[hall.pk])
    assert "Bild entfernen" in client.get(url).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(url, {"action": "background-remove"})

    assert answer.status_code == 302
    hall.refresh_from_db()
    assert not hall.background
    page = client.get(url).content.decode()
    assert "<image" not in page and "Bild entfernen" not in page
    assert client.get(reverse("fairs:hall-background", args=[hall.pk])).status_code == 404
    assert AuditEntry.objects.filter(action="hall_background_remove").exists()
    assert not stored.exists()


def test_the_booking_page_plan_shows_the_background(client, hall, organiser):
    StandFactory(hall=hall, label="A1")
    client.force_login(organiser)
    _upload(client, hall, "halle.png", _png())
    client.force_login(CompanyMemberFactory().user)

    page = client.get(reverse("fairs:stand-book", args=[hall.fair.event.slug])).content.decode()

    svg = page.split('class="plan-svg"')[1].split("</svg>")[0]
    assert reverse("fairs:hall-background", args=[hall.pk]) in svg
    assert svg.index("<image") < svg.index('data-stand-id="')
    assert client.get(reverse("fairs:hall-background", args=[hall.pk])).status_code == 200


def test_a_draft_events_background_is_only_for_its_organisers(client, hall, organiser):
    client.force_login(organiser)
    _upload(client, hall, "halle.png", _png())
    Event.objects.filter(pk=hall.fair.event.pk).update(status=Event.Status.DRAFT)
    url = reverse("fairs:hall-background", args=[hall.pk])

    assert client.get(url).status_code == 200
    client.force_login(MembershipFactory(organisation=OrganisationFactory()).user)
    assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 404


def test_a_second_organisation_cannot_upload_or_remove(client, hall, organiser):
    client.force_login(organiser)
    _upload(client, hall, "halle.png", _png())
    hall.refresh_from_db()
    kept = hall.background.name
    client.force_login(MembershipFactory(organisation=OrganisationFactory()).user)

    assert _upload(client, hall, "fremd.png", _png()).status_code == 404
    removed = client.post(
        reverse("workspace:plan-edit", args=[hall.pk]), {"action": "background-remove"}
    )

    assert removed.status_code == 404
    hall.refresh_from_db()
    assert hall.background.name == kept


def test_removing_the_image_of_a_copied_hall_keeps_the_file_for_the_other_edition(
    client, hall, organiser, media, django_capture_on_commit_callbacks
):
    client.force_login(organiser)
    _upload(client, hall, "halle.png", _png())
    hall.refresh_from_db()
    copy = HallFactory(fair__event__organisation=hall.fair.event.organisation)
    copy.background = hall.background.name  # what copy_row does for next year's edition
    copy.save()

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("workspace:plan-edit", args=[copy.pk]), {"action": "background-remove"})

    assert (media / hall.background.name).exists()
    served = client.get(reverse("fairs:hall-background", args=[hall.pk]))
    assert served.status_code == 200
