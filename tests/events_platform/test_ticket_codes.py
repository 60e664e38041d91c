"""Signed ticket secrets: genuine ones verify, every alteration and forgery fails."""

import base64
import random

import pytest

from events_platform import services, ticket_codes
from tests.factories import EventFactory


@pytest.mark.django_db
def test_secret_round_trips_and_is_compact():
    event = EventFactory()
    serial = ticket_codes.new_serial()
    secret = services.issue_ticket_secret(event=event, kind=ticket_codes.Kind.TICKET, serial=serial)
    assert len(secret) == 125
    assert set(secret) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")
    claim = services.verify_ticket_secret(secret)
    assert claim == ticket_codes.Claim(
        kind=ticket_codes.Kind.TICKET, event_id=event.pk, serial=serial
    )


@pytest.mark.django_db
def test_mutated_secrets_all_fail():
    event = EventFactory()
    secret = services.issue_ticket_secret(event=event, kind=ticket_codes.Kind.TICKET, serial=42)
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
    rng = random.Random(1)
    failures = 0
    for _ in range(10_000):
        chars = list(secret)
        position = rng.randrange(len(chars))
        chars[position] = rng.choice(alphabet.replace(chars[position], ""))
        mutated = "".join(chars)
        try:
            services.verify_ticket_secret(mutated)
        except ticket_codes.InvalidSecret:
            failures += 1
    assert failures == 10_000


@pytest.mark.django_db
def test_the_second_spelling_of_a_secret_is_refused():
    """Base32 leaves the last character's spare bit unread: set, it spells the same bytes."""
    event = EventFactory()
    secret = services.issue_ticket_secret(event=event, kind=ticket_codes.Kind.TICKET, serial=9)
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
    twin = secret[:-1] + alphabet[alphabet.index(secret[-1]) | 1]
    assert twin != secret
    assert ticket_codes.decode(twin[:-1] + secret[-1]) == ticket_codes.decode(secret)
    with pytest.raises(ticket_codes.InvalidSecret):
        services.verify_ticket_secret(twin)


def test_decoding_gives_the_bytes_base32_holds():
    rng = random.Random(5)
    for _ in range(500):
        raw = rng.randbytes(ticket_codes.SECRET_LENGTH)
        text = ticket_codes.encode(raw)
        assert ticket_codes.decode(text) == raw == base64.b32decode(text + "===")
        assert ticket_codes.decode(text.lower()) == raw


# Not in base32, but some are digits to int() (other scripts' too), a sign, a separator.
@pytest.mark.parametrize("character", ["0", "1", "8", "9", "=", "_", "+", "-", "!", "٣", "Ａ"])
def test_a_character_outside_base32_is_refused(character):
    text = ticket_codes.encode(bytes(range(ticket_codes.SECRET_LENGTH)))
    for position in (0, 1, 60, 124):
        altered = text[:position] + character + text[position + 1 :]
        with pytest.raises(ticket_codes.InvalidSecret):
            ticket_codes.decode(altered)


@pytest.mark.django_db
def test_secret_of_another_event_does_not_verify_with_this_key():
    first, second = EventFactory(), EventFactory()
    secret = services.issue_ticket_secret(event=first, kind=ticket_codes.Kind.TICKET, serial=7)
    public_of_second = services.event_public_key(services.get_signing_key(event=second).event_id)
    with pytest.raises(ticket_codes.InvalidSecret):
        ticket_codes.verify(secret, public_key=public_of_second)


@pytest.mark.parametrize("text", ["", "hello", "A" * 125, "!" * 125, "0" * 125])
@pytest.mark.django_db
def test_unreadable_text_is_refused(text):
    with pytest.raises(ticket_codes.InvalidSecret):
        services.verify_ticket_secret(text)


@pytest.mark.django_db
def test_a_new_key_replaces_one_cached_for_an_earlier_event_with_the_same_id():
    from django.core.cache import cache

    event = EventFactory()
    _other_private, other_public = ticket_codes.generate_keypair()
    # What a rebuilt database leaves behind: a key cached for an event of the same id.
    cache.set(f"ticket-public-key:{event.pk}", other_public, timeout=60)
    secret = services.issue_ticket_secret(event=event, kind=ticket_codes.Kind.TICKET, serial=9)
    assert services.verify_ticket_secret(secret).serial == 9


@pytest.mark.django_db
def test_an_events_private_key_is_decrypted_once_and_anew_under_another_encryption_key(
    settings, monkeypatch
):
    from cryptography.fernet import InvalidToken

    event = EventFactory()
    decrypted = []
    original = ticket_codes.Fernet.decrypt

    def counting(self, token, *args):
        decrypted.append(token)
        return original(self, token, *args)

    monkeypatch.setattr(ticket_codes.Fernet, "decrypt", counting)
    first = services.issue_ticket_secret(event=event, kind=ticket_codes.Kind.TICKET, serial=1)
    second = services.issue_ticket_secret(event=event, kind=ticket_codes.Kind.TICKET, serial=2)
    assert len(decrypted) == 1
    assert [services.verify_ticket_secret(s).serial for s in (first, second)] == [1, 2]

    # Another encryption key cannot read the stored private key: nothing is signed with
    # the one decrypted before.
    settings.TICKET_KEY_ENCRYPTION_KEY = "ein ganz anderer Schlüssel"
    with pytest.raises(InvalidToken):
        services.issue_ticket_secret(event=event, kind=ticket_codes.Kind.TICKET, serial=3)
    assert len(decrypted) == 2


def test_a_ticket_number_is_printed_in_groups_the_door_reads_back():
    from checkin.queries import printed_serial
    from events_platform.ticket_codes import printed_number

    printed = printed_number(7841769771956646957)

    assert printed == "7841\u00a07697\u00a07195\u00a06646\u00a0957"
    assert printed_serial(printed) == 7841769771956646957
    assert printed_serial(printed.replace("\u00a0", " ")) == 7841769771956646957
