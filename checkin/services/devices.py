"""Paired scanners: pairing a phone to an event (and an entrance), moving, refusing and
revoking it, and checking at a scan that a device a process kept is still as it was."""

from datetime import datetime, timedelta

from django.core import signing
from django.db import transaction
from django.utils.translation import gettext as _

from checkin.models import Device, Entrance, hash_token, new_device_token
from events_platform.models import Event
from infra.errors import InvalidInput

from ..errors import ErrorCode
from .lists import ensure_checkin_lists
from .prepared import fetch_prepared

PAIRING_SALT = "checkin.pairing"
PAIRING_SECONDS = 15 * 60


def pairing_token(*, event: Event, entrance: Entrance | None = None) -> str:
    """A short-lived signed token that pairs a phone to scan for `event` (shown as a QR)."""
    return signing.dumps(
        {"e": event.pk, "n": entrance.pk if entrance else None}, salt=PAIRING_SALT, compress=True
    )


@transaction.atomic
def pair_device(*, token: str, name: str, now: datetime, by=None) -> tuple[Device, str]:
    """Pair a device with a pairing token; returns it and its secret token (shown once).

    Raises InvalidInput (pairing_invalid) when the token is forged or expired.
    """
    try:
        data = signing.loads(token, salt=PAIRING_SALT, max_age=PAIRING_SECONDS)
        event = Event.objects.get(pk=data["e"])
    except (signing.BadSignature, KeyError, TypeError, Event.DoesNotExist) as error:
        raise InvalidInput(
            _("This pairing code is invalid or has expired. Please ask for a new one."),
            ErrorCode.PAIRING_INVALID,
        ) from error
    entrance = Entrance.objects.filter(event=event, pk=data.get("n")).first()
    secret = new_device_token()
    count = Device.objects.filter(event=event).count() + 1
    device = Device.objects.create(
        event=event,
        entrance=entrance,
        name=(name or "").strip()[:80] or _("Scanner %(number)s") % {"number": count},
        token_hash=hash_token(secret),
        paired_by=by if getattr(by, "is_authenticated", False) else None,
        paired_at=now,
        last_seen_at=now,
    )
    ensure_checkin_lists(event=event)
    return device, secret


@transaction.atomic
def revoke_device(*, device: Device, now: datetime) -> Device:
    """Revoke a device: its next call is refused."""
    device = Device.objects.select_for_update().get(pk=device.pk)
    if device.revoked_at is None:
        device.revoked_at = now
        device.save(update_fields=["revoked_at"])
    return device


def refuse_device(*, device: Device, until: datetime) -> None:
    """Refuse the device's scans until `until`: it sent too many invalid codes. Its scans
    then leave the door-rush statement for the way that asks the limit (and answers 429)."""
    Device.objects.filter(pk=device.pk).update(refused_until=until)


def touch_device(*, device: Device, now: datetime) -> None:
    """Note that the device was seen (at most once a minute, so scans stay cheap)."""
    if device.last_seen_at is None or now - device.last_seen_at > timedelta(minutes=1):
        Device.objects.filter(pk=device.pk).update(last_seen_at=now)


@transaction.atomic
def set_device_entrance(*, device: Device, entrance: Entrance | None) -> Device:
    """Move a device to another entrance of its event."""
    if entrance is not None and entrance.event_id != device.event_id:
        raise InvalidInput(_("This entrance belongs to another event."), ErrorCode.ENTRANCE_INVALID)
    device.entrance = entrance
    device.save(update_fields=["entrance"])
    return device


class StaleDevice(Exception):
    """The device passed in (kept by the caller) is revoked, gone, or was moved since."""


# Plain SQL, prepared: it runs before every scan of a kept device that the door-rush
# statement does not answer (which reads the device itself).
_DEVICE_SQL = """
SELECT revoked_at IS NULL AND (refused_until IS NULL OR refused_until <= %s::timestamptz),
       event_id, entrance_id
FROM checkin_device WHERE id = %s::bigint
"""


def confirm_device(device: Device, now: datetime) -> None:
    """Raise StaleDevice unless the device is, in the database, as the caller kept it (and
    not refused for too many invalid codes)."""
    row = fetch_prepared(_DEVICE_SQL, [now, device.pk])
    if row is None or not device_matches(device, *row):
        raise StaleDevice(device.pk)


def device_matches(device: Device, current: bool, event_id: int, entrance_id) -> bool:
    """True when a device row read now (not revoked or refused, its event and entrance) is
    the device as the caller kept it."""
    return current and event_id == device.event_id and entrance_id == device.entrance_id
