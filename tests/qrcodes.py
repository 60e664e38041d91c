"""Reading the platform's QR codes back as a phone or a door scanner would: from a PNG,
from each page of a PDF (drawn as vector squares, rendered by PDFium) and from an SVG."""

import base64
import io
import re

import pypdfium2
import zxingcpp
from PIL import Image, ImageDraw


def code_of_png(png: bytes) -> str:
    """The one QR code of a PNG image."""
    return code_of_image(Image.open(io.BytesIO(png)))


def code_of_image(image) -> str:
    results = zxingcpp.read_barcodes(image)
    assert results, "no QR code found"
    return results[0].text


def codes_on_pages(pdf: bytes, *, dpi: int = 150) -> list[set[str]]:
    """The QR codes read back from each page of a PDF, rendered at `dpi`."""
    document = pypdfium2.PdfDocument(pdf)
    found = []
    for page in document:
        image = page.render(scale=dpi / 72).to_pil()
        found.append({code.text for code in zxingcpp.read_barcodes(image)})
    return found


def code_of_svg(svg_or_data_uri: str, *, scale: int = 8) -> str:
    """The QR code of an SVG of unit squares (infra.qr.svg: a path of `M x y h n v1 h-n z`
    runs in a viewBox), drawn again as pixels and read."""
    svg = svg_or_data_uri
    if svg.startswith("data:"):
        svg = base64.b64decode(svg.split(",", 1)[1]).decode()
    size = int(re.search(r'viewBox="0 0 (\d+) \d+"', svg).group(1))
    image = Image.new("L", (size * scale, size * scale), 255)
    draw = ImageDraw.Draw(image)
    runs = re.findall(r"M(\d+) (\d+)h(\d+)v1h-\d+z", svg)
    assert runs, "no squares in the SVG"
    for x, y, length in runs:
        left, top = int(x) * scale, int(y) * scale
        draw.rectangle([left, top, left + int(length) * scale - 1, top + scale - 1], fill=0)
    return code_of_image(image)
