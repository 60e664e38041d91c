"""Uploads: malicious company logos are refused or neutralised, and an uploaded file is never
served as a page, neither by Django (the logo view, /media/ in development) nor by Caddy
(docker/Caddyfile, run for real on loopback)."""

import http.client
import io
import json
import os
import re
import struct
import subprocess
import sys
import time
import urllib.error
import urllib.request
import zlib
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image
from rest_framework.test import APIClient

from fairs.images import MAX_LOGO_BYTES, clean_background, clean_logo
from infra.errors import DomainError
from tests.conftest import ROOT, free_port
from tests.fairs.factories import CompanyMemberFactory
from tests.processes import first_answer

BIN = Path(sys.executable).parent


def _png_chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def _png(size=(24, 24), color=(0, 100, 0)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, format="PNG")
    return buffer.getvalue()


def _jpeg_with_gps(**save) -> bytes:
    image = Image.new("RGB", (40, 30), (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "Kamera GmbH"  # make
    exif[0x8825] = {1: "N", 2: (51.0, 30.0, 12.0), 3: "E", 4: (13.0, 0.0, 5.0)}  # GPS
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif, **save)
    return buffer.getvalue()


HTML = b"<html><body><script>alert(document.cookie)</script></body></html>"


def _profile_data(name: str) -> dict:
    return {
        "name": name,
        "sector": "agriculture_food",
        "contact_email": "info@firma.example",
        "description_de": "Aus der Region.",
        "language": "de",
    }


@pytest.fixture
def company_client(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    member = CompanyMemberFactory(company__name="Landbäckerei Mocker")
    client.force_login(member.user)
    client.member = member
    return client


def _upload(client, name: str, content: bytes):
    upload = SimpleUploadedFile(name, content, content_type="image/png")
    return client.post(
        reverse("fairs:company-profile"),
        _profile_data(client.member.company.name) | {"logo_upload": upload},
    )


def _stored_files(root: Path) -> list[Path]:
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


# --- What is refused, and what the company is told --------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "logo.svg",
            b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)">'
            b"<script>alert(1)</script></svg>",
            "SVG-Logos werden nicht angenommen",
        ),
        # An SVG behind a long comment, named .png: Pillow does not know it either.
        (
            "logo.png",
            b"<!--" + b" " * 2000 + b"--><svg xmlns='http://www.w3.org/2000/svg'><script/></svg>",
            "Bitte laden Sie ein PNG-, JPEG- oder WebP-Bild hoch.",
        ),
        # A GIF that is also JavaScript (GIFAR-style polyglot): GIF is not a logo format.
        (
            "logo.gif",
            b"GIF89a/*\x01\x00\x01\x00\x00\x00\x00;*/=1;alert(1)//" + b"\x00" * 32,
            "Bitte laden Sie ein PNG-, JPEG- oder WebP-Bild hoch.",
        ),
        # HTML named .png (wrong extension for the content).
        ("logo.png", HTML, "Bitte laden Sie ein PNG-, JPEG- oder WebP-Bild hoch."),
        # 20000 × 20000 pixels in a few hundred bytes: refused before decoding.
        (
            "bomb.png",
            b"\x89PNG\r\n\x1a\n"
            + _png_chunk(b"IHDR", struct.pack(">IIBBBBB", 20000, 20000, 8, 2, 0, 0, 0))
            + _png_chunk(b"IDAT", zlib.compress(b"\x00" * 60000))
            + _png_chunk(b"IEND", b""),
            "höchstens 25 Megapixel",
        ),
        ("huge.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * MAX_LOGO_BYTES, "höchstens 2 MB"),
        # A truncated image (the header is fine, the pixels are missing).
        ("broken.png", _png()[:60], "Bild"),
    ],
    ids=[
        "svg-script",
        "svg-behind-comment",
        "gif-js-polyglot",
        "html-as-png",
        "pixel-bomb",
        "huge-file",
        "truncated",
    ],  # fmt: skip
)
def test_malicious_logo_is_refused_with_a_message_and_nothing_is_stored(
    company_client, settings, name, content, message
):
    response = _upload(company_client, name, content)
    assert response.status_code == 200
    assert message in response.content.decode()
    company_client.member.company.refresh_from_db()
    assert not company_client.member.company.logo
    assert _stored_files(Path(settings.MEDIA_ROOT)) == []


