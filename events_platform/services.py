"""Core use cases shared by the apps: the signing of ticket secrets."""

import contextlib

from django.core.cache import cache
from django.db import IntegrityError, transaction
from redis.exceptions import RedisError

from . import ticket_codes
from .models import Event, EventSigningKey


def get_signing_key(*, event: Event) -> EventSigningKey:
    """The event's signing key, made on first use (safe when two requests race)."""
    try:
        return EventSigningKey.objects.get(event=event)
    except EventSigningKey.DoesNotExist:
        private, public = ticket_codes.generate_keypair()
        try:
            with transaction.atomic():
                key = EventSigningKey.objects.create(
                    event=event, public_key=public, private_key_encrypted=private
                )
        except IntegrityError:
            return EventSigningKey.objects.get(event=event)
        # A rebuilt database reuses event ids: forget a key cached for an earlier event.
        with contextlib.suppress(RedisError, OSError):
            cache.delete(_public_key_cache_key(event.pk))
        return key


def issue_ticket_secret(*, event: Event, kind: int, serial: int) -> str:
    """A signed secret for a ticket or staff pass of `event` with the given serial."""
    key = get_signing_key(event=event)
    return ticket_codes.sign(
        private_key_encrypted=key.private_key_encrypted,
        kind=kind,
        event_id=event.pk,
        serial=serial,
    )


def _public_key_cache_key(event_id: int) -> str:
    return f"ticket-public-key:{event_id}"


def _stored_public_key(event_id: int) -> bytes | None:
    public = (
        EventSigningKey.objects.filter(event_id=event_id)
        .values_list("public_key", flat=True)
        .first()
    )
    return bytes(public) if public is not None else None


def event_public_key(event_id: int) -> bytes | None:
    """The event's public key (cached; read from the database while the cache is down), or
    None when the event has no key."""
    cache_key = _public_key_cache_key(event_id)
    try:
        public = cache.get(cache_key)
    except (RedisError, OSError):
        return _stored_public_key(event_id)
    if public is None:
        public = _stored_public_key(event_id)
        if public is None:
            return None
        with contextlib.suppress(RedisError, OSError):
            cache.set(cache_key, public, timeout=3600)
    return public


def verify_ticket_secret(secret: str) -> ticket_codes.Claim:
    """The claim of a genuine secret; raises ticket_codes.InvalidSecret. Never writes, and
    reads the database only for an event whose key is not cached yet."""
    claim = ticket_codes.read_claim(secret)
    public = event_public_key(claim.event_id)
    if public is None:
        raise ticket_codes.InvalidSecret("unknown_event")
    return ticket_codes.verify(secret, public_key=public)
