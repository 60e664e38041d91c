"""Addresses as mail leaves the platform: internationalised domains in IDNA 2008 (UTS 46).

Django encodes a non-ASCII domain with Python's "idna" codec, which is IDNA 2003: it maps
"ß" to "ss", so "anna@straße.de" would go to strasse.de, another domain. Mail clients and
registries use IDNA 2008 with the UTS 46 mapping today ("straße.de" is "xn--strae-oqa.de").
Every message is built with `ascii_address`, so Django only ever sees ASCII domains.
"""

import functools
import random
import re
import sys

import idna


def ascii_domain(domain: str) -> str:
    """The domain as DNS knows it (punycode by IDNA 2008/UTS 46); ASCII domains unchanged."""
    if domain.isascii():
        return domain
    try:
        return idna.encode(domain, uts46=True).decode("ascii")
    except idna.IDNAError:  # not a valid name: left to the SMTP server to refuse
        return domain


def ascii_address(address: str) -> str:
    """`address` ("a@b" or "Name <a@b>") with its domain in ASCII."""
    head, at, tail = address.rpartition("@")
    if not at:
        return address
    domain = tail.rstrip(">").strip()
    return f"{head}@{tail.replace(domain, ascii_domain(domain), 1)}"


# --- The bytes of a message, made without the email package's generator ------------------
#
# Django builds a MIME tree (EmailMessage.message()) and serialises it with the email
# package's generator, which re-folds every header of every part: for the outbox's mails
# that cost more CPU than composing and sending them. `message_bytes` writes the same bytes
# for the one shape the outbox sends (a text body and one HTML alternative, no attachments,
# no Cc/Reply-To): every value goes through the functions Django and the generator use
# (forbid_multi_line_headers, compat32's fold_binary, the generator's boundary), in the same
# order, so even the random boundary and Message-ID are drawn alike. Anything else returns
# None and goes the Django way. tests/notifications/test_mail_bytes.py compares both.

_HANDLED_ELSEWHERE = frozenset(
    {"from", "to", "cc", "reply-to", "date", "message-id", "subject", "mime-version"}
    | {"content-type", "content-transfer-encoding"}
)


# Headers whose values repeat from mail to mail (folded once); the others are folded each time.
_REPEATED = frozenset({"Subject", "From", "Date", "Auto-Submitted"})


@functools.cache
def _policy():
    from email import policy

    return policy.compat32.clone(linesep="\r\n")


@functools.lru_cache(maxsize=4096)
def _folded(name: str, value: str) -> bytes:
    # A header as the generator writes it (compat32, CRLF); constant ones are folded once.
    return _policy().fold_binary(name, value)


# An address Django's sanitize_address gives back unchanged: a dot-atom local part, a
# domain of ASCII labels of 1 to 63 characters (tests/notifications/test_mail_bytes.py).
_PLAIN_ADDRESS = re.compile(
    r"[A-Za-z0-9_+-]+(?:\.[A-Za-z0-9_+-]+)*@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63})*\Z"
)


def sanitized_address(address: str, encoding: str) -> str:
    """django.core.mail.message.sanitize_address(address, encoding), without parsing an
    address it would give back unchanged; others are parsed once (the sender of every mail)."""
    if isinstance(address, str) and _PLAIN_ADDRESS.match(address):
        return address
    return _sanitized(address, encoding)


@functools.lru_cache(maxsize=256)
def _sanitized(address: str, encoding: str) -> str:
    from django.core.mail.message import sanitize_address

    return sanitize_address(address, encoding)


def _text_part(subtype: str, text: str) -> bytes | None:
    from django.core.mail.message import RFC5322_EMAIL_LINE_LENGTH_LIMIT

    data = text.encode("utf-8")
    if any(len(line) > RFC5322_EMAIL_LINE_LENGTH_LIMIT for line in data.splitlines()):
        return None  # Django switches to quoted-printable: left to it
    lines = _NEWLINES.split(data)
    body = b"\r\n".join(lines)  # the generator's _write_lines: every line ending as CRLF
    return b"".join(
        [
            _folded("Content-Type", f'text/{subtype}; charset="utf-8"'),
            _folded("MIME-Version", "1.0"),
            _folded("Content-Transfer-Encoding", "7bit" if data.isascii() else "8bit"),
            b"\r\n",
            body,
        ]
    )


