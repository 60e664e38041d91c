"""Organisers hear that an event or a time slot is full whichever way its last place was
taken: a visitor's registration on the page or through the API, the organiser's own
addition, a waiting-list offer and its acceptance, a class that grows or moves. One alert
per event or slot and day."""

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from events_platform.models import Membership
from notifications.models import Message, OrganiserAlert, OrganiserAlertSetting, Purpose
from tests.factories import EventFactory, MembershipFactory, TimeSlotFactory, UserFactory
from ticketing import services

from .factories import FairFactory, person

pytestmark = pytest.mark.django_db


def _organiser(event):
    membership = MembershipFactory(
        organisation=event.organisation,
        role=Membership.Role.ORGANISER_ADMIN,
        user=UserFactory(email=f"orga{event.pk}@example.org"),
    )
    OrganiserAlertSetting.objects.create(
        membership=membership, mode=OrganiserAlertSetting.Mode.AT_ONCE
    )
    return membership.user


def _full_mails(user) -> list[Message]:
    return list(Message.objects.filter(purpose=Purpose.ORGANISER_ALERT, to_email=user.email))


def _class(event, n, *, pupils, slot=None):
    data = person(n, school=f"Schule {n}", grade="9", pupils=pupils, adults=0)
    data.time_slot_id = slot.pk if slot else None
    return services.register(event=event, data=data, now=timezone.now())


def test_the_api_registration_that_takes_the_last_place_alerts():
    event = EventFactory(capacity=1, title_de="Tag der offenen Tür")
    organiser = _organiser(event)
    response = APIClient().post(
        f"/api/tickets/events/{event.slug}/register/",
        {"name": "Anna", "email": "anna@example.org", "privacy_consent": True},
        format="json",
    )
    assert response.status_code == 201
    [mail] = _full_mails(organiser)
    assert mail.subject.startswith("Ausgebucht: Tag der offenen Tür")


def test_the_organisers_own_addition_that_fills_the_event_alerts(client):
    event = EventFactory(capacity=2)
    organiser = _organiser(event)
    services.register(event=event, data=person(1), now=timezone.now())
    assert _full_mails(organiser) == []
    client.force_login(organiser)
    response = client.post(
        reverse("ticketing:organiser-add", kwargs={"event_id": event.pk}),
        {"name": "Telefon Anmeldung", "email": "tel@example.org", "privacy_consent": "on"},
    )
    assert response.status_code == 302
    assert len(_full_mails(organiser)) == 1


def test_a_waiting_list_offer_and_its_acceptance_alert_once():
    event = EventFactory(capacity=1)
    organiser = _organiser(event)
    first = services.register(event=event, data=person(1), now=timezone.now())
    waiting = services.register(event=event, data=person(2), now=timezone.now())
    assert waiting.status == "waitlisted"
    OrganiserAlert.objects.all().delete()  # the first fill is old news; now it frees up
    Message.objects.all().delete()

    services.cancel_registration(registration=first, now=timezone.now())
    waiting.refresh_from_db()
    assert waiting.status == "offered"
    [mail] = _full_mails(organiser)  # the offer took the freed place: full again
    assert "Die Veranstaltung ist ausgebucht." in mail.body_text

    services.accept_offer(registration=waiting, now=timezone.now())
    waiting.refresh_from_db()
    assert waiting.status == "confirmed"
    assert len(_full_mails(organiser)) == 1  # the same fullness, not a second mail


def test_an_acceptance_that_fills_the_event_alerts_even_without_an_earlier_alert():
    event = EventFactory(capacity=1)
    organiser = _organiser(event)
    first = services.register(event=event, data=person(1), now=timezone.now())
    waiting = services.register(event=event, data=person(2), now=timezone.now())
    services.cancel_registration(registration=first, now=timezone.now())
    OrganiserAlert.objects.all().delete()
    Message.objects.all().delete()
    services.accept_offer(registration=waiting, now=timezone.now())
    assert len(_full_mails(organiser)) == 1


def test_a_class_that_grows_into_the_last_places_of_its_slot_alerts():
    fair = FairFactory(capacity=500)
    slot = TimeSlotFactory(event=fair, capacity=60)
    organiser = _organiser(fair)
    ours = _class(fair, 1, pupils=25, slot=slot)
    _class(fair, 2, pupils=30, slot=slot)
    assert _full_mails(organiser) == []

    services.change_registration(registration=ours, pupils=30, now=timezone.now())

    [mail] = _full_mails(organiser)
    assert "Ein Zeitfenster der Veranstaltung ist ausgebucht." in mail.body_text
    assert OrganiserAlert.objects.get().object_key.startswith(f"slot:{slot.pk}:")


def test_a_class_that_moves_into_the_last_places_of_another_slot_alerts():
    fair = FairFactory(capacity=500)
    early = TimeSlotFactory(event=fair, capacity=60)
    late = TimeSlotFactory(event=fair, capacity=30, starts_at=early.ends_at)
    organiser = _organiser(fair)
    ours = _class(fair, 1, pupils=30, slot=early)
    assert _full_mails(organiser) == []

    services.change_registration(registration=ours, time_slot_id=late.pk, now=timezone.now())

    assert len(_full_mails(organiser)) == 1
    assert OrganiserAlert.objects.get().object_key.startswith(f"slot:{late.pk}:")


def test_a_class_that_shrinks_sends_no_alert():
    fair = FairFactory(capacity=500)
    slot = TimeSlotFactory(event=fair, capacity=30)
    organiser = _organiser(fair)
    ours = _class(fair, 1, pupils=30, slot=slot)
    assert len(_full_mails(organiser)) == 1
    services.change_registration(registration=ours, pupils=20, now=timezone.now())
    assert len(_full_mails(organiser)) == 1
