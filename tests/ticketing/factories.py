"""Factories and helpers of the ticketing tests."""

from datetime import date, timedelta

import factory
from django.utils import timezone

from events_platform.models import Event
from infra.dates import years_after
from tests.factories import EventFactory
from ticketing.models import Question, RegistrationSettings
from ticketing.services import RegistrationInput


class CampFactory(EventFactory):
    kind = Event.Kind.CAMP
    title_de = factory.Sequence(lambda n: f"NaWi-Camp {n}")
    capacity = 60
    min_age = 10
    max_age = 16
    starts_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=60))
    ends_at = factory.LazyAttribute(lambda e: e.starts_at + timedelta(days=4))


class FairFactory(EventFactory):
    kind = Event.Kind.APPRENTICESHIP_FAIR
    title_de = factory.Sequence(lambda n: f"Ausbildungsmesse {n}")
    capacity = 800


class RegistrationSettingsFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RegistrationSettings
        django_get_or_create = ("event",)

    event = factory.SubFactory(EventFactory)


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Question

    event = factory.SubFactory(EventFactory)
    label_de = factory.Sequence(lambda n: f"Frage {n}")
    label_en = factory.Sequence(lambda n: f"Question {n}")


def person(n: int = 0, **extra) -> RegistrationInput:
    """A visitor's input with privacy consent."""
    values = {
        "name": f"Besucherin {n}",
        "email": f"visitor{n}@example.org",
        "privacy_consent": True,
    }
    values.update(extra)
    return RegistrationInput(**values)


def camper(n: int = 0, *, age: int = 13, event=None, **extra) -> RegistrationInput:
    """A minor's camp input, with a guardian."""
    start = timezone.localdate(event.starts_at) if event else date.today()
    values = {
        "birth_date": years_after(start, -age) - timedelta(days=30),
        "guardian_name": f"Elternteil {n}",
        "guardian_email": f"parent{n}@example.org",
        "guardian_phone": "0341 123456",
        "emergency_contact": "Oma, 0341 654321",
        "medical_notes": "Erdnussallergie",
    }
    values.update(extra)
    return person(n, **values)
