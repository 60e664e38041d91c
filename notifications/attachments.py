"""Attachments by reference: an outbox row stores what to attach, these functions render it.

The renderers are deterministic functions of stored data, so a retried send attaches the
same bytes as the first attempt and the outbox row stays small.
"""

from dataclasses import dataclass

from django.utils import translation

QR_CONTENT_ID = "ticket-qr"


@dataclass(frozen=True)
class Attachment:
    filename: str
    content: bytes
    mimetype: str
    # Set for images shown inside the HTML part (referenced as cid:<content_id>).
    content_id: str = ""


def ticket_qr_spec(ticket) -> dict:
    """The reference to a ticket's QR image, shown inline in the confirmation mail."""
    return {"kind": "ticket_qr", "ticket_id": ticket.pk, "filename": "ticket-qr.png"}


def ticket_pdf_spec(ticket) -> dict:
    """The reference to a ticket's PDF."""
    return {"kind": "ticket_pdf", "ticket_id": ticket.pk, "filename": "ticket.pdf"}


def event_ics_spec(event) -> dict:
    """The reference to an event's calendar entry."""
    return {"kind": "event_ics", "event_id": event.pk, "filename": "event.ics"}


def _ticket(ticket_id: int, tickets: dict | None = None):
    """The ticket with its event, venue and registration; read once per message when the
    message's attachments share `tickets` (its QR image and its PDF)."""
    from ticketing.models import Ticket

    if tickets is not None and ticket_id in tickets:
        return tickets[ticket_id]
    ticket = Ticket.objects.select_related("event", "event__venue", "registration").get(
        pk=ticket_id
    )
    if tickets is not None:
        tickets[ticket_id] = ticket
    return ticket


def _ticket_pdf(ticket) -> bytes:
    """The printable ticket, drawn by ticketing's pure PDF function, in the active language."""
    from django.conf import settings
    from django.utils.translation import gettext as _
    from django.utils.translation import ngettext

    from events_platform.ticket_codes import printed_number
    from ticketing import rendering

    from .rendering import event_when

    event = ticket.event
    registration = ticket.registration
    return rendering.ticket_pdf(
        rendering.TicketPrint(
            heading=_("Ticket"),
            event_title=event.title,
            when=event_when(event),
            venue=f"{event.venue.name}, {event.venue.address}",
            holder=registration.school or registration.name,
            admits=ngettext("Admits %(count)s person", "Admits %(count)s persons", ticket.headcount)
            % {"count": ticket.headcount},
            serial=_("Ticket number %(serial)s") % {"serial": printed_number(ticket.serial)},
            secret=ticket.secret,
            footer=settings.SITE_URL,
        )
    )


def render_attachments(specs: list[dict], *, language: str) -> list[Attachment]:
    """Render a message's attachment references in `language`, leaving out those whose
    object is gone; a ticket they share is read once, and the calendar entry of the
    ticket's event takes the event read with it."""
    tickets: dict = {}
    rendered = (render_attachment(spec, language=language, tickets=tickets) for spec in specs)
    return [attachment for attachment in rendered if attachment is not None]


def render_attachment(
    spec: dict, *, language: str, tickets: dict | None = None
) -> Attachment | None:
    """Render one attachment reference in `language`; None when its object is gone.
    `tickets`: tickets already read for the same message, by id (render_attachments)."""
    kind = spec.get("kind")
    with translation.override(language):
        if kind == "event_ics":
            from events_platform.ical import event_bytes
            from events_platform.models import Event

            # A confirmation's ticket was read with its event and venue just before.
            read = [t.event for t in (tickets or {}).values() if t.event_id == spec["event_id"]]
            event = (
                read[0]
                if read
                else Event.objects.select_related("venue").filter(pk=spec["event_id"]).first()
            )
            if event is None:
                return None
            return Attachment(
                spec.get("filename", "event.ics"), event_bytes(event), "text/calendar"
            )
        if kind == "ticket_qr":
            from ticketing import rendering

            ticket = _ticket(spec["ticket_id"], tickets)
            return Attachment(
                spec.get("filename", "ticket-qr.png"),
                rendering.qr_png(ticket.secret),
                "image/png",
                content_id=QR_CONTENT_ID,
            )
        if kind == "ticket_pdf":
            content = _ticket_pdf(_ticket(spec["ticket_id"], tickets))
            return Attachment(spec.get("filename", "ticket.pdf"), content, "application/pdf")
        if kind == "bytes":
            import base64

            return Attachment(spec["filename"], base64.b64decode(spec["content"]), spec["mimetype"])
    raise ValueError(f"unknown attachment kind {kind!r}")
