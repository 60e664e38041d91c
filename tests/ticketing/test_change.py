"""Changing a registration: a class's size and slot, a visitor's slot or workshops; and the
real numbers whenever a registration or a change does not fit."""

from datetime import timedelta

import pytest
from django.utils import timezone, translation
from rest_framework.test import APIClient

from events_platform.models import Event
from infra.errors import DomainError
from notifications.models import Message
from tests.factories import EventFactory, SessionFactory, TimeSlotFactory
from ticketing import services
from ticketing.models import Registration, Ticket

from .factories import FairFactory, person

pytestmark = pytest.mark.django_db


def _class(fair, n: int, *, pupils: int, adults: int = 0, slot=None, now=None):
    data = person(
        n,
        school=f"Oberschule {n}",
        grade="9b",
        pupils=pupils,
        adults=adults,
        time_slot_id=slot.pk if slot else None,
    )
    return services.register(event=fair, data=data, now=now or timezone.now())


def _changes(registration) -> list[Message]:
    return list(Message.objects.filter(purpose="registration_changed", to_email=registration.email))


# --- the service ---------------------------------------------------------------------------


def test_class_grows_into_the_last_places_of_its_slot_and_gets_a_new_ticket():
    fair = FairFactory()
    slot = TimeSlotFactory(event=fair, capacity=60)
    ours = _class(fair, 1, pupils=24, adults=2, slot=slot)
    _class(fair, 2, pupils=30, slot=slot)
    old_ticket = ours.tickets.get()

    changed = services.change_registration(
        registration=ours, pupils=28, adults=2, now=timezone.now()
    )

    assert (changed.pupils, changed.adults, changed.headcount) == (28, 2, 30)
    old_ticket.refresh_from_db()
    assert old_ticket.status == Ticket.Status.REVOKED
    new_ticket = changed.tickets.get(status=Ticket.Status.VALID)
    assert (new_ticket.kind, new_ticket.headcount) == ("group", 30)
    [mail] = _changes(ours)
    assert "28 (vorher: 24)" in mail.body_text
    assert "Ihr neues Ticket gilt für 30 Personen" in mail.body_text
    assert {a["kind"] for a in mail.attachments} >= {"ticket_qr", "ticket_pdf"}


def test_a_class_that_does_not_fit_hears_the_real_numbers_in_german_and_english():
    fair = FairFactory()
    slot = TimeSlotFactory(event=fair, capacity=150)
    _class(fair, 1, pupils=24, adults=2, slot=slot)
    with translation.override("de"), pytest.raises(DomainError) as german:
        _class(fair, 2, pupils=140, adults=5, slot=slot)
    assert german.value.code == "slot_full"
    assert german.value.data == {"places_left": 124, "requested": 145}
    assert str(german.value) == (
        "In diesem Zeitfenster sind nur noch 124 Plätze frei. Ihre Klasse hat 145 Personen. "
        "Bitte wählen Sie ein anderes Zeitfenster."
    )
    with translation.override("en"), pytest.raises(DomainError) as english:
        _class(fair, 2, pupils=140, adults=5, slot=slot)
    assert str(english.value) == (
        "Only 124 places are left in this time slot. Your class has 145 people. "
        "Please choose another time slot."
    )
    assert Registration.objects.filter(event=fair).count() == 1


def test_a_group_larger_than_the_slot_is_not_sent_to_another_slot_of_its_size():
    fair = FairFactory()
    slot = TimeSlotFactory(event=fair, capacity=150)
    with translation.override("de"), pytest.raises(DomainError) as german:
        _class(fair, 1, pupils=400, adults=3, slot=slot)
    assert german.value.code == "slot_full"
    assert str(german.value) == (
        "Dieses Zeitfenster hat insgesamt 150 Plätze. Ihre Klasse hat 403 Personen. "
        "Bitte wählen Sie ein Zeitfenster mit genug Plätzen, oder melden Sie die Gruppe "
        "in kleineren Teilen an."
    )
    with translation.override("en"), pytest.raises(DomainError) as english:
        _class(fair, 1, pupils=400, adults=3, slot=slot)
    assert str(english.value).startswith("This time slot has 150 places in all.")