def test_pixel_bomb_is_refused_before_decoding():
    bomb = (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", struct.pack(">IIBBBBB", 60000, 60000, 8, 6, 0, 0, 0))
        + _png_chunk(b"IEND", b"")
    )
    assert len(bomb) < 100
    started = time.perf_counter()
    with pytest.raises(DomainError) as error:
        clean_logo(bomb)
    assert error.value.code == "logo_too_many_pixels"
    # 14 GB of pixels would take minutes and all memory if it were decoded.
    assert time.perf_counter() - started < 5


def test_a_hall_background_gets_the_logo_checks_and_becomes_plain_pixels():
    """The plan editor's background upload (fairs.Hall.background) goes through the same
    rules: pixel bombs and SVG refused before decoding, a polyglot stored as pixels only."""
    bomb = (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", struct.pack(">IIBBBBB", 60000, 60000, 8, 6, 0, 0, 0))
        + _png_chunk(b"IEND", b"")
    )
    with pytest.raises(DomainError) as error:
        clean_background(bomb)
    assert error.value.code == "logo_too_many_pixels"
    with pytest.raises(DomainError) as error:
        clean_background(b'<svg xmlns="http://www.w3.org/2000/svg"><script>x()</script></svg>')
    assert error.value.code == "logo_bad_format"
    png = _png()
    body, end = png[: png.rindex(b"IEND") - 4], png[png.rindex(b"IEND") - 4 :]
    stored = clean_background(body + _png_chunk(b"tEXt", b"Comment\x00" + HTML) + end + HTML)
    raw = stored.read()
    assert b"<script" not in raw and b"<html" not in raw
    assert stored.name.endswith(".png")


# --- What is neutralised ----------------------------------------------------------------


@pytest.mark.django_db
def test_gps_and_all_metadata_are_stripped_from_the_stored_logo(company_client, settings):
    original = _jpeg_with_gps()
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(0x8825)  # GPS is there
    response = _upload(company_client, "urlaub.jpg", original)
    assert response.status_code == 302
    company = company_client.member.company
    company.refresh_from_db()
    stored = Path(settings.MEDIA_ROOT) / company.logo.name
    image = Image.open(stored)
    assert image.format == "JPEG" and image.size == (40, 30)
    assert not image.getexif() and not image.getexif().get_ifd(0x8825)
    raw = stored.read_bytes()
    assert b"Exif" not in raw and b"Kamera GmbH" not in raw


@pytest.mark.django_db
def test_polyglot_png_loses_its_script_and_trailing_html(company_client, settings):
    """A real PNG with HTML in a text chunk and after its end: the stored copy is pixels only."""
    png = _png()
    body, end = png[: png.rindex(b"IEND") - 4], png[png.rindex(b"IEND") - 4 :]
    polyglot = body + _png_chunk(b"tEXt", b"Comment\x00" + HTML) + end + HTML
    assert Image.open(io.BytesIO(polyglot)).size == (24, 24)
    assert _upload(company_client, "logo.png", polyglot).status_code == 302
    company = company_client.member.company
    company.refresh_from_db()
    raw = (Path(settings.MEDIA_ROOT) / company.logo.name).read_bytes()
    assert b"<script" not in raw and b"<html" not in raw
    assert Image.open(io.BytesIO(raw)).info.get("Comment") is None


@pytest.mark.django_db
def test_jpeg_polyglot_comment_is_dropped():
    buffer = io.BytesIO()
    Image.new("RGB", (16, 16), (1, 2, 3)).save(buffer, format="JPEG", comment=HTML)
    assert HTML in buffer.getvalue()
    cleaned = clean_logo(buffer.getvalue()).read()
    assert b"<script" not in cleaned


