"""Renewing a visitor's secret links: the self-service link (ticket page) and the address of
the personal calendar feed. Either may have been forwarded or shown to someone; renewing
makes the old address answer 404 at once and mails the new one to the holder.

The ticket page shows the QR code, and the confirmation mail carried it too: whoever saw the
old link may have kept the code. So renewing the self-service link also reissues a valid
ticket that has not been scanned yet (the old code is then refused at the door, online and
offline); a ticket already used at the door stays, so nobody is let in twice.

Tokens come from `secrets.token_urlsafe(24)` (192 bits, ticketing.models.new_token).
"""

from datetime import datetime

from django.db import transaction

from events_platform import audit

from . import services, signals
from .models import Registration, Ticket, VisitorFeed, new_token


def _reissue_unused_ticket(registration: Registration, now: datetime) -> bool:
    ticket = (
        Ticket.objects.select_for_update()
        .filter(registration=registration, status=Ticket.Status.VALID)
        .first()
    )
    if ticket is None or ticket.attendances.exists():
        return False
    ticket.status = Ticket.Status.REVOKED
    ticket.revoked_at = now
    ticket.save(update_fields=["status", "revoked_at"])
    services._issue_ticket(registration, now)
    return True


@transaction.atomic
def renew_manage_link(*, registration: Registration, now: datetime, by=None) -> Registration:
    """Give a registration a new self-service link (and an unused ticket a new code).

    `by` is the organiser who did it (audited), or None when the visitor did it themselves.
    """
    # The event row first, then the registration, as a cancellation takes them: a reissued
    # ticket's foreign keys are checked at the commit, which would otherwise wait for a
    # cancellation that waits for this registration.
    _event, registration = services._lock_registration(registration)
    registration.manage_token = new_token()
    registration.save(update_fields=["manage_token"])
    reissued = _reissue_unused_ticket(registration, now) if registration.is_active else False
    by_organiser = getattr(by, "is_authenticated", False)
    if by_organiser:
        audit.record_action(
            actor=by,
            organisation=registration.event.organisation,
            action="visitor_link_renewed",
            target=registration,
            details={"ticket_reissued": reissued},
        )
    signals.manage_link_renewed.send(
        sender=Registration,
        registration=registration,
        by_organiser=bool(by_organiser),
        ticket_reissued=reissued,
    )
    return registration


@transaction.atomic
def renew_feed_link(*, feed: VisitorFeed) -> VisitorFeed:
    """Give a personal calendar feed a new address; calendars subscribed to the old one stop
    updating. Only the holder does this (from a ticket page): one address's feed lists
    registrations with several organisers, so no single organiser owns it."""
    feed = VisitorFeed.objects.select_for_update().get(pk=feed.pk)
    feed.token = new_token()
    feed.save(update_fields=["token"])
    return feed
