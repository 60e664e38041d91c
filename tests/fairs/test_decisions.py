"""The organiser's decision on a stand request: the message typed with it is kept on the
booking, shown on the company's page and mailed (escaped); a refused decision keeps it."""

import re

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from fairs.models import StandBooking
from notifications import outbox
from notifications.models import Message, Purpose
from tests.factories import MembershipFactory

from .factories import CompanyMemberFactory, StandBookingFactory

pytestmark = pytest.mark.django_db

NOTE = 'Stand A7 liegt direkt am Eingang. Bitte <b>Strom</b> & "Tische" mitbringen.'


def _deliver_and_read(mailbox, purpose) -> tuple[str, str]:
    message = Message.objects.get(purpose=purpose)
    assert outbox.deliver_messages(message_ids=[message.pk])["sent"] == 1
    [mail] = mailbox.wait_for(1)
    text = mail.get_body(preferencelist=("plain",)).get_content()
    html = mail.get_body(preferencelist=("html",)).get_content()
    return text, html


def _organiser_of(booking):
    return MembershipFactory(organisation=booking.fair.event.organisation).user


def _company_page(client, booking) -> str:
    client.force_login(CompanyMemberFactory(company=booking.company).user)
    return client.get(reverse("fairs:booking-detail", args=[booking.pk])).content.decode()


def test_message_typed_on_approving_in_the_form_is_stored_shown_and_mailed(client, mailbox):
    booking = StandBookingFactory()
    client.force_login(_organiser_of(booking))
    response = client.post(
        reverse("fairs:organiser-decide", args=[booking.pk]),
        {"action": "approve", "message": NOTE},
    )
    assert response.status_code == 302
    booking.refresh_from_db()
    assert booking.status == StandBooking.Status.APPROVED
    assert booking.decision_message == NOTE

    text, html = _deliver_and_read(mailbox, Purpose.BOOKING_APPROVED)
    assert NOTE in text
    assert "Bitte &lt;b&gt;Strom&lt;/b&gt; &amp; &quot;Tische&quot; mitbringen." in html
    assert "<b>Strom</b>" not in html

    page = _company_page(client, booking)
    assert "Bitte &lt;b&gt;Strom&lt;/b&gt; &amp; &quot;Tische&quot; mitbringen." in page


def test_message_sent_with_an_approval_through_the_api_is_stored_shown_and_mailed(client, mailbox):
    booking = StandBookingFactory()
    api = APIClient()
    api.force_authenticate(_organiser_of(booking))
    response = api.post(
        f"/api/fairs/organiser/bookings/{booking.pk}/approve/", {"message": NOTE}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["decision_message"] == NOTE
    text, _html = _deliver_and_read(mailbox, Purpose.BOOKING_APPROVED)
    assert "Nachricht des Veranstalters" in text and NOTE in text
    assert "Strom&lt;/b&gt;" in _company_page(client, booking)


def test_an_approval_without_a_message_mails_no_empty_message_line(mailbox):
    booking = StandBookingFactory()
    api = APIClient()
    api.force_authenticate(_organiser_of(booking))
    api.post(f"/api/fairs/organiser/bookings/{booking.pk}/approve/")
    text, _html = _deliver_and_read(mailbox, Purpose.BOOKING_APPROVED)
    assert "Nachricht des Veranstalters" not in text


def test_a_rejection_without_a_reason_and_a_too_long_message_keep_what_was_typed(client):
    booking = StandBookingFactory()
    client.force_login(_organiser_of(booking))
    url = reverse("fairs:organiser-decide", args=[booking.pk])
    empty = client.post(url, {"action": "reject", "message": "   "})
    assert empty.status_code == 200
    assert "Bitte nennen Sie der Firma den Grund." in empty.content.decode()
    long = "x" * 2001
    too_long = client.post(url, {"action": "reject", "message": long})
    assert too_long.status_code == 200
    assert f">{long}</textarea>" in too_long.content.decode()
    booking.refresh_from_db()
    assert booking.status == StandBooking.Status.REQUESTED


def test_a_refused_cancellation_keeps_the_reason_in_its_field(client):
    booking = StandBookingFactory(status=StandBooking.Status.APPROVED)
    client.force_login(_organiser_of(booking))
    response = client.post(
        reverse("fairs:organiser-decide", args=[booking.pk]),
        {"action": "cancel", "message": "x" * 2001},
    )
    assert response.status_code == 200
    assert f'value="{"x" * 2001}"' in response.content.decode()


def test_organiser_page_styles_the_reason_field_and_shows_no_selection_legend(client):
    booking = StandBookingFactory(status=StandBooking.Status.APPROVED)
    client.force_login(_organiser_of(booking))
    page = client.get(reverse("fairs:organiser-fair", args=[booking.fair.event.slug]))
    html = page.content.decode()
    reason = re.search(rf'<input [^>]*id="cancel-{booking.pk}"[^>]*>', html).group(0)
    assert 'class="kern-form-input__input"' in reason
    assert f'<label class="kern-label" for="cancel-{booking.pk}">Grund</label>' in html
    # Organisers select nothing on the plan: the legend has no "your choice" line.
    assert "Ihre Auswahl" not in html and "dicker Rahmen" not in html

    client.force_login(CompanyMemberFactory().user)
    book = client.get(reverse("fairs:stand-book", args=[booking.fair.event.slug]))
    assert "Ihre Auswahl: dicker Rahmen" in book.content.decode()
