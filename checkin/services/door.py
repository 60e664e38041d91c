"""The door's people and counts: entrances, check-in staff, and walk-ins counted at the door."""

from datetime import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from checkin import queries
from checkin.models import Assignment, Device, Entrance, WalkIn
from events_platform.models import Event
from infra.errors import InvalidInput

from ..errors import ErrorCode
from .lists import ensure_checkin_lists


@transaction.atomic
def add_entrance(*, event: Event, name: str) -> Entrance:
    """Add a named entrance to an event (or return the one of that name)."""
    name = name.strip()
    if not name:
        raise InvalidInput(
            _("Please enter a name for the entrance."), ErrorCode.ENTRANCE_NAME_REQUIRED
        )
    entrance, _created = Entrance.objects.get_or_create(event=event, name=name[:80])
    return entrance


@transaction.atomic
def assign_staff(*, event: Event, user) -> Assignment:
    """Let a check-in staff member scan for an event."""
    assignment, _created = Assignment.objects.get_or_create(event=event, user=user)
    return assignment


@transaction.atomic
def count_walk_in(
    *,
    device: Device,
    nonce: str,
    now: datetime,
    postcode: str = "",
    interest: str = "",
    persons: int = 1,
    counted_at: datetime | None = None,
) -> WalkIn:
    """Count a walk-in at the door (once per device nonce). Raises walk_ins_not_allowed."""
    event = device.event
    if not event.walk_ins_allowed:
        raise InvalidInput(_("This event does not admit walk-ins."), ErrorCode.WALK_INS_NOT_ALLOWED)
    if persons < 1 or persons > 200:
        raise InvalidInput(_("Please enter a number of persons."), ErrorCode.PERSONS_INVALID)
    when = min(counted_at or now, now)
    checkin_list = queries.list_for_moment(event, when) or ensure_checkin_lists(event=event)[0]
    walk_in, _created = WalkIn.objects.get_or_create(
        device=device,
        nonce=nonce,
        defaults={
            "checkin_list": checkin_list,
            "entrance_id": device.entrance_id,
            "persons": persons,
            "postcode": postcode.strip()[:10],
            "interest": interest.strip()[:120],
            "counted_at": when,
        },
    )
    return walk_in