def test_one_place_left_is_singular():
    fair = FairFactory()
    slot = TimeSlotFactory(event=fair, capacity=27)
    _class(fair, 1, pupils=24, adults=2, slot=slot)
    with translation.override("de"), pytest.raises(DomainError) as error:
        _class(fair, 2, pupils=2, slot=slot)
    assert str(error.value).startswith("In diesem Zeitfenster ist nur noch 1 Platz frei.")
    with translation.override("en"), pytest.raises(DomainError) as error:
        _class(fair, 2, pupils=2, slot=slot)
    assert str(error.value).startswith("Only 1 place is left in this time slot.")


def test_a_group_larger_than_the_whole_event_is_told_its_capacity():
    fair = FairFactory(capacity=100)
    with translation.override("en"), pytest.raises(DomainError) as error:
        _class(fair, 1, pupils=120)
    assert error.value.code == "group_too_large"
    assert error.value.data == {"places_left": 100, "requested": 120}
    assert str(error.value) == "This event has 100 places in all. Your class has 120 people."


def test_a_change_that_does_not_fit_keeps_everything_as_it_was():
    fair = FairFactory()
    slot = TimeSlotFactory(event=fair, capacity=60)
    other = TimeSlotFactory(event=fair, capacity=40)
    ours = _class(fair, 1, pupils=24, adults=2, slot=slot)
    _class(fair, 2, pupils=20, slot=other)
    with translation.override("en"), pytest.raises(DomainError) as error:
        services.change_registration(
            registration=ours, time_slot_id=other.pk, pupils=30, now=timezone.now()
        )
    assert error.value.code == "slot_full"
    assert error.value.data == {"places_left": 20, "requested": 32}
    assert "Only 20 places are left in this time slot. Your class has 32 people." in str(
        error.value
    )
    ours.refresh_from_db()
    assert (ours.time_slot, ours.pupils, ours.headcount) == (slot, 24, 26)
    assert ours.tickets.get().status == Ticket.Status.VALID
    assert _changes(ours) == []


def test_a_full_slot_counts_the_class_own_places_when_it_changes_size():
    fair = FairFactory()
    slot = TimeSlotFactory(event=fair, capacity=30)
    ours = _class(fair, 1, pupils=28, adults=2, slot=slot)  # the slot is full
    assert (
        services.change_registration(registration=ours, pupils=27, now=timezone.now()).headcount
        == 29
    )
    assert (
        services.change_registration(registration=ours, pupils=28, now=timezone.now()).headcount
        == 30
    )
    with pytest.raises(DomainError) as error:
        services.change_registration(registration=ours, adults=3, now=timezone.now())
    assert error.value.data == {"places_left": 30, "requested": 31}


def test_moving_to_another_slot_frees_the_old_one():
    fair = FairFactory()
    early = TimeSlotFactory(event=fair, capacity=30)
    late = TimeSlotFactory(event=fair, capacity=30, starts_at=early.starts_at + timedelta(hours=1))
    ours = _class(fair, 1, pupils=30, slot=early)
    changed = services.change_registration(
        registration=ours, time_slot_id=late.pk, now=timezone.now()
    )
    assert changed.time_slot == late
    assert changed.tickets.filter(status="valid").count() == 1  # same size: the same ticket
    assert _class(fair, 2, pupils=30, slot=early).status == "confirmed"
    [mail] = _changes(ours)
    assert f"{late} (vorher: {early})" in mail.body_text
    assert mail.attachments == []


def test_shrinking_offers_the_freed_places_to_the_waiting_list():
    fair = FairFactory(capacity=40)
    ours = _class(fair, 1, pupils=38, adults=2)
    waiting = _class(fair, 2, pupils=10)
    assert waiting.status == "waitlisted"

    services.change_registration(registration=ours, pupils=28, now=timezone.now())

    waiting.refresh_from_db()
    assert waiting.status == Registration.Status.OFFERED
    assert Message.objects.filter(purpose="waitlist_offer", to_email=waiting.email).exists()


def test_a_waiting_class_may_change_and_keeps_its_place_in_the_queue():
    fair = FairFactory(capacity=40)
    _class(fair, 1, pupils=40)
    first = _class(fair, 2, pupils=10, now=timezone.now())
    second = _class(fair, 3, pupils=5, now=timezone.now() + timedelta(seconds=1))
    changed = services.change_registration(registration=first, pupils=12, now=timezone.now())
    assert (changed.status, changed.headcount) == ("waitlisted", 12)
    assert changed.waitlisted_at < second.waitlisted_at
    with pytest.raises(DomainError) as error:
        services.change_registration(registration=first, pupils=41, now=timezone.now())
    assert error.value.code == "group_too_large"


