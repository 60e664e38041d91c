"""Company accounts: sign-up with e-mail confirmation, invitations, profile and logo."""

import io
import struct
import zlib
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from fairs import services
from fairs.images import clean_logo
from fairs.models import Company, CompanyMember
from infra.errors import DomainError
from tests.factories import OrganisationFactory

from .factories import CompanyFactory, CompanyMemberFactory

pytestmark = pytest.mark.django_db


def _path(url: str) -> str:
    return urlsplit(url).path


def test_signup_page_sends_a_confirmation_link_that_works(client, sent):
    response = client.post(
        reverse("fairs:company-signup"),
        {
            "name": "Mühle Sörnewitz GmbH",
            "sector": "agriculture_food",
            "contact_name": "Jana Groß",
            "email": "Jana.Gross@muehle.example",
            "password1": "Sehr-geheim-2026",
            "password2": "Sehr-geheim-2026",
        },
    )
    assert response.status_code == 302
    company = Company.objects.get(name="Mühle Sörnewitz GmbH")
    assert company.email_confirmed_at is None
    [signal] = sent["company_email_confirmation_requested"]
    assert signal["company"] == company
    assert signal["user"].email == "jana.gross@muehle.example"
    assert CompanyMember.objects.get(company=company).role == "admin"
    page = client.get(_path(signal["confirm_url"]))
    assert page.status_code == 200
    assert "bestätigt" in page.content.decode()
    company.refresh_from_db()
    assert company.email_confirmed_at is not None


def test_a_forged_or_expired_link_is_refused(client, monkeypatch):
    member = CompanyMemberFactory(company__email_confirmed_at=None)
    url = services.request_company_email_confirmation(company=member.company, user=member.user)
    forged = client.get(_path(url)[:-3] + "abc/")
    assert forged.status_code == 400
    monkeypatch.setattr(services.companies, "CONFIRM_MAX_AGE", -1)
    with pytest.raises(DomainError) as error:
        services.confirm_company_email(token=url.rstrip("/").rsplit("/", 1)[1], now=timezone.now())
    assert error.value.code == "token_expired"


def test_signup_with_a_known_address_is_refused():
    CompanyMemberFactory(user__email="hr@firma.example")
    with pytest.raises(DomainError) as error:
        services.sign_up_company(
            name="X",
            sector="crafts",
            email="HR@firma.example",
            password="Sehr-geheim-2026",
            contact_name="X",
            now=timezone.now(),
        )
    assert error.value.code == "email_taken"


def test_admin_invites_a_colleague_who_joins_by_link(client, sent):
    admin = CompanyMemberFactory()
    client.force_login(admin.user)
    response = client.post(
        reverse("fairs:company-members"), {"email": "kollege@firma.example", "role": "member"}
    )
    assert response.status_code == 302
    [signal] = sent["company_member_invited"]
    assert signal["company"] == admin.company
    assert signal["email"] == "kollege@firma.example"
    client.logout()
    page = client.get(_path(signal["invite_url"]))
    assert admin.company.name in page.content.decode()
    client.post(
        _path(signal["invite_url"]),
        {"password1": "Auch-geheim-2026", "password2": "Auch-geheim-2026"},
    )
    joined = CompanyMember.objects.get(user__email="kollege@firma.example")
    assert joined.company == admin.company
    assert joined.role == "member"
    # a member (not admin) cannot invite
    with pytest.raises(DomainError) as error:
        services.invite_company_member(by=joined, email="x@y.example", now=timezone.now())
    assert error.value.code == "not_company_admin"


def test_an_invitation_for_someone_else_is_refused():
    admin = CompanyMemberFactory()
    url = services.invite_company_member(by=admin, email="a@firma.example", now=timezone.now())
    other = get_user_model().objects.create_user("b", email="b@firma.example", password="x")
    with pytest.raises(DomainError) as error:
        services.accept_company_invitation(
            token=url.rstrip("/").rsplit("/", 1)[1], user=other, now=timezone.now()
        )
    assert error.value.code == "wrong_email"


def _jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (40, 30), "red")
    exif = Image.Exif()
    exif[0x010F] = "Kamera GmbH"  # Make
    exif[0x8825] = {1: "N", 2: (51.0, 30.0, 0.0)}  # GPS info
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif)
    return buffer.getvalue()


def test_logo_is_reencoded_without_exif_under_a_random_name():
    data = _jpeg_with_gps()
    assert Image.open(io.BytesIO(data)).getexif()
    cleaned = clean_logo(data)
    assert cleaned.name.endswith(".jpg") and len(cleaned.name) == 36
    result = Image.open(io.BytesIO(cleaned.read()))
    assert result.format == "JPEG" and result.size == (40, 30)
    assert not result.getexif()


def test_svg_and_bombs_are_refused_with_a_clear_message():
    with pytest.raises(DomainError) as error:
        clean_logo(b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"></svg>')
    assert error.value.code == "logo_svg_refused"
    assert "SVG" in str(error.value.message)

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    # A PNG header that claims 20000 x 20000 pixels: refused before any pixel is decoded.
    bomb = b"\x89PNG\r\n\x1a\n" + chunk(
        b"IHDR", struct.pack(">IIBBBBB", 20000, 20000, 8, 2, 0, 0, 0)
    )
    with pytest.raises(DomainError) as error:
        clean_logo(bomb + chunk(b"IEND", b""))
    assert error.value.code == "logo_too_many_pixels"
    with pytest.raises(DomainError) as error:
        clean_logo(b"GIF89a" + b"\0" * 100)
    assert error.value.code == "logo_bad_format"
    with pytest.raises(DomainError) as error:
        clean_logo(b"\0" * (2 * 1024 * 1024 + 1))
    assert error.value.code == "logo_too_large"


def test_profile_page_uploads_logo_and_serves_it_as_an_image(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    member = CompanyMemberFactory(company__name="Landbäckerei Mocker")
    client.force_login(member.user)
    buffer = io.BytesIO()
    Image.new("RGBA", (20, 20), (0, 128, 0, 255)).save(buffer, format="PNG")
    buffer.seek(0)
    buffer.name = "logo.png"
    data = {
        "name": "Landbäckerei Mocker",
        "sector": "agriculture_food",
        "contact_email": "info@mocker.example",
        "description_de": "Brot aus der Region.",
        "language": "de",
        "logo_upload": buffer,
    }
    response = client.post(reverse("fairs:company-profile"), data)
    assert response.status_code == 302
    member.company.refresh_from_db()
    assert member.company.logo.name.endswith(".png")
    logo = client.get(reverse("fairs:company-logo", args=[member.company.slug]))
    assert logo["Content-Type"] == "image/png"
    assert logo["X-Content-Type-Options"] == "nosniff"

    svg = io.BytesIO(b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>")
    svg.name = "logo.svg"
    page = client.post(reverse("fairs:company-profile"), data | {"logo_upload": svg})
    assert page.status_code == 200
    assert "SVG-Logos werden nicht angenommen" in page.content.decode()


def test_organiser_verifies_a_company_only_after_email_confirmation():
    company = CompanyFactory(email_confirmed_at=None)
    user = get_user_model().objects.create_user("orga", password="x")
    with pytest.raises(DomainError) as error:
        services.verify_company(
            company=company, organisation=OrganisationFactory(), by=user, now=timezone.now()
        )
    assert error.value.code == "email_not_confirmed"
