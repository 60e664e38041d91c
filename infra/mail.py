"""Addresses as mail leaves the platform: internationalised domains in IDNA 2008 (UTS 46).

Django encodes a non-ASCII domain with Python's "idna" codec, which is IDNA 2003: it maps
"ß" to "ss", so "anna@straße.de" would go to strasse.de, another domain. Mail clients and
registries use IDNA 2008 with the UTS 46 mapping today ("straße.de" is "xn--strae-oqa.de").
Every message is built with `ascii_address`, so Django only ever sees ASCII domains.
"""

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
