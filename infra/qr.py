"""QR codes: one encoder for every code the platform shows, mails or prints.

zxing-cpp's writer encodes with error correction M (a scratched or dim phone screen loses
modules), the smallest version that holds the text, the most compact mode (alphanumeric for
the upper-case ticket and pass secrets: 125 characters need version 6, 41×41 modules) and
the mask the standard's penalty rules choose. It is C++: a ticket's code costs about 0.4 ms,
where python-qrcode spent about 6 ms choosing the mask, most of what a confirmation mail
cost its worker.

Every code has the standard's quiet zone of four modules. The same text gives the same
modules, so a retried mail attaches the same bytes.
"""

import functools
import io

import zxingcpp
from PIL import Image

QUIET_ZONE = 4


@functools.lru_cache(maxsize=256)
def modules(text: str) -> tuple[int, bytes]:
    """The code of `text` with its quiet zone: (modules per side, one byte per module, row
    by row, 0 for dark and 255 for light). Kept for the last few texts: a confirmation shows
    its ticket's code inline and again in the PDF."""
    symbol = zxingcpp.create_barcode(text, zxingcpp.BarcodeFormat.QRCode, ec_level="M")
    view = memoryview(symbol.to_image(scale=1, add_quiet_zones=True))
    return view.shape[0], view.tobytes()


def png(text: str, *, scale: int = 8) -> bytes:
    """The code as a black-and-white PNG, `scale` pixels per module."""
    side, pixels = modules(text)
    image = Image.frombytes("L", (side, side), pixels).convert("1")
    image = image.resize((side * scale, side * scale), Image.Resampling.NEAREST)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def dark_runs(text: str):
    """(row, first column, length) of each horizontal run of dark modules, quiet zone
    included in the coordinates."""
    side, pixels = modules(text)
    for row in range(side):
        line = pixels[row * side : (row + 1) * side]
        column = line.find(0)
        while column != -1:
            end = line.find(255, column)
            end = side if end == -1 else end
            yield row, column, end - column
            column = line.find(0, end)


def svg(text: str) -> str:
    """The code as SVG: one path of unit squares in a viewBox, so it scales to any size."""
    side, _ = modules(text)
    runs = dark_runs(text)
    path = "".join(f"M{column} {row}h{length}v1h-{length}z" for row, column, length in runs)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {side} {side}" '
        f'shape-rendering="crispEdges"><rect width="{side}" height="{side}" fill="#fff"/>'
        f'<path d="{path}" fill="#000"/></svg>'
    )


def draw(pdf, text: str, *, x: float, y: float, size: float) -> None:
    """Draw the code on a reportlab canvas as vector squares (sharp at any print size), its
    lower left corner at (x, y), `size` wide and high with the quiet zone."""
    side, _ = modules(text)
    unit = size / side
    path = pdf.beginPath()
    for row, column, length in dark_runs(text):
        path.rect(x + column * unit, y + size - (row + 1) * unit, length * unit, unit)
    pdf.saveState()
    pdf.setFillColorRGB(0, 0, 0)
    pdf.drawPath(path, stroke=0, fill=1)
    pdf.restoreState()
