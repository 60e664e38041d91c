"""Invite last edition's exhibitors: each company with a confirmed stand in the earlier edition's
fair gets one mail with a link to book again, its previous stand pre-selected where the stand
with the same label in the new edition's plan is free.

The mail goes through the outbox; its dedup key is (purpose, address, company, new event), so
a second click writes nothing twice. The new edition knows the earlier one from
`Event.copied_from` (set by events_platform/editions.py).
"""

from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import urlencode

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from events_platform import audit
from events_platform.models import Event
from fairs import queries as fair_queries
from fairs.models import Company, StandBooking
from infra.errors import DomainError

from .errors import ErrorCode
from .models import Message, Purpose
from .rendering import absolute_url, event_facts, language_of, sender_name
from .transactional import _notice, _send


@dataclass
class Exhibitor:
    """One company of the earlier edition, what it had and what it has now."""

    company: Company
    earlier_stands: list[str] = field(default_factory=list)
    invited_at: datetime | None = None
    rebooked: list[StandBooking] = field(default_factory=list)


def earlier_fair(new_event: Event):
    """The fair of the edition `new_event` was copied from (None when there is none)."""
    earlier = new_event.copied_from
    if earlier is None:
        return None
    return getattr(earlier, "fair", None)


def exhibitors(new_event: Event) -> list[Exhibitor]:
    """Companies with a confirmed stand in the earlier edition's fair, by name, each with its
    earlier stands, when it was invited to the new edition and its bookings there."""
    fair = earlier_fair(new_event)
    if fair is None:
        return []
    rows: dict[int, Exhibitor] = {}
    bookings = (
        StandBooking.objects.filter(fair=fair, status=StandBooking.Status.APPROVED)
        .select_related("company", "stand")
        .order_by("company__name", "stand__label")
    )
    for booking in bookings:
        row = rows.setdefault(booking.company_id, Exhibitor(company=booking.company))
        row.earlier_stands.append(booking.stand.label)
    company_type = ContentType.objects.get_for_model(Company)
    for object_id, created_at in Message.objects.filter(
        purpose=Purpose.EXHIBITORS_INVITED, event=new_event, content_type=company_type
    ).values_list("object_id", "created_at"):
        row = rows.get(int(object_id))
        if row is not None and (row.invited_at is None or created_at < row.invited_at):
            row.invited_at = created_at
    new_fair = getattr(new_event, "fair", None)
    if new_fair is not None:
        for booking in StandBooking.objects.filter(
            fair=new_fair, company__in=rows.keys(), status__in=StandBooking.ACTIVE
        ).select_related("stand"):
            rows[booking.company_id].rebooked.append(booking)
    return list(rows.values())


def _book_again_url(new_event: Event, stand_ids: list[int]) -> str:
    url = absolute_url("fairs:stand-book", slug=new_event.slug)
    if stand_ids:
        url += "?" + urlencode([("stand", pk) for pk in stand_ids])
    return url


def exhibitor_invitation(
    *, company: Company, labels: list[str], new_event: Event, free: dict
) -> Message:
    """One company's mail: why it gets it, its stands of last time, the link to book again."""
    stand_ids = [free[label] for label in labels if label in free]

    def build() -> dict:
        paragraphs = [
            _("Thank you for exhibiting at our last edition."),
            _("Stands for the next edition can be booked now. We would be glad to see you again."),
        ]
        if stand_ids:
            paragraphs.append(
                _("The link below opens the booking page with your previous stand selected.")
            )
        else:
            paragraphs.append(
                _("Your previous stand is not free this time. Please choose another one.")
            )
        facts = event_facts(new_event)
        facts.append((_("Your stand last time"), ", ".join(labels)))
        return _notice(
            greeting_name=company.contact_name,
            paragraphs=paragraphs,
            facts=facts,
            sender=sender_name(new_event),
            action=(_("Book a stand again"), _book_again_url(new_event, stand_ids)),
        )

    return _send(
        purpose=Purpose.EXHIBITORS_INVITED,
        to_email=company.contact_email,
        language=language_of(company),
        subject=gettext_noop("Book your stand again: %(event)s"),
        build=build,
        related=company,
        event=new_event,
        detail=str(new_event.pk),
    )


@transaction.atomic
def invite_exhibitors(*, new_event: Event, by, now: datetime) -> int:
    """Write one invitation per company of the earlier edition not yet invited to `new_event`;
    returns how many were written (0 on a second click).

    Raises DomainError `not_published_yet` (the booking link would not open yet) or
    `no_exhibitors`
    (no earlier edition with a fair)."""
    if new_event.status != Event.Status.PUBLISHED:
        raise DomainError(
            _("Please publish the new edition first, so the booking link works."),
            ErrorCode.NOT_PUBLISHED_YET,
        )
    new_fair = getattr(new_event, "fair", None)
    rows = exhibitors(new_event) if new_fair is not None else []
    if not rows:
        raise DomainError(
            _("The earlier edition has no exhibitors to invite."), ErrorCode.NO_EXHIBITORS
        )
    free = {}
    for stand in fair_queries.free_stands(new_fair).order_by("pk"):
        free.setdefault(stand.label, stand.pk)
    written = 0
    for row in rows:
        if row.invited_at is not None:
            continue
        exhibitor_invitation(
            company=row.company, labels=row.earlier_stands, new_event=new_event, free=free
        )
        written += 1
    audit.record_action(
        actor=by,
        organisation=new_event.organisation,
        action="exhibitors_invited",
        target=new_event,
        details={"from_event": new_event.copied_from_id, "companies": written},
    )
    return written
