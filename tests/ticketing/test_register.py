"""The register use case and its rules per event kind."""

from datetime import timedelta

import pytest
from django.utils import timezone

from events_platform.models import Event
from infra.errors import DomainError
from tests.factories import EventFactory, SessionFactory, TimeSlotFactory
from ticketing import services, signals
from ticketing.models import ConsentRecord, Question, Registration

from .factories import (
    CampFactory,
    FairFactory,
    QuestionFactory,
    RegistrationSettingsFactory,
    camper,
    person,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent():
    """Every ticketing signal sent during the test, as (name, kwargs)."""
    received = []
    names = [
        "registration_confirmed",
        "waitlist_joined",
        "waitlist_offer_made",
        "guardian_confirmation_requested",
        "place_released",
        "registration_cancelled",
    ]
    handlers = {}
    for name in names:

        def handler(sender, signal=None, _name=name, **kwargs):
            received.append((_name, kwargs))

        handlers[name] = handler
        getattr(signals, name).connect(handler, weak=False)
    yield received
    for name, handler in handlers.items():
        getattr(signals, name).disconnect(handler)


def test_registration_confirms_issues_a_ticket_and_records_consent(sent):
    event = EventFactory(capacity=2)
    now = timezone.now()
    registration = services.register(
        event=event, data=person(1, photo_consent=True, phone=" 0341 1 "), now=now
    )
    assert registration.status == "confirmed"
    assert registration.email == "visitor1@example.org"
    ticket = registration.tickets.get()
    assert ticket.headcount == 1 and ticket.kind == "single" and len(ticket.secret) == 125
    assert [name for name, _ in sent] == ["registration_confirmed"]
    assert sent[0][1]["registration"] == registration
    topics = {c.topic: c.granted for c in registration.consents.all()}
    # A workshop has no exhibitors: contact sharing is neither asked nor recorded.
    assert topics == {"privacy": True, "photos": True}
    assert registration.consents.first().text_version == "2026-01"


def test_full_event_puts_people_on_the_waiting_list(sent):
    event = EventFactory(capacity=1)
    now = timezone.now()
    services.register(event=event, data=person(1), now=now)
    second = services.register(event=event, data=person(2), now=now)
    assert second.status == "waitlisted"
    assert not second.tickets.exists()
    assert sent[-1][0] == "waitlist_joined"


def test_privacy_consent_is_required():
    with pytest.raises(DomainError) as error:
        services.register(
            event=EventFactory(), data=person(1, privacy_consent=False), now=timezone.now()
        )
    assert error.value.code == "privacy_consent_required"
    assert error.value.status == 400


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"status": Event.Status.CANCELLED}, "event_cancelled"),
        ({"status": Event.Status.DRAFT}, "registration_closed"),
        ({"registration_opens_at_days": 1}, "registration_not_open"),
        ({"registration_closes_at_days": -1}, "registration_closed"),
    ],
)
def test_registration_window(changes, code):
    now = timezone.now()
    values = {}
    if "status" in changes:
        values["status"] = changes["status"]
    if "registration_opens_at_days" in changes:
        values["registration_opens_at"] = now + timedelta(days=1)
    if "registration_closes_at_days" in changes:
        values["registration_opens_at"] = now - timedelta(days=5)
        values["registration_closes_at"] = now - timedelta(days=1)
    with pytest.raises(DomainError) as error:
        services.register(event=EventFactory(**values), data=person(1), now=now)
    assert error.value.code == code


def test_same_person_cannot_register_twice():
    event = EventFactory()
    services.register(event=event, data=person(1), now=timezone.now())
    with pytest.raises(DomainError) as error:
        services.register(event=event, data=person(1), now=timezone.now())
    assert error.value.code == "already_registered"


def test_organiser_questions_are_checked_and_stored():
    event = EventFactory()
    text = QuestionFactory(event=event, kind=Question.Kind.TEXT, required=True)
    choice = QuestionFactory(
        event=event,
        kind=Question.Kind.CHOICE,
        choices_de="Pflege\nHandwerk",
        choices_en="Care\nCrafts",
    )
    many = QuestionFactory(event=event, kind=Question.Kind.MULTIPLE, choices_de="A\nB\nC")
    yes_no = QuestionFactory(event=event, kind=Question.Kind.YES_NO)
    now = timezone.now()
    with pytest.raises(DomainError) as error:
        services.register(event=event, data=person(1), now=now)
    assert error.value.code == "answer_required"
    with pytest.raises(DomainError) as error:
        services.register(
            event=event, data=person(1, answers={str(text.pk): "x", str(choice.pk): "Z"}), now=now
        )
    assert error.value.code == "answer_invalid"
    registration = services.register(
        event=event,
        data=person(
            1,
            answers={
                str(text.pk): " Mit Partnerin ",
                str(choice.pk): "Pflege",
                str(many.pk): ["A", "C"],
                str(yes_no.pk): "yes",
            },
        ),
        now=now,
    )
    assert registration.answers == {
        str(text.pk): "Mit Partnerin",
        str(choice.pk): "Pflege",
        str(many.pk): ["A", "C"],
        str(yes_no.pk): True,
    }


