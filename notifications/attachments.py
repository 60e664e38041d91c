"""Attachments by reference: an outbox row stores what to attach, these functions render it.

The renderers are deterministic functions of stored data, so a retried send attaches the
same bytes as the first attempt and the outbox row stays small.
"""

import io
from dataclasses import dataclass

import qrcode
from django.utils import translation

QR_CONTENT_ID = "ticket-qr"


@dataclass(frozen=True)
class Attachment:
    filename: str
    content: bytes
    mimetype: str
    # Set for images shown inside the HTML part (referenced as cid:<content_id>).
    content_id: str = ""


def qr_png(text: str) -> bytes:
    """A QR code of `text` as PNG: medium error correction, generous quiet zone."""
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=8, border=4)
    code.add_data(text)
    code.make(fit=True)
    buffer = io.BytesIO()
    code.make_image(fill_color="black", back_color="white").save(buffer, format="PNG")
    return buffer.getvalue()


def ticket_qr_spec(ticket) -> dict:
    """The reference to a ticket's QR image, shown inline in the confirmation mail."""
    return {"kind": "ticket_qr", "ticket_id": ticket.pk, "filename": "ticket-qr.png"}


def ticket_pdf_spec(ticket) -> dict:
    """The reference to a ticket's PDF."""
    return {"kind": "ticket_pdf", "ticket_id": ticket.pk, "filename": "ticket.pdf"}


def event_ics_spec(event) -> dict:
    """The reference to an event's calendar entry."""
    return {"kind": "event_ics", "event_id": event.pk, "filename": "event.ics"}


def _ticket(ticket_id: int):
    from ticketing.models import Ticket

    return Ticket.objects.select_related("event", "event__venue", "registration").get(pk=ticket_id)


def _ticket_pdf(ticket) -> bytes | None:
    try:
        from ticketing import documents
    except ImportError:
        return None
    render = getattr(documents, "ticket_pdf_for", None) or getattr(documents, "ticket_pdf", None)
    if render is None:
        return None
    return render(ticket)


def render_attachment(spec: dict, *, language: str) -> Attachment | None:
    """Render one attachment reference in `language`; None when its object is gone."""
    kind = spec.get("kind")
    with translation.override(language):
        if kind == "event_ics":
            from events_platform.ical import event_bytes
            from events_platform.models import Event

            event = Event.objects.select_related("venue").filter(pk=spec["event_id"]).first()
            if event is None:
                return None
            return Attachment(
                spec.get("filename", "event.ics"), event_bytes(event), "text/calendar"
            )
        if kind == "ticket_qr":
            ticket = _ticket(spec["ticket_id"])
            return Attachment(
                spec.get("filename", "ticket-qr.png"),
                qr_png(ticket.secret),
                "image/png",
                content_id=QR_CONTENT_ID,
            )
        if kind == "ticket_pdf":
            content = _ticket_pdf(_ticket(spec["ticket_id"]))
            if content is None:
                return None
            return Attachment(spec.get("filename", "ticket.pdf"), content, "application/pdf")
        if kind == "bytes":
            import base64

            return Attachment(spec["filename"], base64.b64decode(spec["content"]), spec["mimetype"])
    raise ValueError(f"unknown attachment kind {kind!r}")
