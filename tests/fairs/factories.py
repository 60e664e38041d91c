"""factory_boy factories of the exhibitor side."""

import uuid
from datetime import timedelta
from decimal import Decimal

import factory
from django.utils import timezone

from events_platform.models import Event
from fairs.models import (
    Company,
    CompanyMember,
    CompanyVerification,
    Fair,
    Hall,
    JobOffer,
    Sector,
    Stand,
    StandBooking,
    WaitlistEntry,
)
from tests.factories import EventFactory, OrganisationFactory, UserFactory


class CompanyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Company

    name = factory.Sequence(lambda n: f"Agrar GmbH {n}")
    slug = factory.Sequence(lambda n: f"firma-{n}")
    sector = Sector.AGRICULTURE_FOOD
    contact_email = factory.Sequence(lambda n: f"kontakt{n}@firma.example")
    email_confirmed_at = factory.LazyFunction(timezone.now)


class CompanyVerificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CompanyVerification

    company = factory.SubFactory(CompanyFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    verified_at = factory.LazyFunction(timezone.now)


def _verified_by_the_organiser(obj, create, extracted, **kwargs) -> None:
    """`verified=True` (the default): the event's organisation has verified the company, as
    most tests assume; `verified=False` leaves it unverified there."""
    if create and extracted is not False:
        CompanyVerification.objects.get_or_create(
            organisation=obj.fair.event.organisation,
            company=obj.company,
            defaults={"verified_at": timezone.now()},
        )


class CompanyMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CompanyMember

    company = factory.SubFactory(CompanyFactory)
    user = factory.SubFactory(UserFactory)
    role = CompanyMember.Role.ADMIN


class FairFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Fair

    event = factory.SubFactory(EventFactory, kind=Event.Kind.APPRENTICESHIP_FAIR)
    cancellation_deadline = factory.LazyAttribute(lambda f: f.event.starts_at - timedelta(days=3))
    setup_starts_at = factory.LazyAttribute(lambda f: f.event.starts_at - timedelta(hours=3))
    setup_ends_at = factory.LazyAttribute(lambda f: f.event.starts_at - timedelta(minutes=30))
    teardown_starts_at = factory.LazyAttribute(lambda f: f.event.ends_at)
    teardown_ends_at = factory.LazyAttribute(lambda f: f.event.ends_at + timedelta(hours=2))
    power_price = Decimal("25.00")
    table_price = Decimal("10.00")
    chair_price = Decimal("2.50")
    parking_pass_price = Decimal("5.00")


class HallFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Hall

    fair = factory.SubFactory(FairFactory)
    name = factory.Sequence(lambda n: f"Halle {n}")
    width_m = Decimal("40")
    depth_m = Decimal("20")


class StandFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Stand

    hall = factory.SubFactory(HallFactory)
    label = factory.Sequence(lambda n: f"S{n}")
    x_m = factory.Sequence(lambda n: Decimal((n % 10) * 4))
    y_m = factory.Sequence(lambda n: Decimal((n // 10 % 5) * 4))
    width_m = Decimal("3")
    depth_m = Decimal("3")
    price = Decimal("150.00")
    has_power = True


class StandBookingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StandBooking
        skip_postgeneration_save = True

    company = factory.SubFactory(CompanyFactory)
    stand = factory.SubFactory(StandFactory)
    fair = factory.LazyAttribute(lambda b: b.stand.hall.fair)
    group = factory.LazyFunction(uuid.uuid4)
    status = StandBooking.Status.REQUESTED
    staff_pass_count = 2
    day_contact_name = "Anna Beispiel"
    day_contact_phone = "0170 1234567"
    stand_price = factory.LazyAttribute(lambda b: b.stand.price)
    requested_at = factory.LazyFunction(timezone.now)
    verified = factory.PostGeneration(_verified_by_the_organiser)


class WaitlistEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WaitlistEntry
        skip_postgeneration_save = True

    fair = factory.SubFactory(FairFactory)
    company = factory.SubFactory(CompanyFactory)
    created_at = factory.LazyFunction(timezone.now)
    verified = factory.PostGeneration(_verified_by_the_organiser)


class JobOfferFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = JobOffer

    company = factory.SubFactory(CompanyFactory)
    title = factory.Sequence(lambda n: f"Ausbildung Landwirt/in {n}")
    kind = JobOffer.Kind.APPRENTICESHIP
    place_of_work = "Torgau"
