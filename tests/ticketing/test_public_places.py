"""The public event page says how many places each arrival slot and each workshop has left
(a teacher picks a slot, a visitor workshops, before the form refuses a full one)."""

import pytest
from django.test import Client
from django.utils import timezone

from events_platform.models import Event
from tests.factories import EventFactory, SessionFactory, TimeSlotFactory
from ticketing import services

from .factories import FairFactory, person

pytestmark = pytest.mark.django_db


def _page(url: str) -> str:
    response = Client().get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_each_slot_shows_its_free_places_and_a_full_one_says_so():
    fair = FairFactory(capacity=600)
    early = TimeSlotFactory(event=fair, capacity=60)
    late = TimeSlotFactory(event=fair, capacity=1, starts_at=early.ends_at)
    now = timezone.now()
    services.register(event=fair, data=person(1, time_slot_id=early.pk), now=now)
    services.register(event=fair, data=person(2, time_slot_id=late.pk), now=now)
    german = _page(fair.get_absolute_url())
    assert "60 Plätze, 59 frei" in german and "1 Platz, ausgebucht" in german
    english = _page("/en" + fair.get_absolute_url())
    assert "60 places, 59 free" in english and "1 place, fully booked" in english


def test_each_workshop_shows_its_free_places():
    conference = EventFactory(kind=Event.Kind.CONFERENCE, capacity=100)
    care = SessionFactory(event=conference, capacity=20, title_de="Pflege auf dem Land")
    SessionFactory(event=conference, capacity=None, title_de="Offenes Forum")
    services.register(event=conference, data=person(1, session_ids=[care.pk]), now=timezone.now())
    page = _page(conference.get_absolute_url())
    assert "20 Plätze, 19 frei" in page
    forum = page[page.index("Offenes Forum") :].split("</li>")[0]
    assert "frei" not in forum and "ausgebucht" not in forum  # no limit, nothing to count


def test_a_workshops_room_is_shown_as_named():
    conference = EventFactory(kind=Event.Kind.CONFERENCE)
    SessionFactory(event=conference, room="Raum 3", title_de="Pflege auf dem Land")
    SessionFactory(event=conference, room="Aula", title_de="Offenes Forum")
    page = _page(conference.get_absolute_url())
    assert "· Raum 3" in page and "· Aula" in page and "Raum Raum" not in page