_NEWLINES = re.compile(rb"\r\n|\r|\n")
_BOUNDARY_WIDTH = len(repr(sys.maxsize - 1))  # as email.generator: 19 digits


def _make_boundary(text: bytes) -> str:
    """email.generator.BytesGenerator._make_boundary(text): the same random draw and the same
    check that no line of `text` is the boundary, with the regular expression (new for every
    boundary, so compiled every time) only tried when the boundary occurs in the text at all."""
    token = random.randrange(sys.maxsize)  # noqa: S311 - the generator's draw, not a secret
    boundary = ("=" * 15) + f"{token:0{_BOUNDARY_WIDTH}d}" + "=="
    candidate, counter = boundary, 0
    while f"--{candidate}".encode("ascii") in text and re.search(
        ("^--" + re.escape(candidate) + "(--)?$").encode("ascii"), text, re.MULTILINE
    ):
        candidate, counter = f"{boundary}.{counter}", counter + 1
    return candidate


def message_bytes(email) -> bytes | None:
    """`email.message().as_bytes(linesep="\\r\\n")`, as Django's SMTP backend sends it, for
    an EmailMultiAlternatives with a text body and one HTML alternative; None for any other
    shape (the caller then lets Django build it)."""
    from email.utils import formatdate, make_msgid

    from django.conf import settings
    from django.core.mail import EmailMultiAlternatives
    from django.core.mail.message import forbid_multi_line_headers
    from django.core.mail.utils import DNS_NAME

    if (
        type(email) is not EmailMultiAlternatives
        or email.encoding is not None
        or settings.DEFAULT_CHARSET != "utf-8"
        or email.attachments
        or email.cc
        or email.reply_to
        or not email.body
        or not isinstance(email.body, str)
        or len(email.alternatives) != 1
        or email.alternatives[0].mimetype != "text/html"
        or not isinstance(email.alternatives[0].content, str)
        or any(str(name).lower() in _HANDLED_ELSEWHERE for name in email.extra_headers)
    ):
        return None
    text = _text_part("plain", email.body)
    html = _text_part("html", email.alternatives[0].content)
    if text is None or html is None:
        return None
    headers = [("Subject", email.subject), ("From", email.from_email)]
    if email.to:
        headers.append(("To", ", ".join(str(v) for v in email.to)))
    # Drawn in Django's order: the date, the Message-ID, then (serialising) the boundary.
    headers.append(("Date", formatdate(localtime=settings.EMAIL_USE_LOCALTIME)))
    headers.append(("Message-ID", make_msgid(domain=DNS_NAME)))
    headers.extend(email.extra_headers.items())
    head = []
    for name, value in headers:
        name, value = forbid_multi_line_headers(name, value, "utf-8")
        fold = _folded if name in _REPEATED else _policy().fold_binary
        head.append(fold(name, value))
    boundary = _make_boundary(b"\r\n".join([text, html]))
    return b"".join(
        [
            _policy().fold_binary("Content-Type", f'multipart/alternative; boundary="{boundary}"'),
            _folded("MIME-Version", "1.0"),
            *head,
            b"\r\n",
            f"--{boundary}\r\n".encode(),
            text,
            f"\r\n--{boundary}\r\n".encode(),
            html,
            f"\r\n--{boundary}--\r\n".encode(),
        ]
    )


def send_over(connection, email) -> None:
    """`email.send()` over an open connection of Django's SMTP backend, with the bytes made
    by message_bytes where it can (any other backend, or shape, is left to Django)."""
    from django.conf import settings
    from django.core.mail.backends.smtp import EmailBackend

    raw = None
    # (A backend opened with fail_silently swallows SMTP errors: left to Django as well.)
    if (
        type(connection) is EmailBackend
        and connection.connection is not None
        and not connection.fail_silently
    ):
        raw = message_bytes(email)
    if raw is None:
        email.send()
        return
    if not email.recipients():
        return  # as Django: nobody to send to
    encoding = email.encoding or settings.DEFAULT_CHARSET
    sender = sanitized_address(email.from_email, encoding)
    # SMTPException propagates as from Django's backend opened with fail_silently=False.
    connection.connection.sendmail(
        sender, [sanitized_address(a, encoding) for a in email.recipients()], raw
    )