def test_school_class_gets_one_group_ticket_in_its_slot():
    fair = FairFactory()
    slot = TimeSlotFactory(event=fair, capacity=60)
    other = TimeSlotFactory(event=fair, capacity=60)
    now = timezone.now()
    data = person(
        1, school="Oberschule Oschatz", grade="9b", pupils=24, adults=2, time_slot_id=slot.pk
    )
    registration = services.register(event=fair, data=data, now=now)
    assert registration.kind == "school_class"
    assert registration.headcount == 26
    ticket = registration.tickets.get()
    assert ticket.kind == "group" and ticket.headcount == 26
    again = person(
        1, school="Oberschule Oschatz", grade="9c", pupils=40, adults=0, time_slot_id=slot.pk
    )
    with pytest.raises(DomainError) as error:
        services.register(event=fair, data=again, now=now)
    assert error.value.code == "slot_full"
    again.time_slot_id = other.pk
    assert services.register(event=fair, data=again, now=now).status == "confirmed"


def test_school_class_needs_a_slot_when_the_fair_has_slots():
    fair = FairFactory()
    TimeSlotFactory(event=fair)
    with pytest.raises(DomainError) as error:
        services.register(
            event=fair, data=person(1, school="OS", grade="8", pupils=20), now=timezone.now()
        )
    assert error.value.code == "slot_required"


def test_school_classes_only_where_allowed():
    with pytest.raises(DomainError) as error:
        services.register(
            event=EventFactory(),
            data=person(1, school="OS", grade="8", pupils=5),
            now=timezone.now(),
        )
    assert error.value.code == "school_class_not_allowed"


def test_conference_workshops_exclude_overlaps_and_have_their_own_capacity():
    conference = EventFactory(kind=Event.Kind.CONFERENCE, capacity=200)
    morning_a = SessionFactory(event=conference, capacity=1)
    morning_b = SessionFactory(event=conference, starts_at=morning_a.starts_at, capacity=10)
    afternoon = SessionFactory(
        event=conference, starts_at=morning_a.starts_at + timedelta(hours=3), capacity=10
    )
    now = timezone.now()
    with pytest.raises(DomainError) as error:
        services.register(
            event=conference, data=person(1, session_ids=[morning_a.pk, morning_b.pk]), now=now
        )
    assert error.value.code == "sessions_overlap"
    first = services.register(
        event=conference, data=person(1, session_ids=[morning_a.pk, afternoon.pk]), now=now
    )
    assert set(first.sessions.all()) == {morning_a, afternoon}
    with pytest.raises(DomainError) as error:
        services.register(event=conference, data=person(2, session_ids=[morning_a.pk]), now=now)
    assert error.value.code == "session_full"
    assert (
        services.register(
            event=conference, data=person(2, session_ids=[morning_b.pk]), now=now
        ).status
        == "confirmed"
    )


def test_camp_checks_age_and_guardian_details():
    camp = CampFactory()
    now = timezone.now()
    with pytest.raises(DomainError) as error:
        services.register(event=camp, data=camper(1, age=8, event=camp), now=now)
    assert error.value.code == "age_out_of_range"
    with pytest.raises(DomainError) as error:
        services.register(event=camp, data=camper(1, event=camp, guardian_email=""), now=now)
    assert error.value.code == "guardian_required"
    with pytest.raises(DomainError) as error:
        services.register(event=camp, data=person(1), now=now)
    assert error.value.code == "birth_date_required"


def test_minor_waits_for_guardian_who_gave_photo_consent_on_the_form(sent):
    camp = CampFactory()
    registration = services.register(
        event=camp, data=camper(1, event=camp, photo_consent=True), now=timezone.now()
    )
    assert registration.status == "pending_guardian"
    assert not registration.tickets.exists()
    name, kwargs = sent[-1]
    assert name == "guardian_confirmation_requested"
    assert kwargs["confirm_url"].endswith(
        f"/tickets/einverstaendnis/{registration.guardian_token}/"
    )
    # At a camp the parent fills in the form: the photo consent is theirs, for the child.
    assert registration.photo_consent is True
    photos = registration.consents.get(topic=ConsentRecord.Topic.PHOTOS)
    assert (photos.given_by, photos.given_for) == ("Elternteil 1", "Besucherin 1")


def test_a_minor_who_registers_themselves_leaves_photo_consent_to_the_guardian(sent):
    workshop = EventFactory(min_age=14)
    RegistrationSettingsFactory(event=workshop, guardian_required_under=18)
    registration = services.register(
        event=workshop,
        data=camper(1, age=15, event=workshop, photo_consent=True),
        now=timezone.now(),
    )
    assert registration.status == "pending_guardian"
    assert registration.photo_consent is False
    assert not registration.consents.filter(topic=ConsentRecord.Topic.PHOTOS).exists()
    privacy = registration.consents.get(topic=ConsentRecord.Topic.PRIVACY)
    assert (privacy.given_by, privacy.given_for) == ("Besucherin 1", "")