def test_visitor_changes_workshops_within_their_places():
    conference = EventFactory(kind=Event.Kind.CONFERENCE, capacity=200)
    full = SessionFactory(event=conference, capacity=1, title_en="Care in the country")
    free = SessionFactory(event=conference, capacity=10, starts_at=full.starts_at)
    services.register(event=conference, data=person(1, session_ids=[full.pk]), now=timezone.now())
    ours = services.register(
        event=conference, data=person(2, session_ids=[free.pk]), now=timezone.now()
    )
    with translation.override("en"), pytest.raises(DomainError) as error:
        services.change_registration(registration=ours, session_ids=[full.pk], now=timezone.now())
    assert error.value.code == "session_full"
    assert str(error.value) == (
        "The workshop “Care in the country” is full. Please choose another workshop."
    )
    services.change_registration(registration=ours, session_ids=[], now=timezone.now())
    assert list(ours.sessions.all()) == []
    # Its own place in the workshop it had counts as free for itself.
    services.change_registration(registration=ours, session_ids=[free.pk], now=timezone.now())
    assert list(ours.sessions.all()) == [free]


def test_what_cannot_be_changed():
    fair = FairFactory()
    slot = TimeSlotFactory(event=fair, capacity=60)
    visitor = services.register(
        event=fair, data=person(1, time_slot_id=slot.pk), now=timezone.now()
    )
    with pytest.raises(DomainError) as error:
        services.change_registration(registration=visitor, pupils=3, now=timezone.now())
    assert error.value.code == "not_a_school_class"
    ours = _class(fair, 2, pupils=20, slot=slot)
    fair.registration_closes_at = timezone.now() - timedelta(minutes=1)
    fair.save()
    with pytest.raises(DomainError) as error:
        services.change_registration(registration=ours, pupils=21, now=timezone.now())
    assert error.value.code == "registration_closed"
    services.cancel_registration(registration=ours, now=timezone.now())
    with pytest.raises(DomainError) as error:
        services.change_registration(registration=ours, pupils=21, now=timezone.now())
    assert error.value.code == "already_cancelled"


def test_a_class_already_admitted_keeps_its_size():
    from checkin.models import Attendance
    from checkin.services import ensure_checkin_lists

    fair = FairFactory()
    slot = TimeSlotFactory(event=fair, capacity=60)
    ours = _class(fair, 1, pupils=20, slot=slot)
    ensure_checkin_lists(event=fair)
    now = timezone.now()
    Attendance.objects.create(
        checkin_list=fair.checkin_lists.first(),
        ticket=ours.tickets.get(),
        persons=20,
        first_entry_at=now,
        last_entry_at=now,
    )
    with pytest.raises(DomainError) as error:
        services.change_registration(registration=ours, pupils=25, now=now)
    assert error.value.code == "already_checked_in"
    ours.refresh_from_db()
    assert ours.headcount == 20 and ours.tickets.get().status == Ticket.Status.VALID


def test_the_same_values_change_nothing_and_send_nothing():
    fair = FairFactory()
    slot = TimeSlotFactory(event=fair, capacity=60)
    ours = _class(fair, 1, pupils=20, adults=1, slot=slot)
    services.change_registration(
        registration=ours, time_slot_id=slot.pk, pupils=20, adults=1, now=timezone.now()
    )
    assert _changes(ours) == []
    assert ours.tickets.count() == 1


# --- pages ---------------------------------------------------------------------------------


def _class_form(**extra):
    data = {
        "name": "Frau Lehmann",
        "email": "lehmann@schule.example",
        "privacy_consent": "on",
        "school": "Oberschule Torgau",
        "grade": "9a",
        "adults": "2",
    }
    data.update(extra)
    return data


def test_register_page_explains_a_full_slot_with_the_numbers_and_keeps_the_input(client):
    fair = FairFactory()
    slot = TimeSlotFactory(event=fair, capacity=150)
    _class(fair, 1, pupils=24, adults=2, slot=slot)
    response = client.post(
        f"/tickets/anmelden/{fair.slug}/?as=class", _class_form(pupils="143", time_slot=slot.pk)
    )
    html = response.content.decode()
    assert response.status_code == 409
    message = "In diesem Zeitfenster sind nur noch 124 Plätze frei. Ihre Klasse hat 145 Personen."
    assert html.count(message) == 2  # in the summary at the top and next to the slot
    assert 'id="id_time_slot_error"' in html
    assert 'value="Oberschule Torgau"' in html and 'value="143"' in html
    assert 'value="Frau Lehmann"' in html and f'value="{slot.pk}"\n' not in html


