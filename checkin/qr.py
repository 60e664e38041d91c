"""QR codes for the organiser's pages (pairing) and the door tablet (a new ticket)."""

import base64

from infra import qr


def qr_data_uri(text: str, *, alphanumeric: bool = False) -> str:
    """An SVG QR code of `text` as a data: URI (the CSP allows data: images); `alphanumeric`
    for a secret, written in capitals so the code takes the compact alphanumeric mode."""
    image = qr.svg(text.upper() if alphanumeric else text)
    return "data:image/svg+xml;base64," + base64.b64encode(image.encode()).decode("ascii")
