"""Encrypted tokens for links that must not show what they stand for (an e-mail address).

The key is derived per purpose from DJANGO_SECRET_KEY. To rotate it, set a new
DJANGO_SECRET_KEY and move the old one to DJANGO_SECRET_KEY_FALLBACKS: links made with the
old key keep working until it is removed from the fallbacks, then they all answer 404. Django's
signed links (pairing, company confirmation and invitation) follow the same two settings.
"""

import base64
import hashlib
from datetime import datetime

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings

__all__ = ["InvalidToken", "open_token", "seal"]


def _box(purpose: str) -> MultiFernet:
    keys = [settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS]
    return MultiFernet(
        [
            Fernet(base64.urlsafe_b64encode(hashlib.sha256(f"{purpose}:{key}".encode()).digest()))
            for key in keys
        ]
    )


def seal(purpose: str, payload: bytes, *, now: datetime) -> str:
    """`payload` encrypted and authenticated with the current key for `purpose`."""
    return _box(purpose).encrypt_at_time(payload, int(now.timestamp())).decode()


def open_token(purpose: str, token: str, *, now: datetime, ttl_seconds: int | None = None) -> bytes:
    """The payload of a sealed token; raises InvalidToken if forged, made for another purpose,
    made with a key no longer kept, or older than `ttl_seconds`."""
    box = _box(purpose)
    if ttl_seconds is None:
        return box.decrypt(token.encode())
    return box.decrypt_at_time(token.encode(), ttl=ttl_seconds, current_time=int(now.timestamp()))
