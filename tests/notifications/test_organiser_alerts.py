"""Organisers learn of new stand requests, withdrawals and full events by e-mail: at once or
in a daily summary (safe to run twice), as each organiser chose per organisation; the menu
counts the open requests and leads to the check-in and live pages."""

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from events_platform.models import Membership
from fairs import services as fairs
from notifications import outbox
from notifications.models import Message, OrganiserAlert, OrganiserAlertSetting, Purpose
from notifications.organiser_alerts import send_daily_digests
from tests.factories import EventFactory, MembershipFactory, TimeSlotFactory, UserFactory
from tests.fairs.factories import CompanyFactory, StandBookingFactory, StandFactory
from tests.ticketing.factories import person
from ticketing import services as ticketing

pytestmark = pytest.mark.django_db

BERLIN = ZoneInfo("Europe/Berlin")
Mode = OrganiserAlertSetting.Mode


def _organiser(organisation, mode=None, **user):
    membership = MembershipFactory(organisation=organisation, user=UserFactory(**user))
    if mode is not None:
        OrganiserAlertSetting.objects.create(membership=membership, mode=mode)
    return membership


def _request_stand(stand, company=None):
    return fairs.request_stands(
        company=company or CompanyFactory(name="Bäckerei Sonnenschein"),
        stand_ids=[stand.pk],
        extras=fairs.Extras(),
        staff_passes=1,
        day_contact_name="Anna",
        day_contact_phone="0170 1",
        by=UserFactory(),
        now=timezone.now(),
    )[0]


def _alerts_to(email):
    return list(Message.objects.filter(purpose=Purpose.ORGANISER_ALERT, to_email=email))


def test_a_stand_request_mails_at_once_only_those_who_chose_it():
    stand = StandFactory(label="A7")
    organisation = stand.hall.fair.event.organisation
    at_once = _organiser(organisation, Mode.AT_ONCE, email="sofort@wfg.example")
    daily = _organiser(organisation)  # no choice made: the daily summary
    silent = _organiser(organisation, Mode.NONE)
    stranger = _organiser(EventFactory().organisation, Mode.AT_ONCE)
    booking = _request_stand(stand)

    [alert] = _alerts_to("sofort@wfg.example")
    assert alert.subject.startswith("Neue Standanfrage: ")
    assert "Bäckerei Sonnenschein, A7" in alert.body_text
    assert reverse("fairs:organiser-fair", args=[stand.hall.fair.event.slug]) in alert.body_text
    assert reverse("notifications:alert-settings") in alert.body_text
    for other in (daily, silent, stranger):
        assert _alerts_to(other.user.email) == []
    # The same request announced again is no new alert and no second mail.
    from fairs import signals

    signals.booking_requested.send(sender=type(booking), booking=booking)
    assert len(_alerts_to(at_once.user.email)) == 1
    assert OrganiserAlert.objects.count() == 1


def test_door_staff_get_no_alerts():
    stand = StandFactory()
    membership = MembershipFactory(
        organisation=stand.hall.fair.event.organisation, role=Membership.Role.CHECKIN_STAFF
    )
    OrganiserAlertSetting.objects.create(membership=membership, mode=Mode.AT_ONCE)
    _request_stand(stand)
    assert _alerts_to(membership.user.email) == []


def test_a_withdrawal_is_an_alert_a_cancellation_by_the_organiser_is_not():
    withdrawn = StandBookingFactory(status="approved", stand__label="B2")
    organisation = withdrawn.fair.event.organisation
    at_once = _organiser(organisation, Mode.AT_ONCE)
    fairs.withdraw_booking(booking=withdrawn, by=UserFactory(), now=timezone.now())
    [mail] = _alerts_to(at_once.user.email)
    assert mail.subject.startswith("Standbuchung zurückgezogen: ")
    assert "Der Standplatz ist wieder frei." in mail.body_text

    cancelled = StandBookingFactory(
        status="approved", fair=withdrawn.fair, stand__hall=withdrawn.stand.hall
    )
    fairs.cancel_booking(booking=cancelled, by=at_once.user, reason="Umbau", now=timezone.now())
    assert len(_alerts_to(at_once.user.email)) == 1