@pytest.mark.django_db
def test_path_traversal_name_is_ignored_and_the_stored_name_is_random(company_client, settings):
    media = Path(settings.MEDIA_ROOT)
    response = _upload(company_client, "../../etc/passwd.png", _png())
    assert response.status_code == 302
    company = company_client.member.company
    company.refresh_from_db()
    assert re.fullmatch(r"fairs/logos/[0-9a-f]{32}\.png", company.logo.name)
    files = _stored_files(media)
    assert [path.relative_to(media).as_posix() for path in files] == [company.logo.name]
    assert not (media.parent / "etc").exists()


@pytest.mark.django_db
def test_wrong_extension_the_content_decides(company_client, settings):
    jpeg = _jpeg_with_gps()
    assert _upload(company_client, "logo.png", jpeg).status_code == 302
    company = company_client.member.company
    company.refresh_from_db()
    assert company.logo.name.endswith(".jpg")
    response = company_client.get(reverse("fairs:company-logo", args=[company.slug]))
    assert response["Content-Type"] == "image/jpeg"


@pytest.mark.django_db
def test_api_upload_gets_the_same_treatment(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    member = CompanyMemberFactory()
    api = APIClient()
    api.force_authenticate(member.user)
    polyglot = SimpleUploadedFile("x.png", b"GIF89a" + HTML)
    response = api.patch("/api/fairs/company/", {"logo": polyglot}, format="multipart")
    assert response.status_code == 400 and response.json()["code"] == "logo_bad_format"
    photo = SimpleUploadedFile("../../logo.jpg", _jpeg_with_gps())
    response = api.patch("/api/fairs/company/", {"logo": photo}, format="multipart")
    assert response.status_code == 200
    member.company.refresh_from_db()
    stored = tmp_path / member.company.logo.name
    assert re.fullmatch(r"fairs/logos/[0-9a-f]{32}\.jpg", member.company.logo.name)
    assert not Image.open(stored).getexif()


# --- Never served as a page -------------------------------------------------------------


@pytest.mark.django_db
def test_the_logo_is_served_as_an_image_that_cannot_run_anything(company_client):
    assert _upload(company_client, "logo.png", _png()).status_code == 302
    company = company_client.member.company
    response = company_client.get(reverse("fairs:company-logo", args=[company.slug]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"] == "inline"
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")


def _http(url: str, data: bytes | None = None):
    request = urllib.request.Request(url, data=data, method="POST" if data else "GET")  # noqa: S310 - loopback
    try:
        with urllib.request.urlopen(request, timeout=15) as response:  # noqa: S310 - loopback
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def _start_upstream():
    """A stand-in for the app behind Caddy: reads the body, answers 200."""
    import http.server
    import threading

    class Handler(http.server.BaseHTTPRequestHandler):
        def _answer(self):
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            self.send_response(200)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        do_GET = do_POST = _answer

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.mark.timeout(90)
def test_caddy_serves_media_as_inert_downloads_and_refuses_huge_bodies(tmp_path):
    """docker/Caddyfile for real: /media/ headers, only image files, the body limit."""
    media = tmp_path / "media"
    (media / "fairs" / "logos").mkdir(parents=True)
    (media / "fairs" / "logos" / "a1b2.png").write_bytes(_png())
    (media / "fairs" / "logos" / "evil.html").write_bytes(HTML)
    (media / "fairs" / "logos" / "evil.svg").write_bytes(b"<svg><script>alert(1)</script></svg>")
    port = free_port()
    upstream = _start_upstream()
    env = {
        "PATH": os.environ["PATH"],
        "HOME": str(tmp_path),
        "XDG_DATA_HOME": str(tmp_path),
        "XDG_CONFIG_HOME": str(tmp_path),
        "SITE_URL": f"http://127.0.0.1:{port}",
        "CADDY_ADMIN": f"localhost:{free_port()}",
        "CADDY_UPSTREAM_HOST": "127.0.0.1",
        "CADDY_UPSTREAM_PORT": str(upstream.server_port),
        "CADDY_MEDIA_ROOT": str(media),
        "CADDY_MAX_BODY_BYTES": "1000000",
    }
    log_path = tmp_path / "caddy.log"
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [str(BIN / "caddy"), "run", "--config", "docker/Caddyfile"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            site = f"http://127.0.0.1:{port}"
            status, headers, body = first_answer(
                lambda: _http(f"{site}/media/fairs/logos/a1b2.png"),
                process=process,
                log_path=log_path,
                seconds=30,
            )
            assert status == 200 and body.startswith(b"\x89PNG")
            assert headers["Content-Type"] == "image/png"
            assert headers["X-Content-Type-Options"] == "nosniff"
            assert headers["Content-Disposition"] == "attachment"
            assert "sandbox" in headers["Content-Security-Policy"]
            assert "default-src 'none'" in headers["Content-Security-Policy"]
            for name in ("evil.html", "evil.svg", "../../etc/passwd"):
                status, _headers, body = _http(f"{site}/media/fairs/logos/{name}")
                assert status == 404 and b"<script" not in body, name
            assert _http(f"{site}/fairs/firma/profil/", b"x" * 500_000)[0] == 200
            # A declared 2 MB body is refused before a byte of it is read.
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            connection.putrequest("POST", "/fairs/firma/profil/")
            connection.putheader("Content-Length", "2000000")
            connection.endheaders()
            assert connection.getresponse().status == 413
            connection.close()
            # A refused body is the client's fault: the app behind stays in the pool.
            assert _http(f"{site}/fairs/firma/profil/", b"x" * 500_000)[0] == 200
            # The access log masks secret links (see test_secret_links.py for the app's logs).
            token = "Tk" * 16
            _http(f"{site}/tickets/ticket/{token}/?token={token}")
            _http(f"{site}/en/tickets/kalender/{token}.ics")
            _http(f"{site}/password-reset/MQ/{token}/")
            time.sleep(0.5)
        finally:
            process.terminate()
            process.wait(timeout=20)
            upstream.shutdown()
    output = log_path.read_text()
    assert token not in output
    uris = [
        json.loads(line)["request"]["uri"]
        for line in output.splitlines()
        if line.startswith("{") and '"handled request"' in line
    ]
    assert "/tickets/ticket/…/?token=…" in uris and "/en/tickets/kalender/….ics" in uris
    assert "/password-reset/MQ/…/" in uris


# --- The organisers' other upload: a hall's stands as CSV (read, never stored or served) --


@pytest.fixture
def hall_import(client):
    from tests.factories import MembershipFactory
    from tests.fairs.factories import HallFactory

    hall = HallFactory()
    organiser = MembershipFactory(organisation=hall.fair.event.organisation).user
    organiser.is_staff = True
    organiser.save()
    client.force_login(organiser)
    return hall, reverse("admin:fairs_hall_import", args=[hall.pk])


@pytest.mark.django_db
def test_stand_csv_import_refuses_huge_and_binary_files(client, hall_import):
    hall, url = hall_import
    header = b"label,x,y,width,depth,price\n"
    huge = SimpleUploadedFile("plan.csv", header + b"B1,0,0,3,3,100\n" * 80_000)
    page = client.post(url, {"file": huge})
    assert page.status_code == 200
    assert "Die Datei darf höchstens 1 MB groß sein." in page.content.decode()
    workbook = SimpleUploadedFile("plan.csv", b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + b"\0" * 64)
    page = client.post(url, {"file": workbook})
    assert "Dies ist keine CSV-Datei." in page.content.decode()
    assert hall.stands.count() == 0


@pytest.mark.django_db
def test_stand_csv_with_markup_is_stored_as_text_and_shown_escaped(client, hall_import):
    hall, url = hall_import
    # Labels are short (20 characters): enough for a tag that would run a script.
    csv = b'label,x,y,width,depth,price\n"<script>alert(1)",0,0,3,3,100\n'
    response = client.post(url, {"file": SimpleUploadedFile("../../plan.csv", csv)})
    assert response.status_code == 302
    stand = hall.stands.get()
    assert stand.label == "<script>alert(1)"
    page = client.get(reverse("admin:fairs_hall_change", args=[hall.pk])).content.decode()
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)" in page
