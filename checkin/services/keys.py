"""Is a scanned code genuine: its claim, and its signature checked with the event's public
key, which this process keeps as a key object for a minute (a replaced key is picked up
within that). The locked way verifies every code, and the door rush every code that is not a
ticket's stored secret."""

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from django.db import connection

from checkin.models import Device
from events_platform import services as core_services
from events_platform import ticket_codes
from events_platform.models import Event
from infra.ttl_cache import TTLCache

KEYS_SECONDS = 60

# Keyed by database and the event's id and creation time, so that a rebuilt database with
# reused ids never meets an old key.
public_keys = TTLCache(seconds=KEYS_SECONDS)


def key_id(event: Event) -> tuple:
    """The kept key's name: the database, the event's id and its creation time."""
    return (connection.settings_dict["NAME"], event.pk, event.created_at)


def kept_public_key(event: Event) -> Ed25519PublicKey | None:
    """The event's public key (None when it has none yet)."""
    kept_id = key_id(event)
    public = public_keys.get(kept_id)
    if public is not None:
        return public
    stored = core_services.event_public_key(event.pk)
    if stored is None:
        return None
    public = Ed25519PublicKey.from_public_bytes(bytes(stored))
    public_keys.put(kept_id, public)
    return public


def verify_secret(secret: str, event: Event) -> ticket_codes.Claim:
    """The claim of a genuine secret (raises ticket_codes.InvalidSecret); reads no database
    and no cache when the code is for `event` and its key is kept in this process."""
    claim, raw = ticket_codes.parse(secret)
    if claim.event_id != event.pk:
        return core_services.verify_ticket_secret(secret)  # another event's, or forged
    public = kept_public_key(event)
    if public is None:
        raise ticket_codes.InvalidSecret("unknown_event")
    ticket_codes.check_signature(raw, public)
    return claim


def claim_of(secret: str, serial: int | None, kind: int, device: Device, *, verify: bool = True):
    """The claim of the code (verified unless `verify` is False: then only read)."""
    if serial is not None:
        # A manual check-in from the search: the device is authenticated, the serial its pick.
        return ticket_codes.Claim(kind=kind, event_id=device.event_id, serial=serial)
    if not verify:
        return ticket_codes.read_claim(secret)
    return verify_secret(secret, device.event)