def test_the_registration_that_fills_an_event_or_a_slot_alerts_once():
    event = EventFactory(capacity=2, title_de="Fachtag Fachkräfte")
    at_once = _organiser(event.organisation, Mode.AT_ONCE)
    now = timezone.now()
    ticketing.register(event=event, data=person(1), now=now)
    assert _alerts_to(at_once.user.email) == []
    ticketing.register(event=event, data=person(2), now=now)
    ticketing.register(event=event, data=person(3), now=now)  # waiting list: nothing new
    [mail] = _alerts_to(at_once.user.email)
    assert mail.subject.startswith("Ausgebucht: Fachtag Fachkräfte")
    assert "Neue Anmeldungen kommen auf die Warteliste." in mail.body_text

    slot_event = EventFactory(capacity=100)
    slot = TimeSlotFactory(event=slot_event, capacity=1)
    TimeSlotFactory(event=slot_event, capacity=5, starts_at=slot.ends_at)
    slot_organiser = _organiser(slot_event.organisation, Mode.AT_ONCE)
    ticketing.register(event=slot_event, data=person(4, time_slot_id=slot.pk), now=now)
    [slot_mail] = _alerts_to(slot_organiser.user.email)
    assert "Ein Zeitfenster der Veranstaltung ist ausgebucht." in slot_mail.body_text
    assert "Zeitfenster" in slot_mail.body_text


def _berlin(day, hour):
    return datetime.combine(day, datetime.min.time(), tzinfo=BERLIN) + timedelta(hours=hour)


def test_the_daily_summary_lists_yesterday_once_per_organiser(mailbox):
    stand = StandFactory(label="C3")
    organisation = stand.hall.fair.event.organisation
    _organiser(organisation, email="tag@wfg.example", first_name="Petra", last_name="Plan")
    at_once = _organiser(organisation, Mode.AT_ONCE)
    _organiser(EventFactory().organisation)  # another organisation: nothing to report
    booking = _request_stand(stand)
    fairs.withdraw_booking(booking=booking, by=UserFactory(), now=timezone.now())
    today = timezone.localdate()
    tomorrow_morning = _berlin(today + timedelta(days=1), 7)

    assert send_daily_digests(now=_berlin(today + timedelta(days=1), 5)) == 0  # too early
    assert send_daily_digests(now=tomorrow_morning) == 1
    assert send_daily_digests(now=tomorrow_morning + timedelta(hours=1)) == 0  # twice: once
    [digest] = Message.objects.filter(purpose=Purpose.ORGANISER_DIGEST)
    assert digest.to_email == "tag@wfg.example"
    assert not Message.objects.filter(
        purpose=Purpose.ORGANISER_DIGEST, to_email=at_once.user.email
    ).exists()
    assert "1 neue Standanfrage:" in digest.body_text
    assert "1 Standbuchung zurückgezogen:" in digest.body_text
    assert "Bäckerei Sonnenschein, C3" in digest.body_text
    assert "Petra Plan" in digest.body_text

    outbox.deliver_messages(message_ids=[digest.pk])  # the batch takes other queued mail along
    [mail] = mailbox.wait_for_matching(lambda m: m["To"] == "tag@wfg.example")
    assert mail["To"] == "tag@wfg.example"
    # A quiet day: no summary.
    assert send_daily_digests(now=_berlin(today + timedelta(days=2), 7)) == 0


def test_organiser_chooses_per_organisation_on_the_settings_page(client):
    first = _organiser(EventFactory().organisation)
    second = MembershipFactory(user=first.user, organisation=EventFactory().organisation)
    client.force_login(first.user)
    url = reverse("notifications:alert-settings")
    page = client.get(url).content.decode()
    assert first.organisation.name in page and second.organisation.name in page
    assert "Eine Zusammenfassung am Tag" in page

    refused = client.post(url, {f"mode_{first.pk}": "at_once"})
    assert refused.status_code == 200
    assert "Bitte wählen Sie eine Möglichkeit." in refused.content.decode()
    assert re.search(
        f'name="mode_{first.pk}" value="at_once"[^>]*checked', refused.content.decode()
    )

    saved = client.post(url, {f"mode_{first.pk}": "at_once", f"mode_{second.pk}": "none"})
    assert saved.status_code == 302
    assert OrganiserAlertSetting.objects.get(membership=first).mode == Mode.AT_ONCE
    assert OrganiserAlertSetting.objects.get(membership=second).mode == Mode.NONE

    client.force_login(UserFactory())
    assert client.get(url).status_code == 404


def test_the_menu_counts_open_requests_and_links_check_in(client):
    booking = StandBookingFactory()
    StandBookingFactory(fair=booking.fair, stand__hall=booking.stand.hall, status="approved")
    organiser = _organiser(booking.fair.event.organisation)
    client.force_login(organiser.user)
    page = client.get(reverse("fairs:organiser-fairs")).content.decode()
    assert "Standbuchungen (1 offene Anfrage)" in page
    assert f'href="{reverse("checkin:home")}"' in page
    assert "Einlass und Live-Ansicht" in page
