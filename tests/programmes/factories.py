"""Factories of the programme tests: a published programme with events, a signed-up
company with its member, mentors and mentees."""

from datetime import timedelta

import factory
from django.utils import timezone

from programmes import consent_texts
from programmes.models import Participant, Programme, ProgrammeEvent, Signup
from tests.factories import EventFactory, OrganisationFactory
from tests.fairs.factories import CompanyFactory


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Programme

    organisation = factory.SubFactory(OrganisationFactory)
    slug = factory.Sequence(lambda n: f"programm-{n}")
    status = Programme.Status.PUBLISHED
    title_de = factory.Sequence(lambda n: f"Mentoring {n}")
    title_en = factory.Sequence(lambda n: f"Mentoring programme {n}")
    title_plain = "Hilfe für neue Kollegen"
    offer_de = "Erfahrene Beschäftigte begleiten neue Kolleginnen."
    offer_en = "Experienced employees accompany new colleagues."
    offer_plain = "Ein Kollege hilft Ihnen am Anfang."
    audience_de = "Unternehmen im Landkreis."
    audience_en = "Companies in the district."
    audience_plain = "Das ist für Firmen."
    starts_on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=10))
    ends_on = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=100))
    partners = "Nestbau-Zentrale\nARBEIT UND LEBEN Sachsen e. V."


def add_event(programme, role=ProgrammeEvent.Role.SESSION, **fields):
    event = EventFactory(organisation=programme.organisation, **fields)
    ProgrammeEvent.objects.create(programme=programme, event=event, role=role)
    return event


class SignupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Signup

    programme = factory.SubFactory(ProgrammeFactory)
    company = factory.SubFactory(CompanyFactory)
    contact_name = "Petra Lange"
    contact_email = factory.LazyAttribute(lambda s: s.company.contact_email)
    international_employees = 3
    needs = ["language"]
    signed_up_at = factory.LazyFunction(timezone.now)


class ParticipantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Participant

    signup = factory.SubFactory(SignupFactory)
    role = Participant.Role.MENTEE
    name = factory.Sequence(lambda n: f"Person {n}")
    email = factory.Sequence(lambda n: f"person{n}@firma.example")
    consent_text = factory.LazyFunction(lambda: consent_texts.text_in("de"))
    consent_language = "de"
    consent_version = consent_texts.VERSION
    consent_given_at = factory.LazyFunction(timezone.now)
