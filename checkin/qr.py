"""QR codes for the organiser's pages (pairing) and the door tablet (a new ticket)."""

import base64
import io

import qrcode
import qrcode.image.svg


def qr_data_uri(text: str, *, alphanumeric: bool = False) -> str:
    """An SVG QR code of `text` as a data: URI (the CSP allows data: images)."""
    code = qrcode.QRCode(
        error_correction=qrcode.constants.ERROR_CORRECT_M,
        box_size=10,
        border=4,
        image_factory=qrcode.image.svg.SvgPathImage,
    )
    if alphanumeric:
        code.add_data(qrcode.util.QRData(text.upper(), mode=qrcode.util.MODE_ALPHA_NUM))
    else:
        code.add_data(text)
    code.make(fit=True)
    buffer = io.BytesIO()
    code.make_image().save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")
