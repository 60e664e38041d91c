"""factory_boy factories for the whole suite; each app's factories live here, by app."""

from datetime import datetime, timedelta

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from events_platform.models import (
    Event,
    EventSeries,
    Membership,
    Organisation,
    Session,
    TargetGroup,
    TimeSlot,
    Venue,
)


def start_of_today() -> datetime:
    """Midnight at the start of today, Berlin time. Times of day added to it stay the same
    whatever the hour a test runs at (an event of "now plus ten days" may run past midnight;
    a camp from an hour ago may have started yesterday)."""
    return timezone.make_aware(datetime.combine(timezone.localdate(), datetime.min.time()))


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.django.Password("correct horse battery staple")


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Fachkräfteallianz {n}")
    slug = factory.Sequence(lambda n: f"org-{n}")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Membership.Role.ORGANISER_ADMIN


class VenueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Venue

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Rathaus {n}")
    town = "Torgau"
    street = "Markt 1"
    postcode = "04860"


class TargetGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TargetGroup
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"group-{n}")
    name_de = factory.Sequence(lambda n: f"Zielgruppe {n}")
    name_en = factory.Sequence(lambda n: f"Target group {n}")


class EventSeriesFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EventSeries

    organisation = factory.SubFactory(OrganisationFactory)
    slug = factory.Sequence(lambda n: f"series-{n}")
    title_de = factory.Sequence(lambda n: f"Reihe {n}")
    title_en = factory.Sequence(lambda n: f"Series {n}")


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event

    organisation = factory.SubFactory(OrganisationFactory)
    venue = factory.SubFactory(VenueFactory, organisation=factory.SelfAttribute("..organisation"))
    kind = Event.Kind.WORKSHOP
    status = Event.Status.PUBLISHED
    slug = factory.Sequence(lambda n: f"event-{n}")
    title_de = factory.Sequence(lambda n: f"Veranstaltung {n}")
    title_en = factory.Sequence(lambda n: f"Event {n}")
    starts_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=10))
    ends_at = factory.LazyAttribute(lambda e: e.starts_at + timedelta(hours=2))
    capacity = 100


class TimeSlotFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TimeSlot

    event = factory.SubFactory(EventFactory)
    starts_at = factory.LazyAttribute(lambda s: s.event.starts_at)
    ends_at = factory.LazyAttribute(lambda s: s.starts_at + timedelta(minutes=30))
    capacity = 30


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Session

    event = factory.SubFactory(EventFactory, kind=Event.Kind.CONFERENCE)
    title_de = factory.Sequence(lambda n: f"Workshop {n}")
    title_en = factory.Sequence(lambda n: f"Workshop {n}")
    starts_at = factory.LazyAttribute(lambda s: s.event.starts_at)
    ends_at = factory.LazyAttribute(lambda s: s.starts_at + timedelta(hours=1))
    capacity = 20
