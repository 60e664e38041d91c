"""A small vCard 4.0 writer (RFC 6350): one card per contact, UTF-8, CRLF, lines folded at
75 octets, text values escaped. Pure: no database, no Django."""

from collections.abc import Iterable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Card:
    name: str
    email: str = ""
    note: str = ""
    categories: list[str] = field(default_factory=list)
    organisation: str = ""


def escape(value: str) -> str:
    """A TEXT value: backslash, comma, semicolon and line breaks escaped."""
    return (
        str(value)
        .replace("\\", "\\\\")
        .replace(",", "\\,")
        .replace(";", "\\;")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def fold(line: str) -> str:
    """Fold a content line at 75 octets (never inside a UTF-8 character)."""
    out, current, size = [], "", 0
    for char in line:
        width = len(char.encode())
        if size + width > 75:
            out.append(current)
            current, size = " ", 1
        current += char
        size += width
    out.append(current)
    return "\r\n".join(out)


def card_lines(card: Card) -> list[str]:
    name = card.name or card.email
    lines = ["BEGIN:VCARD", "VERSION:4.0", f"FN:{escape(name)}"]
    parts = name.rsplit(" ", 1)
    family, given = (parts[1], parts[0]) if len(parts) == 2 else (name, "")
    lines.append(f"N:{escape(family)};{escape(given)};;;")
    if card.email:
        lines.append(f"EMAIL;TYPE=home:{escape(card.email)}")
    if card.organisation:
        lines.append(f"ORG:{escape(card.organisation)}")
    if card.categories:
        lines.append("CATEGORIES:" + ",".join(escape(tag) for tag in card.categories))
    if card.note:
        lines.append(f"NOTE:{escape(card.note)}")
    lines.append("END:VCARD")
    return [fold(line) for line in lines]


def vcards(cards: Iterable[Card]) -> bytes:
    """The cards as one .vcf file."""
    lines = []
    for card in cards:
        lines.extend(card_lines(card))
    return ("\r\n".join(lines) + "\r\n").encode() if lines else b""


def parse_names(data: bytes) -> list[tuple[str, str]]:
    """(FN, EMAIL) of every card in a .vcf file (unfolded): for tests and round trips."""
    text = data.decode().replace("\r\n ", "")
    found, name, email = [], "", ""
    for line in text.split("\r\n"):
        if line == "BEGIN:VCARD":
            name, email = "", ""
        elif line.startswith("FN:"):
            name = line[3:]
        elif line.startswith("EMAIL"):
            email = line.split(":", 1)[1]
        elif line == "END:VCARD":
            found.append((name, email))
    return found
