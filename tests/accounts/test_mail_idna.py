"""Internationalised domains leave in IDNA 2008 (UTS 46), as mail clients send them today:
"straße.de" is "xn--strae-oqa.de", not "strasse.de" (IDNA 2003), which is another domain."""

import pytest

from accounts import password_reset
from infra.mail import ascii_address
from notifications import outbox
from tests.factories import UserFactory
from tests.notifications.factories import write_test_message

pytestmark = pytest.mark.django_db(transaction=True)


def test_addresses_get_their_domain_in_idna_2008():
    assert ascii_address("anna@straße.de") == "anna@xn--strae-oqa.de"
    assert ascii_address("Anna Groß <anna@straße.de>") == "Anna Groß <anna@xn--strae-oqa.de>"
    assert ascii_address("jörg@bücher.example") == "jörg@xn--bcher-kva.example"
    assert ascii_address("anna@example.org") == "anna@example.org"


def test_an_outbox_mail_to_a_domain_with_sharp_s_arrives_at_that_domain(mailbox):
    message = write_test_message(to_email="anna@straße.de")

    assert outbox.deliver_messages(message_ids=[message.pk])["sent"] == 1

    (mail,) = mailbox.wait_for(1)
    assert mail["To"] == "anna@xn--strae-oqa.de"


def test_a_password_reset_mail_to_a_domain_with_sharp_s_arrives_at_that_domain(mailbox):
    user = UserFactory(username="idn-reset", email="anna@straße.de")

    assert password_reset.send_reset_mail(user_id=user.pk, language="de")

    (mail,) = mailbox.wait_for(1)
    assert mail["To"] == "anna@xn--strae-oqa.de"
