"""The one signed-ticket mechanism, for visitor tickets and exhibitor staff passes alike.

A ticket secret is `payload || signature`, base32 without padding (QR alphanumeric mode):

    payload   = version (1 byte) | kind (1 byte) | event id (4 bytes) | serial (8 bytes)
    signature = Ed25519 over the payload with the event's private key (64 bytes)

78 bytes make 125 characters, which fit a version 6 QR code at error correction M in
alphanumeric mode (41 × 41 modules): large modules that a phone reads fast from a screen.
The server signs; scanners only hold the public key, so a lost phone leaks nothing that
can mint tickets.
Revocation (a cancelled ticket) is the database's or the offline ticket list's business:
a valid signature says "we issued this", not "it is still valid".

These are pure functions over bytes, apart from the key lookup in `event_keypair`.
"""

import base64
import functools
import hashlib
import secrets
import struct
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.fernet import Fernet
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from django.conf import settings

VERSION = 1
_PAYLOAD = struct.Struct(">BBIQ")  # version, kind, event id, serial
SIGNATURE_LENGTH = 64
SECRET_LENGTH = _PAYLOAD.size + SIGNATURE_LENGTH


class Kind:
    """What a secret admits: a visitor's ticket or an exhibitor's staff pass."""

    TICKET = 1
    STAFF_PASS = 2


class InvalidSecret(ValueError):
    """The text is not a ticket secret we issued (unreadable, altered or forged)."""


@dataclass(frozen=True)
class Claim:
    """What a verified secret says."""

    kind: int
    event_id: int
    serial: int


def new_serial() -> int:
    """A random 63-bit serial: unguessable, and it fits a signed 64-bit database column."""
    return secrets.randbits(63)


def printed_number(serial: int) -> str:
    """A ticket number as a person reads it: 19 digits in groups of four, joined by no-break
    spaces so that it never parts at a line's end ("7841 7697 7195 6646 957"). The door's
    search takes it back with or without the spaces (checkin.queries.printed_serial)."""
    digits = str(serial)
    return "\u00a0".join(digits[i : i + 4] for i in range(0, len(digits), 4))


def _fernet() -> Fernet:
    material = settings.TICKET_KEY_ENCRYPTION_KEY
    return Fernet(base64.urlsafe_b64encode(hashlib.sha256(material.encode()).digest()))


def generate_keypair() -> tuple[bytes, bytes]:
    """A new Ed25519 key pair: (encrypted private key, raw 32-byte public key)."""
    private = Ed25519PrivateKey.generate()
    raw_private = private.private_bytes_raw()
    public = private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    return _fernet().encrypt(raw_private), public


def _private_key(encrypted: bytes) -> Ed25519PrivateKey:
    return _decrypted_key(settings.TICKET_KEY_ENCRYPTION_KEY, bytes(encrypted))


@functools.lru_cache(maxsize=256)
def _decrypted_key(material: str, encrypted: bytes) -> Ed25519PrivateKey:
    """The private key in `encrypted`, decrypted once per process: a rush signs every
    ticket of an event with the same key, and decrypting it each time cost a tenth of a
    millisecond. Keyed by the encryption key too, so a changed setting decrypts anew."""
    return Ed25519PrivateKey.from_private_bytes(_fernet().decrypt(encrypted))


def encode(raw: bytes) -> str:
    return base64.b32encode(raw).decode("ascii").rstrip("=")


_BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
_SECRET_TEXT_LENGTH = -(-SECRET_LENGTH * 8 // 5)  # 125 characters of 5 bits
# The last character carries bits beyond the secret's bytes: they must be zero, so that
# exactly one text is valid for each ticket.
_SPARE_BITS = _SECRET_TEXT_LENGTH * 5 - SECRET_LENGTH * 8
# Decoding reads the text as one base-32 number: each base32 letter becomes the digit of
# its value ("A" is "0", "7" is "V"), and every other ASCII character becomes "!", which no
# number has. (base64.b32decode gives the same bytes, in ten times the time.)
_NOT_BASE32 = "!"
_AS_DIGITS = str.maketrans(
    dict.fromkeys(range(128), _NOT_BASE32)
    | {ord(letter): "0123456789ABCDEFGHIJKLMNOPQRSTUV"[n] for n, letter in enumerate(_BASE32)}
)


def canonical(text: str) -> str:
    """The one spelling of a secret as issued: upper case, without white space."""
    return "".join(text.split()).upper()


def decode(text: str) -> bytes:
    cleaned = canonical(text)
    if len(cleaned) != _SECRET_TEXT_LENGTH:
        raise InvalidSecret("length")
    # ASCII first: int() would also take other scripts' digits, which the table leaves be.
    digits = cleaned.translate(_AS_DIGITS) if cleaned.isascii() else _NOT_BASE32
    if _NOT_BASE32 in digits:
        raise InvalidSecret("encoding")
    number = int(digits, 32)
    if number & ((1 << _SPARE_BITS) - 1):
        raise InvalidSecret("encoding")
    return (number >> _SPARE_BITS).to_bytes(SECRET_LENGTH, "big")


def sign(*, private_key_encrypted: bytes, kind: int, event_id: int, serial: int) -> str:
    """The secret for (kind, event, serial), signed with the event's private key."""
    payload = _PAYLOAD.pack(VERSION, kind, event_id, serial)
    signature = _private_key(private_key_encrypted).sign(payload)
    return encode(payload + signature)


def parse(secret: str) -> tuple[Claim, bytes]:
    """The unverified claim inside a secret and the secret's bytes; raises InvalidSecret."""
    raw = decode(secret)
    version, kind, event_id, serial = _PAYLOAD.unpack(raw[: _PAYLOAD.size])
    if version != VERSION or kind not in (Kind.TICKET, Kind.STAFF_PASS):
        raise InvalidSecret("version")
    return Claim(kind=kind, event_id=event_id, serial=serial), raw


def read_claim(secret: str) -> Claim:
    """The unverified claim inside a secret (to find the key); raises InvalidSecret."""
    return parse(secret)[0]


def check_signature(raw: bytes, public_key: Ed25519PublicKey) -> None:
    """Raise InvalidSecret unless the secret's bytes carry the key's signature."""
    try:
        public_key.verify(raw[_PAYLOAD.size :], raw[: _PAYLOAD.size])
    except InvalidSignature as error:
        raise InvalidSecret("signature") from error


def verify(secret: str, *, public_key: bytes) -> Claim:
    """The claim of a secret whose signature checks out with `public_key`; else InvalidSecret."""
    claim, raw = parse(secret)
    check_signature(raw, Ed25519PublicKey.from_public_bytes(bytes(public_key)))
    return claim


def public_key_text(public_key: bytes) -> str:
    """The public key as base64url text, the form scanners receive."""
    return base64.urlsafe_b64encode(bytes(public_key)).decode("ascii").rstrip("=")
