"""infra.qr, the one QR encoder: every form of a code reads back to its text, with the
quiet zone, error correction M and the most compact mode; the same text gives the same
bytes (a retried mail attaches what the first attempt did)."""

import io

import zxingcpp
from PIL import Image
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas

from infra import qr
from tests.qrcodes import code_of_svg, codes_on_pages

SECRET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567" * 3 + "ABCDEFGHIJKLMNOPQRSTUVWXYZ2"  # 123


def test_a_png_reads_back_with_error_correction_m_and_a_quiet_zone_of_four_modules():
    png = qr.png(SECRET)
    image = Image.open(io.BytesIO(png))
    (result,) = zxingcpp.read_barcodes(image)
    assert result.text == SECRET
    # Alphanumeric mode: 123 characters fit version 6 at level M (in bytes they need 8).
    assert (result.extra["Version"], result.extra["ECLevel"]) == ("6", "M")
    side = 41 + 2 * qr.QUIET_ZONE
    assert image.size == (side * 8, side * 8)
    # The quiet zone is light all round; the finder pattern's corner is dark.
    assert image.convert("L").getpixel((4 * 8 - 1, 4 * 8 - 1)) == 255
    assert image.convert("L").getpixel((4 * 8, 4 * 8)) == 0
    assert qr.png(SECRET) == png


def test_a_url_reads_back_in_byte_mode():
    url = "https://events.example.org/leads/share/abc-Def_123/"
    (result,) = zxingcpp.read_barcodes(Image.open(io.BytesIO(qr.png(url, scale=4))))
    assert result.text == url


def test_the_svg_scales_and_reads_back():
    svg = qr.svg(SECRET)
    assert svg.startswith("<svg") and 'viewBox="0 0 49 49"' in svg
    assert code_of_svg(svg) == SECRET


def test_drawn_on_a_pdf_page_it_reads_back_at_the_size_printed():
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    pdf.setFillColorRGB(0.8, 0.1, 0.1)  # the code is black whatever was drawn before
    qr.draw(pdf, SECRET, x=20 * mm, y=40 * mm, size=35 * mm)
    pdf.drawString(20 * mm, 20 * mm, "after the code")
    pdf.showPage()
    pdf.save()
    assert codes_on_pages(buffer.getvalue()) == [{SECRET}]
