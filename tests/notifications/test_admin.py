"""The back office: an organiser sets an event's reminder plan; other tenants see nothing."""

import pytest

from notifications.models import ReminderPlan
from tests.factories import EventFactory, MembershipFactory

from .factories import write_test_message

pytestmark = pytest.mark.django_db


def test_organiser_sets_a_reminder_plan_and_sees_only_own_messages_in_admin(client):
    event = EventFactory()
    mine = write_test_message(to_email="mine@example.org", event=event)
    other = write_test_message(to_email="other@example.org", event=EventFactory())
    user = MembershipFactory(organisation=event.organisation, user__is_staff=True).user
    client.force_login(user)

    response = client.post(
        "/admin/notifications/reminderplan/add/",
        {
            "event": event.pk,
            "offsets": '{"visitors": ["2d", "3h"]}',
            "what_to_bring_de": "Lebenslauf",
            "what_to_bring_en": "CV",
        },
    )
    assert response.status_code == 302, response.text[:2000]
    assert ReminderPlan.objects.get(event=event).offsets == {"visitors": ["2d", "3h"]}

    listing = client.get("/admin/notifications/message/")
    assert "mine@example.org" in listing.text
    assert "other@example.org" not in listing.text
    assert client.get(f"/admin/notifications/message/{other.pk}/change/").status_code in (302, 404)
    assert client.get(f"/admin/notifications/message/{mine.pk}/change/").status_code == 200