def test_teacher_changes_class_size_and_slot_on_the_ticket_page(client):
    fair = FairFactory()
    early = TimeSlotFactory(event=fair, capacity=60, label="9:00 bis 10:00")
    late = TimeSlotFactory(
        event=fair, capacity=30, starts_at=early.starts_at + timedelta(hours=1), label="10 Uhr"
    )
    ours = _class(fair, 1, pupils=24, adults=2, slot=early)
    _class(fair, 2, pupils=10, slot=late)
    ticket_page = client.get(f"/tickets/ticket/{ours.manage_token}/").content.decode()
    assert "Klassengröße oder Zeitfenster ändern" in ticket_page
    url = f"/tickets/ticket/{ours.manage_token}/umbuchen/"
    page = client.get(url).content.decode()
    assert 'value="24"' in page
    # Its own 26 places count as free for the class in the slot it has.
    assert "9:00 bis 10:00 (noch 60 Plätze frei) – Ihre bisherige Wahl" in page
    assert "10 Uhr (noch 20 Plätze frei)" in page

    refused = client.post(url, {"pupils": "25", "adults": "2", "time_slot": late.pk})
    html = refused.content.decode()
    assert refused.status_code == 409
    assert "In diesem Zeitfenster sind nur noch 20 Plätze frei. Ihre Klasse hat 27 Personen." in (
        html
    )
    assert 'value="25"' in html  # what was typed stays

    done = client.post(url, {"pupils": "18", "adults": "2", "time_slot": late.pk})
    assert done.status_code == 302
    assert done["Location"].endswith("?notice=changed")
    ticket_page = client.get(done["Location"]).content.decode()
    assert "Ihre Anmeldung wurde geändert." in ticket_page
    assert "18 Schülerinnen und Schüler" in ticket_page and "10 Uhr" in ticket_page


def test_ticket_page_offers_no_change_where_nothing_can_change(client):
    event = EventFactory(capacity=10)
    ours = services.register(event=event, data=person(1), now=timezone.now())
    html = client.get(f"/tickets/ticket/{ours.manage_token}/").content.decode()
    assert "/umbuchen/" not in html
    page = client.get(f"/tickets/ticket/{ours.manage_token}/umbuchen/").content.decode()
    assert "Bei dieser Anmeldung gibt es nichts zu ändern." in page


# --- API -----------------------------------------------------------------------------------


def test_api_changes_a_class_and_answers_a_full_slot_with_code_and_numbers():
    api = APIClient()
    fair = FairFactory()
    early = TimeSlotFactory(event=fair, capacity=60)
    late = TimeSlotFactory(event=fair, capacity=30, starts_at=early.starts_at + timedelta(hours=1))
    ours = _class(fair, 1, pupils=24, adults=2, slot=early)
    url = f"/api/tickets/{ours.manage_token}/change/"

    full = api.post(f"{url}?lang=en", {"time_slot": late.pk, "pupils": 30}, format="json")
    assert full.status_code == 409
    body = full.json()
    assert (body["code"], body["places_left"], body["requested"]) == ("slot_full", 30, 32)
    assert body["detail"].startswith("This time slot has 30 places in all.")

    done = api.post(url, {"time_slot": late.pk, "pupils": 26}, format="json").json()
    assert (done["time_slot"], done["pupils"], done["adults"], done["headcount"]) == (
        late.pk,
        26,
        2,
        28,
    )
    assert done["ticket"]["headcount"] == 28

    wrong = api.post(url, {"pupils": 0}, format="json")
    assert wrong.status_code == 400


def test_api_register_answers_a_full_slot_with_code_and_numbers():
    fair = FairFactory()
    slot = TimeSlotFactory(event=fair, capacity=150)
    _class(fair, 1, pupils=24, adults=2, slot=slot)
    body = {
        "name": "Frau Lehmann",
        "email": "lehmann@schule.example",
        "privacy_consent": True,
        "school": "Oberschule Torgau",
        "grade": "9a",
        "pupils": 140,
        "adults": 5,
        "time_slot": slot.pk,
    }
    response = APIClient().post(f"/api/tickets/events/{fair.slug}/register/", body, format="json")
    assert response.status_code == 409
    answer = response.json()
    assert (answer["code"], answer["places_left"], answer["requested"]) == ("slot_full", 124, 145)
    assert "124 Plätze" in answer["detail"] and "145 Personen" in answer["detail"]
