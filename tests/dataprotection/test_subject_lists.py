"""The erasure and the data-copy lists are derived from each app's privacy.py
(dataprotection/registry.py): every field declared personal or sensitive is emptied by an
erasure and by the retention jobs, and shown in the person's copy unless its app leaves it
out. The tests go through the declared fields, so a personal field added to a model (which
tests/dataprotection/test_personal_data.py forces to be classified) is checked here too."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.apps import apps
from django.db import models
from django.utils import timezone

from dataprotection import registry, subject_requests
from fairs import services as fairs_services
from fairs.models import StaffPass, StandBooking
from notifications.models import Message
from tests.factories import EventFactory, UserFactory
from tests.fairs.factories import StandBookingFactory, StandFactory
from tests.notifications.factories import write_test_message
from ticketing import services as ticketing_services
from ticketing.models import ConsentRecord, Registration

pytestmark = pytest.mark.django_db

EMAIL = "mia@example.org"


def _fill(obj: models.Model) -> None:
    """Put a value into every personal and sensitive field of `obj`."""
    for name in registry.erased_fields(type(obj)):
        field = obj._meta.get_field(name)
        if field.is_relation:
            value = UserFactory()
        elif isinstance(field, models.DateField):
            value = date(2012, 3, 1)
        elif isinstance(field, models.JSONField):
            value = {"1": "Mia"} if isinstance(field.get_default(), dict) else ["Mia"]
        elif isinstance(field, models.EmailField):
            value = EMAIL
        else:
            value = "Mia Beispiel"[: field.max_length]
        setattr(obj, name, value)
    obj.save()


def _emptied(obj: models.Model) -> dict:
    """The personal and sensitive fields of `obj` that still hold something."""
    obj.refresh_from_db()
    return {
        name: getattr(obj, name)
        for name in registry.erased_fields(type(obj))
        if getattr(obj, name) not in ("", None, {}, [])
    }


def test_the_copy_rules_name_fields_that_exist_in_the_right_class():
    declared = registry.declared()
    for label, rules in registry.subject_copy().items():
        model = apps.get_model(label)
        assert set(rules) <= {"context", "leave_out"}, label
        for name in rules.get("context", []):
            assert declared[label][name] == "none", (label, name)
        for name in rules.get("leave_out", []):
            assert name in registry.erased_fields(model), (label, name)


def test_every_personal_field_of_a_registration_is_copied_then_erased():
    event = EventFactory(starts_at=timezone.now() - timedelta(days=3))
    registration = Registration.objects.create(
        event=event, name="Mia", email=EMAIL, created_at=timezone.now()
    )
    _fill(registration)
    registration.email = EMAIL
    registration.save()
    ConsentRecord.objects.create(
        registration=registration,
        topic="privacy",
        granted=True,
        text="Datenschutz",
        text_version="1",
        given_by="Mia",
        given_at=timezone.now(),
    )
    fields = registry.erased_fields(Registration)
    assert {"name", "email", "birth_date", "medical_notes", "school"} <= set(fields)

    copy = subject_requests.export_subject_data(email=EMAIL, now=timezone.now())
    section = next(section for section in copy.sections if section.key == "registrations")
    assert set(fields) <= set(section.labels)
    assert set(fields) <= set(section.records[0])
    assert section.records[0]["medical_notes"] == "Mia Beispiel"
    consents = next(section for section in copy.sections if section.key == "consents")
    assert set(registry.erased_fields(ConsentRecord)) <= set(consents.labels)

    counts = subject_requests.erase_subject_data(email=EMAIL, now=timezone.now())
    assert counts["registrations_anonymised"] == 1
    assert _emptied(registration) == {}
    assert not ConsentRecord.objects.filter(registration=registration).exists()


def test_retention_empties_every_personal_field_of_a_registration():
    ended = timezone.now() - timedelta(days=400)
    event = EventFactory(starts_at=ended - timedelta(hours=2), ends_at=ended)
    registration = Registration.objects.create(
        event=event, name="Mia", email=EMAIL, created_at=ended - timedelta(days=10)
    )
    _fill(registration)
    assert ticketing_services.erase_expired_visitor_data(now=timezone.now()) == 1
    assert _emptied(registration) == {}


def test_every_personal_field_of_a_message_is_erased_and_the_copy_shows_the_rest():
    message = write_test_message(to_email=EMAIL)
    _fill(message)
    Message.objects.filter(pk=message.pk).update(to_email=EMAIL)
    copy = subject_requests.export_subject_data(email=EMAIL, now=timezone.now())
    section = next(section for section in copy.sections if section.key == "messages")
    shown = set(registry.erased_fields(Message)) - set(
        registry.subject_copy()["notifications.Message"]["leave_out"]
    )
    assert shown == {"subject"}
    assert shown <= set(section.labels)
    subject_requests.erase_subject_data(email=EMAIL, now=timezone.now())
    assert _emptied(message) == {}


def test_booking_retention_empties_every_personal_field_of_a_booking_and_its_passes():
    ended = datetime(2019, 6, 15, 14, tzinfo=ZoneInfo("Europe/Berlin"))
    stand = StandFactory(
        hall__fair__event__starts_at=ended - timedelta(hours=6), hall__fair__event__ends_at=ended
    )
    booking = StandBookingFactory(stand=stand, status=StandBooking.Status.APPROVED)
    _fill(booking)
    staff_pass = StaffPass.objects.create(
        booking=booking, name="Jan", serial=4711, secret="s4711", created_at=ended
    )
    _fill(staff_pass)
    assert fairs_services.anonymise_expired_booking_contacts(now=timezone.now()) == 1
    assert _emptied(booking) == {}
    assert _emptied(staff_pass) == {}
