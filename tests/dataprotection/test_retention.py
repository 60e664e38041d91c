"""Retention: personal data leaves on time, by periodic tasks with a fixed `now`, and the
counts for funders' reports stay right afterwards."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from config.celery import app as celery_app
from events_platform.models import Event, Organisation
from fairs import queries as fairs_queries
from fairs import services as fairs_services
from fairs.models import StaffPass, StandBooking
from tests.factories import EventFactory, UserFactory
from tests.fairs.factories import StandBookingFactory, StandFactory
from tests.ticketing.factories import CampFactory, camper, person
from ticketing import queries as ticketing_queries
from ticketing import services as ticketing
from ticketing.models import Registration, RegistrationSettings

pytestmark = pytest.mark.django_db

BERLIN = ZoneInfo("Europe/Berlin")


def test_every_retention_job_is_on_the_one_beat_schedule():
    tasks = {entry["task"] for entry in celery_app.conf.beat_schedule.values()}
    assert {
        "ticketing.tasks.erase_expired_visitor_data",
        "ticketing.tasks.erase_expired_medical_notes",
        "fairs.tasks.anonymise_expired_booking_contacts",
        "notifications.tasks.anonymise_expired_messages",
    } <= tasks


def test_visitor_data_retention_defaults_to_30_days_and_is_set_per_organisation():
    assert Organisation._meta.get_field("visitor_data_retention_days").default == 30
    short = EventFactory(organisation__visitor_data_retention_days=30)
    long = EventFactory(organisation__visitor_data_retention_days=90, starts_at=short.starts_at)
    a = ticketing.register(event=short, data=person(1), now=timezone.now())
    b = ticketing.register(event=long, data=person(2), now=timezone.now())
    assert ticketing.erase_expired_visitor_data(now=short.ends_at + timedelta(days=30)) == 1
    a.refresh_from_db()
    b.refresh_from_db()
    assert (a.name, a.email) == ("", "") and b.name == "Besucherin 2"
    assert ticketing.erase_expired_visitor_data(now=long.ends_at + timedelta(days=90)) == 1
    b.refresh_from_db()
    assert b.email == ""


def test_medical_notes_leave_a_week_after_the_camp_and_the_rest_stays_until_retention():
    camp = CampFactory()
    registration = ticketing.register(
        event=camp, data=camper(1, event=camp, guardian_email="p@example.org"), now=timezone.now()
    )
    ticketing.confirm_guardian_consent(
        token=registration.guardian_token,
        photo_consent=True,
        guardian_name="Elternteil 1",
        now=timezone.now(),
    )
    day_six = camp.ends_at + timedelta(days=6, hours=23)
    assert ticketing.erase_expired_medical_notes(now=day_six) == 0
    registration.refresh_from_db()
    assert registration.medical_notes == "Erdnussallergie"

    day_seven = camp.ends_at + timedelta(days=7)
    assert ticketing.erase_expired_medical_notes(now=day_seven) == 1
    registration.refresh_from_db()
    assert (registration.medical_notes, registration.emergency_contact) == ("", "")
    # Name, guardian and consents stay until the visitor-data retention ends.
    assert registration.name == "Besucherin 1" and registration.guardian_email == "p@example.org"
    assert registration.consents.filter(topic="guardian").exists()
    assert ticketing.erase_expired_medical_notes(now=day_seven + timedelta(hours=1)) == 0


def test_medical_notes_of_a_running_or_coming_camp_stay(settings):
    settings.TICKETING_MEDICAL_NOTES_RETENTION_DAYS = 7
    running = CampFactory(
        starts_at=timezone.now() - timedelta(days=1), ends_at=timezone.now() + timedelta(days=2)
    )
    Registration.objects.create(
        event=running,
        status="confirmed",
        name="Kind",
        email="k@example.org",
        medical_notes="Asthma",
        created_at=timezone.now(),
    )
    assert ticketing.erase_expired_medical_notes(now=timezone.now()) == 0
    assert Registration.objects.get().medical_notes == "Asthma"


def _camp_with_notes(*, retention_days: int | None) -> tuple[Event, Registration]:
    camp = CampFactory(
        starts_at=datetime(2026, 7, 20, 9, tzinfo=BERLIN),
        ends_at=datetime(2026, 7, 24, 16, tzinfo=BERLIN),
    )
    RegistrationSettings.objects.create(event=camp, medical_notes_retention_days=retention_days)
    registration = Registration.objects.create(
        event=camp,
        status="confirmed",
        name="Kind",
        email="k@example.org",
        medical_notes="Asthma",
        emergency_contact="Mutter, 0341 1234567",
        created_at=timezone.now(),
    )
    return camp, registration


def _erased(registration: Registration) -> bool:
    registration.refresh_from_db()
    return (registration.medical_notes, registration.emergency_contact) == ("", "")


def _per_camp_days_and_the_default(settings):
    settings.TICKETING_MEDICAL_NOTES_RETENTION_DAYS = 7
    short, short_notes = _camp_with_notes(retention_days=2)
    long, long_notes = _camp_with_notes(retention_days=14)
    default, default_notes = _camp_with_notes(retention_days=None)
    ends = short.ends_at
    assert short.ends_at == long.ends_at == default.ends_at

    assert ticketing.erase_expired_medical_notes(now=ends + timedelta(days=2, minutes=-1)) == 0
    assert not _erased(short_notes)
    assert ticketing.erase_expired_medical_notes(now=ends + timedelta(days=2)) == 1
    assert _erased(short_notes) and not _erased(default_notes) and not _erased(long_notes)

    assert ticketing.erase_expired_medical_notes(now=ends + timedelta(days=7, minutes=-1)) == 0
    assert ticketing.erase_expired_medical_notes(now=ends + timedelta(days=7)) == 1
    assert _erased(default_notes) and not _erased(long_notes)

    assert ticketing.erase_expired_medical_notes(now=ends + timedelta(days=14, minutes=-1)) == 0
    assert ticketing.erase_expired_medical_notes(now=ends + timedelta(days=14)) == 1
    assert _erased(long_notes)


def test_a_camp_keeps_medical_notes_for_its_own_days_or_the_platform_default(settings):
    _per_camp_days_and_the_default(settings)


@pytest.mark.sqlite
def test_sqlite_a_camp_keeps_medical_notes_for_its_own_days_or_the_platform_default(settings):
    _per_camp_days_and_the_default(settings)


def test_a_camp_keeps_medical_notes_at_most_30_days():
    camp = CampFactory()
    rules = RegistrationSettings(event=camp, medical_notes_retention_days=31)
    with pytest.raises(ValidationError) as error:
        rules.full_clean()
    assert "medical_notes_retention_days" in error.value.message_dict


def _past_fair_booking(*, ended: datetime, **extra) -> StandBooking:
    stand = StandFactory(
        hall__fair__event__starts_at=ended - timedelta(hours=6),
        hall__fair__event__ends_at=ended,
    )
    booking = StandBookingFactory(
        stand=stand,
        status=StandBooking.Status.APPROVED,
        requested_by=UserFactory(),
        decided_by=UserFactory(),
        **extra,
    )
    StaffPass.objects.create(
        booking=booking,
        name="Jan Standdienst",
        serial=1000 + booking.pk,
        secret=f"s{booking.pk}",
        created_at=ended,
    )
    return booking


def test_booking_contacts_are_kept_six_years_after_the_year_then_anonymised(settings):
    settings.FAIRS_BOOKING_RETENTION_YEARS = 6
    booking = _past_fair_booking(ended=datetime(2019, 6, 15, 14, tzinfo=BERLIN))
    event = booking.fair.event
    before = fairs_queries.figures(Event.objects.filter(pk=event.pk))

    last_day = datetime(2025, 12, 31, 23, 59, tzinfo=BERLIN)
    assert fairs_services.anonymise_expired_booking_contacts(now=last_day) == 0
    booking.refresh_from_db()
    assert booking.day_contact_name == "Anna Beispiel"

    new_year = datetime(2026, 1, 1, 0, 1, tzinfo=BERLIN)
    assert fairs_services.anonymise_expired_booking_contacts(now=new_year) == 1
    booking.refresh_from_db()
    assert (booking.day_contact_name, booking.day_contact_phone) == ("", "")
    assert booking.requested_by is None and booking.decided_by is None
    assert booking.staff_passes.get().name == ""
    # The business facts and the exhibitor figures stay.
    assert booking.status == "approved" and booking.stand_price == booking.stand.price
    assert fairs_queries.figures(Event.objects.filter(pk=event.pk)) == before
    assert fairs_services.anonymise_expired_booking_contacts(now=new_year) == 0


def test_the_booking_retention_is_configurable(settings):
    booking = _past_fair_booking(ended=datetime(2019, 6, 15, 14, tzinfo=BERLIN))
    settings.FAIRS_BOOKING_RETENTION_YEARS = 10
    assert (
        fairs_services.anonymise_expired_booking_contacts(now=datetime(2026, 1, 2, tzinfo=BERLIN))
        == 0
    )
    assert (
        fairs_services.anonymise_expired_booking_contacts(
            now=datetime(2030, 1, 1, 0, 1, tzinfo=BERLIN)
        )
        == 1
    )
    booking.refresh_from_db()
    assert booking.day_contact_name == ""


def test_counts_for_funders_reports_stay_the_same_after_anonymisation():
    event = EventFactory(capacity=2)
    for n in range(3):  # two confirmed, one on the waiting list
        ticketing.register(event=event, data=person(n), now=timezone.now())
    school = EventFactory(
        kind=Event.Kind.APPRENTICESHIP_FAIR, organisation=event.organisation, capacity=200
    )
    ticketing.register(
        event=school,
        data=person(9, school="Oberschule Torgau", grade="9b", pupils=24, adults=2),
        now=timezone.now(),
    )
    events = Event.objects.filter(pk__in=[event.pk, school.pk])
    before = [
        {k: v for k, v in row.items() if k != "event"}
        for row in ticketing_queries.counts_per_site(events)
    ]
    later = max(event.ends_at, school.ends_at) + timedelta(days=365)
    assert ticketing.erase_expired_visitor_data(now=later) == 4
    after = [
        {k: v for k, v in row.items() if k != "event"}
        for row in ticketing_queries.counts_per_site(events)
    ]
    assert after == before
    assert before[0]["confirmed"] + before[1]["confirmed"] >= 3
    assert not Registration.objects.exclude(name="").exists()


def test_copies_of_visitor_mails_leave_with_the_visitor_data_booking_mails_stay():
    from notifications import retention as message_retention
    from notifications.models import Message, Purpose

    event = EventFactory(organisation__visitor_data_retention_days=30)
    ticketing.register(event=event, data=person(1), now=timezone.now())
    booking = StandBookingFactory(stand__hall__fair__event=EventFactory(starts_at=event.starts_at))
    fairs_services.approve_booking(booking=booking, by=UserFactory(), now=timezone.now())
    Message.objects.update(state="sent", sent_at=timezone.now())
    visitor_mail = Message.objects.get(purpose=Purpose.REGISTRATION_CONFIRMED)
    assert "Besucherin 1" in visitor_mail.body_text

    later = max(event.ends_at, booking.fair.event.ends_at)
    assert message_retention.anonymise_expired_messages(now=later + timedelta(days=29)) == 0
    assert message_retention.anonymise_expired_messages(now=later + timedelta(days=30)) == 1
    visitor_mail.refresh_from_db()
    assert (visitor_mail.to_email, visitor_mail.body_text, visitor_mail.subject) == ("", "", "")
    assert visitor_mail.state == "sent" and visitor_mail.purpose == Purpose.REGISTRATION_CONFIRMED
    booking_mail = Message.objects.get(purpose=Purpose.BOOKING_APPROVED)
    assert booking_mail.to_email == booking.company.contact_email


def test_mailed_links_to_a_persons_data_are_anonymised_after_30_days():
    from dataprotection import subject_requests
    from notifications import retention as message_retention
    from notifications.models import Message, Purpose

    ticketing.register(event=EventFactory(), data=person(1), now=timezone.now())
    subject_requests.request_data_link(
        email="visitor1@example.org", language="de", now=timezone.now()
    )
    Message.objects.update(state="sent", sent_at=timezone.now())
    link = Message.objects.get(purpose=Purpose.DATA_ACCESS_LINK)
    Message.objects.filter(pk=link.pk).update(created_at=timezone.now() - timedelta(days=31))
    assert message_retention.anonymise_expired_messages(now=timezone.now()) == 1
    link.refresh_from_db()
    assert link.to_email == "" and "ihre-daten" not in link.body_text


def test_the_audit_log_keeps_the_action_but_not_the_visitors_name():
    from events_platform import audit
    from events_platform.models import AuditEntry

    event = EventFactory()
    registration = ticketing.register(event=event, data=person(1), now=timezone.now())
    audit.record_action(
        actor=None, organisation=event.organisation, action="admin_changed", target=registration
    )
    assert "Besucherin 1" in AuditEntry.objects.get().target_repr
    ticketing.erase_expired_visitor_data(now=event.ends_at + timedelta(days=30))
    entry = AuditEntry.objects.get()
    assert entry.action == "admin_changed" and entry.target_id == str(registration.pk)
    assert entry.target_repr == "(gelöscht)"


def test_the_personal_calendar_feed_goes_with_the_last_registration_naming_the_address():
    from ticketing.models import VisitorFeed

    past = EventFactory()
    coming = EventFactory(starts_at=past.starts_at + timedelta(days=200))
    ticketing.register(event=past, data=person(1), now=timezone.now())
    ticketing.register(event=past, data=person(2), now=timezone.now())
    ticketing.register(event=coming, data=person(2), now=timezone.now())
    ticketing.erase_expired_visitor_data(now=past.ends_at + timedelta(days=30))
    assert list(VisitorFeed.objects.values_list("email", flat=True)) == ["visitor2@example.org"]