def test_offer_expiry_moves_on_to_the_next(sent):
    event = EventFactory(capacity=1)
    RegistrationSettingsFactory(event=event, offer_hours=24)
    now = timezone.now()
    first = services.register(event=event, data=person(1), now=now)
    second = services.register(event=event, data=person(2), now=now + timedelta(seconds=1))
    third = services.register(event=event, data=person(3), now=now + timedelta(seconds=2))
    services.cancel_registration(registration=first, now=now + timedelta(hours=1))
    second.refresh_from_db()
    assert second.status == "offered"
    assert second.offer_expires_at == now + timedelta(hours=25)
    assert (
        "waitlist_offer_made",
        {"registration": second, "expires_at": second.offer_expires_at},
    ) in [(n, {k: v for k, v in kw.items() if k != "signal"}) for n, kw in sent]
    assert first.tickets.get().status == "revoked"

    assert services.expire_offers(now=now + timedelta(hours=24)) == 0
    assert services.expire_offers(now=now + timedelta(hours=26)) == 1
    second.refresh_from_db()
    third.refresh_from_db()
    assert second.status == "released"
    assert third.status == "offered"
    assert services.expire_offers(now=now + timedelta(hours=26)) == 0  # safe to run twice

    with pytest.raises(DomainError) as error:
        services.accept_offer(registration=second, now=now + timedelta(hours=27))
    assert error.value.code == "no_offer"
    accepted = services.accept_offer(registration=third, now=now + timedelta(hours=27))
    assert accepted.status == "confirmed"
    assert accepted.tickets.get().status == "valid"


def test_expired_offer_cannot_be_accepted():
    event = EventFactory(capacity=1)
    now = timezone.now()
    first = services.register(event=event, data=person(1), now=now)
    second = services.register(event=event, data=person(2), now=now)
    services.cancel_registration(registration=first, now=now)
    with pytest.raises(DomainError) as error:
        services.accept_offer(registration=second, now=now + timedelta(hours=49))
    assert error.value.code == "offer_expired"


def test_newcomer_does_not_jump_the_waiting_list():
    event = EventFactory(capacity=1)
    now = timezone.now()
    first = services.register(event=event, data=person(1), now=now)
    second = services.register(event=event, data=person(2), now=now)
    third = services.register(event=event, data=person(3), now=now)
    services.cancel_registration(registration=first, now=now)
    services.cancel_registration(registration=Registration.objects.get(pk=second.pk), now=now)
    third.refresh_from_db()
    assert third.status == "offered"
    late = services.register(event=event, data=person(4), now=now)
    assert late.status == "waitlisted"


def test_cancel_twice_is_refused():
    registration = services.register(event=EventFactory(), data=person(1), now=timezone.now())
    services.cancel_registration(registration=registration, now=timezone.now())
    with pytest.raises(DomainError) as error:
        services.cancel_registration(registration=registration, now=timezone.now())
    assert error.value.code == "already_cancelled"


def test_update_answers_records_changed_consent():
    event = EventFactory(kind="returnee_day")
    question = QuestionFactory(event=event, required=True)
    registration = services.register(
        event=event, data=person(1, answers={str(question.pk): "alt"}), now=timezone.now()
    )
    services.update_answers(
        registration=registration,
        answers={str(question.pk): "neu"},
        phone="0151 1",
        share_contact_consent=True,
        now=timezone.now(),
    )
    registration.refresh_from_db()
    assert registration.answers == {str(question.pk): "neu"}
    assert registration.share_contact_consent is True
    assert list(
        registration.consents.filter(topic="share_contact").values_list("granted", flat=True)
    ) == [False, True]


def test_a_try_that_finds_no_room_after_all_leaves_nothing_behind(
    monkeypatch, django_capture_on_commit_callbacks
):
    """Someone was faster: the counter's UPDATE finds no room after the registration's rows
    and mail were written. The try's savepoint is rolled back with its after-commit hand-over
    of the mail, and the next try writes everything once (services._attempt)."""
    from notifications import outbox
    from notifications.models import Message
    from ticketing import counters

    event = EventFactory(capacity=5)
    real_take = counters.take
    tries = []

    def faster_one_first(parts, n):
        tries.append(n)
        return parts.event if len(tries) == 1 else real_take(parts, n)

    monkeypatch.setattr(counters, "take", faster_one_first)
    handed_over = []
    monkeypatch.setattr(outbox, "wake", lambda ids: handed_over.append(list(ids)))

    with django_capture_on_commit_callbacks(execute=True):
        registration = services.register(event=event, data=person(1), now=timezone.now())

    assert len(tries) == 2
    assert registration.status == Registration.Status.CONFIRMED
    assert Registration.objects.count() == 1
    topics = list(ConsentRecord.objects.values_list("topic", flat=True))
    assert sorted(topics) == ["photos", "privacy"]  # once each, for the one registration
    assert registration.tickets.count() == 1
    messages = list(Message.objects.values_list("pk", flat=True))
    assert len(messages) == 1
    assert handed_over == [messages]
