"""The event's lifecycle as the core's use case: publish, cancel, change the capacity.

Cancelling revokes every ticket (the door refuses it), closes the waiting lists and the stand
bookings and tells every person concerned once, in their language, through the outbox.
"""

import threading
import uuid
from collections import Counter
from datetime import date, timedelta
from html.parser import HTMLParser

import pytest
from django.db import connection, connections, transaction
from django.urls import reverse
from django.utils import timezone

from checkin import services as checkin
from checkin.services import Code
from events_platform import services
from events_platform.models import AuditEntry, Event
from fairs.models import StaffPass, StandBooking, WaitlistEntry
from infra.errors import DomainError
from notifications.models import Message
from tests.checkin.factories import DoorEventFactory, make_tickets, pair
from tests.factories import EventFactory, EventSeriesFactory, MembershipFactory, UserFactory
from tests.fairs.factories import (
    CompanyFactory,
    FairFactory,
    HallFactory,
    StandBookingFactory,
    StandFactory,
    WaitlistEntryFactory,
)
from tests.fairs.test_concurrency import _attempt as request_stand
from tests.notifications.conftest import wait_until
from ticketing import services as ticketing
from ticketing.models import Registration, Ticket

Status = Registration.Status


@pytest.fixture(params=[pytest.param("default"), pytest.param("sqlite", marks=pytest.mark.sqlite)])
def on_each_database(request):
    """Runs a test in the PostgreSQL pass and again in the SQLite pass."""
    return request.param


def _waiting(event, count: int, *, start: int = 0, offered: int = 0) -> list[Registration]:
    """`count` people on the event's waiting list, the first `offered` holding an offer."""
    now = timezone.now()
    return Registration.objects.bulk_create(
        Registration(
            event=event,
            name=f"Wartende {n}",
            email=f"wait{n}@example.org",
            language="en" if n % 2 else "de",
            status=Status.OFFERED if n - start < offered else Status.WAITLISTED,
            offer_expires_at=now + timedelta(hours=24) if n - start < offered else None,
            waitlisted_at=now + timedelta(seconds=n),
            created_at=now,
        )
        for n in range(start, start + count)
    )


def _bookings(event, count: int) -> list[StandBooking]:
    fair = FairFactory(event=event)
    hall = HallFactory(fair=fair)
    bookings = [
        StandBookingFactory(
            stand=StandFactory(hall=hall),
            status=StandBooking.Status.APPROVED if n % 3 else StandBooking.Status.REQUESTED,
            company=CompanyFactory(language="en" if n == 0 else "de"),
        )
        for n in range(count)
    ]
    StaffPass.objects.create(
        booking=bookings[1],
        name="Standkraft",
        serial=10**12 + bookings[1].pk,
        secret=uuid.uuid4().hex,
        created_at=timezone.now(),
    )
    return bookings


def _minor_awaiting_guardian(event, **extra) -> Registration:
    """Tom, who registered himself; his parent Petra has not confirmed yet."""
    return Registration.objects.create(
        event=event,
        kind=Registration.Kind.CAMP_PARTICIPANT,
        name="Tom",
        email="tom@example.org",
        guardian_name="Petra Vater",
        guardian_email="petra@example.org",
        guardian_token="tok",
        guardian_deadline=timezone.now() + timedelta(hours=72),
        status=Status.PENDING_GUARDIAN,
        created_at=timezone.now(),
        **extra,
    )


def _outbox(event) -> Counter:
    return Counter(Message.objects.filter(event=event).values_list("to_email", flat=True))


# --- Cancel: the whole event, through a real worker and a real SMTP server -----------------


@pytest.mark.celery
@pytest.mark.django_db(transaction=True)
def test_cancel_200_registered_20_waiting_10_bookings(celery_worker, mailbox):
    event = DoorEventFactory(
        capacity=200, title_de="Rückkehrertag Torgau", title_en="Returnee day Torgau"
    )
    tickets = make_tickets(event, 200)
    Registration.objects.filter(pk__in=[t.registration_id for t in tickets[:40]]).update(
        language="en"
    )
    _waiting(event, 20, offered=3)
    bookings = _bookings(event, 10)
    stand_waiting = WaitlistEntryFactory(fair=bookings[0].fair)
    _minor_awaiting_guardian(event)
    organiser = UserFactory()

    result = services.cancel_event(
        event=event, by=organiser, now=timezone.now(), reason="Der Saal ist gesperrt."
    )

    assert not result.already_cancelled
    assert (result.registrations_cancelled, result.tickets_revoked) == (200, 200)
    assert (result.waitlist_closed, result.bookings_cancelled) == (20, 10)
    assert result.guardian_requests_closed == 1
    assert (result.stand_waitlist_closed, result.people_told, result.exhibitors_told) == (
        1,
        222,
        11,
    )

    # Every person and every company gets exactly one mail, in their language.
    mails = mailbox.wait_for(233, timeout=120)
    received = Counter(str(mail["To"]) for mail in mails)
    expected = {f"bulk{n}@example.org" for n in range(200)}
    expected |= {f"wait{n}@example.org" for n in range(20)}
    expected |= {booking.company.contact_email for booking in bookings}
    expected |= {stand_waiting.company.contact_email, "tom@example.org", "petra@example.org"}
    assert set(received) == expected
    assert set(received.values()) == {1}
    subjects = {str(mail["To"]): str(mail["Subject"]).strip() for mail in mails}
    assert subjects["bulk0@example.org"] == "Cancelled: Returnee day Torgau"
    assert subjects["bulk100@example.org"] == "Abgesagt: Rückkehrertag Torgau"
    by_address = {str(mail["To"]): mail.get_body(("plain",)).get_content() for mail in mails}
    assert (
        "Your registration is cancelled and your ticket is no longer valid."
        in by_address["bulk0@example.org"]
    )
    assert "Der Saal ist gesperrt." in by_address["bulk100@example.org"]
    assert "nicht mehr auf der Warteliste" in by_address["wait0@example.org"]
    assert "Standbuchung" in by_address[bookings[1].company.contact_email]
    wait_until(
        lambda: (
            set(Message.objects.filter(event=event).values_list("state", flat=True)) == {"sent"}
        ),
        what="every message marked sent",
    )
    assert len(mailbox.messages) == 233  # each row is sent once: no second mail arrived

    # Nothing is left offered or held.
    assert not Registration.objects.filter(
        event=event, status__in=Registration.HOLDING + (Status.WAITLISTED,)
    ).exists()
    assert not Ticket.objects.filter(event=event, status=Ticket.Status.VALID).exists()
    assert not StandBooking.objects.filter(
        fair__event=event, status__in=StandBooking.ACTIVE
    ).exists()
    assert not WaitlistEntry.objects.filter(
        fair__event=event, status__in=[WaitlistEntry.Status.WAITING, WaitlistEntry.Status.OFFERED]
    ).exists()
    assert not StaffPass.objects.filter(
        booking__fair__event=event, revoked_at__isnull=True
    ).exists()

    # The door refuses every ticket.
    device, _token = pair(event)
    answers = Counter(
        checkin.redeem_ticket(
            device=device, secret=ticket.secret, nonce=uuid.uuid4().hex, now=timezone.now()
        ).code
        for ticket in tickets
    )
    assert answers == {Code.CANCELLED: 200}

    # Cancelling again changes nothing and writes no message.
    written = Message.objects.count()
    again = services.cancel_event(event=event, by=organiser, now=timezone.now())
    assert again.already_cancelled and again.people_told == 0
    assert Message.objects.count() == written
    assert AuditEntry.objects.filter(action="event_cancelled", target_id=str(event.pk)).count() == 1


# --- Cancel: who is told, in which words (outbox rows, no worker) ---------------------------


@pytest.mark.django_db
def test_camp_cancel_tells_the_parent_once_for_two_children_and_the_guardian(on_each_database):
    camp = EventFactory(kind=Event.Kind.CAMP, capacity=2, title_de="NaWi-Camp")
    now = timezone.now()
    child = {
        "kind": Registration.Kind.CAMP_PARTICIPANT,
        "created_at": now,
        "birth_date": date(2014, 5, 1),
    }
    first = Registration.objects.create(
        event=camp,
        name="Ida",
        email="mama@example.org",
        guardian_name="Maria Muster",
        guardian_email="mama@example.org",
        status=Status.CONFIRMED,
        **child,
    )
    Registration.objects.create(
        event=camp,
        name="Ole",
        email="mama@example.org",
        guardian_name="Maria Muster",
        guardian_email="mama@example.org",
        status=Status.WAITLISTED,
        waitlisted_at=now,
        **child,
    )
    ticketing._issue_ticket(first, now)

    result = services.cancel_event(event=camp, by=UserFactory(), now=now)

    assert (result.registrations_cancelled, result.waitlist_closed, result.people_told) == (1, 1, 1)
    message = Message.objects.get(event=camp)
    assert message.to_email == "mama@example.org" and message.purpose == "event_cancelled"
    assert message.subject == "Abgesagt: NaWi-Camp"
    assert "Guten Tag Maria Muster" in message.body_text or "Maria Muster" in message.body_text
    assert "Die Anmeldung von Ida ist storniert" in message.body_text
    assert "Ole steht nicht mehr auf der Warteliste" in message.body_text


@pytest.mark.django_db
def test_a_minor_waiting_for_the_guardian_and_the_guardian_are_both_told(on_each_database):
    event = EventFactory(min_age=14)
    teen = _minor_awaiting_guardian(event, language="en")

    result = services.cancel_event(event=event, by=UserFactory(), now=timezone.now())

    assert (result.guardian_requests_closed, result.people_told) == (1, 2)
    assert _outbox(event) == Counter({"tom@example.org": 1, "petra@example.org": 1})
    guardian = Message.objects.get(to_email="petra@example.org")
    assert "nothing left to confirm" in guardian.body_text
    with pytest.raises(DomainError) as refused:
        ticketing.confirm_guardian_consent(
            token="tok", photo_consent=True, guardian_name="Petra", now=timezone.now()
        )
    assert refused.value.code == "guardian_link_expired"
    teen.refresh_from_db()
    assert teen.status == Status.CANCELLED


@pytest.mark.django_db
def test_an_open_offer_cannot_be_accepted_after_the_cancellation(on_each_database):
    event = EventFactory(capacity=1)
    (offered,) = _waiting(event, 1, offered=1)

    services.cancel_event(event=event, by=UserFactory(), now=timezone.now())

    with pytest.raises(DomainError) as refused:
        ticketing.accept_offer(registration=offered, now=timezone.now())
    assert refused.value.code == "no_offer"


@pytest.mark.django_db
def test_cancel_is_audited_with_its_counts_and_a_second_cancel_writes_nothing(on_each_database):
    event = EventFactory()
    make_tickets(event, 3)
    organiser = UserFactory()

    services.cancel_event(event=event, by=organiser, now=timezone.now(), reason="  Sturm  ")
    again = services.cancel_event(event=event, by=organiser, now=timezone.now(), reason="x")

    assert again.already_cancelled
    entry = AuditEntry.objects.get(action="event_cancelled", target_id=str(event.pk))
    assert entry.actor == organiser and entry.organisation == event.organisation
    assert entry.details["reason"] == "Sturm"
    assert entry.details["previous_status"] == "published"
    assert entry.details["tickets_revoked"] == 3 and entry.details["people_told"] == 3
    assert sum(_outbox(event).values()) == 3
    event.refresh_from_db()
    assert event.status == Event.Status.CANCELLED


# --- Publish --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_publish_a_draft_is_audited_and_opens_registration(on_each_database):
    event = EventFactory(status=Event.Status.DRAFT)
    organiser = UserFactory()
    assert not event.registration_is_open()

    published = services.publish_event(event=event, by=organiser, now=timezone.now())

    assert published.status == Event.Status.PUBLISHED and published.registration_is_open()
    entry = AuditEntry.objects.get(action="event_published")
    assert (entry.actor, entry.target_id) == (organiser, str(event.pk))
    with pytest.raises(DomainError) as twice:
        services.publish_event(event=event, by=organiser, now=timezone.now())
    assert twice.value.code == "already_published"


@pytest.mark.django_db
def test_a_cancelled_event_is_not_published_again(on_each_database):
    event = EventFactory(status=Event.Status.CANCELLED)

    with pytest.raises(DomainError) as refused:
        services.publish_event(event=event, by=UserFactory(), now=timezone.now())

    assert refused.value.code == "event_cancelled"
    event.refresh_from_db()
    assert event.status == Event.Status.CANCELLED
    assert not AuditEntry.objects.filter(action="event_published").exists()


# --- Capacity -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_raising_the_capacity_offers_the_places_at_once(on_each_database):
    event = EventFactory(capacity=2)
    make_tickets(event, 2)
    _waiting(event, 3)
    organiser = UserFactory()

    result = services.change_capacity(event=event, capacity=4, by=organiser, now=timezone.now())

    assert (result.previous, result.capacity, result.places_offered) == (2, 4, 2)
    statuses = list(
        Registration.objects.filter(event=event, email__startswith="wait")
        .order_by("waitlisted_at")
        .values_list("status", flat=True)
    )
    assert statuses == [Status.OFFERED, Status.OFFERED, Status.WAITLISTED]
    offers = Message.objects.filter(purpose="waitlist_offer", event=event)
    assert sorted(offers.values_list("to_email", flat=True)) == [
        "wait0@example.org",
        "wait1@example.org",
    ]
    entry = AuditEntry.objects.get(action="event_capacity_changed")
    assert entry.actor == organiser and entry.details == {"previous": 2, "capacity": 4}


@pytest.mark.django_db
def test_no_limit_offers_every_waiting_person(on_each_database):
    event = EventFactory(capacity=1)
    make_tickets(event, 1)
    _waiting(event, 2)

    result = services.change_capacity(
        event=event, capacity=None, by=UserFactory(), now=timezone.now()
    )

    assert result.places_offered == 2


@pytest.mark.django_db
def test_the_capacity_is_not_lowered_below_the_places_held(on_each_database):
    event = EventFactory(capacity=10)
    make_tickets(event, 6)

    with pytest.raises(DomainError) as refused:
        services.change_capacity(event=event, capacity=5, by=UserFactory(), now=timezone.now())

    assert refused.value.code == "capacity_below_held" and refused.value.data == {"held": 6}
    assert "6 Personen" in refused.value.message
    event.refresh_from_db()
    assert event.capacity == 10
    assert not AuditEntry.objects.filter(action="event_capacity_changed").exists()
    lowered = services.change_capacity(
        event=event, capacity=6, by=UserFactory(), now=timezone.now()
    )
    assert (lowered.capacity, lowered.places_offered) == (6, 0)


@pytest.mark.django_db
def test_a_capacity_below_one_or_of_a_cancelled_event_is_refused(on_each_database):
    event = EventFactory(capacity=10)
    with pytest.raises(DomainError) as invalid:
        services.change_capacity(event=event, capacity=0, by=UserFactory(), now=timezone.now())
    assert invalid.value.code == "capacity_invalid" and invalid.value.status == 400

    cancelled = EventFactory(status=Event.Status.CANCELLED)
    with pytest.raises(DomainError) as refused:
        services.change_capacity(event=cancelled, capacity=5, by=UserFactory(), now=timezone.now())
    assert refused.value.code == "event_cancelled"


# --- The back office calls the services --------------------------------------------------


class _FormFields(HTMLParser):
    """The values a browser would send for the form with id `form_id` (no JavaScript)."""

    def __init__(self, form_id: str):
        super().__init__()
        self.form_id, self.inside, self.data = form_id, False, {}
        self._select = self._textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("id") == self.form_id
        if not self.inside or "name" not in attrs and tag != "option":
            return
        if tag == "input":
            kind = attrs.get("type", "text")
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            if kind not in ("submit", "button", "file"):
                self.data[attrs["name"]] = attrs.get("value", "on" if kind == "checkbox" else "")
        elif tag == "select":
            self._select = attrs["name"]
            if "multiple" not in attrs:  # a multiple choice with nothing chosen sends nothing
                self.data.setdefault(self._select, "")
        elif tag == "option" and self._select and "selected" in attrs:
            self.data[self._select] = attrs.get("value", "")
        elif tag == "textarea":
            self._textarea = attrs["name"]
            self.data[self._textarea] = ""

    def handle_data(self, data):
        if self._textarea:
            self.data[self._textarea] += data

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "form":
            self.inside = False


def _change_form(client, event) -> tuple[str, dict]:
    url = reverse("admin:events_platform_event_change", args=[event.pk])
    page = client.get(url)
    assert page.status_code == 200
    fields = _FormFields("event_form")
    fields.feed(page.text)
    return url, {name: value.strip("\n") for name, value in fields.data.items()}


@pytest.fixture
def organiser(client):
    user = MembershipFactory(user__is_staff=True).user
    client.force_login(user)
    return user


@pytest.mark.django_db
def test_the_status_is_no_free_field_in_the_back_office(client, organiser, on_each_database):
    organisation = organiser.memberships.get().organisation
    event = EventFactory(organisation=organisation, status=Event.Status.DRAFT)
    url, data = _change_form(client, event)
    assert "status" not in data

    data["status"] = Event.Status.PUBLISHED
    data["title_de"] = "Fachtag Fachkräfte"
    assert client.post(url, data).status_code == 302

    event.refresh_from_db()
    assert (event.title_de, event.status) == ("Fachtag Fachkräfte", Event.Status.DRAFT)
    series = EventSeriesFactory(organisation=organisation)
    event.series = series
    event.save()
    page = client.get(reverse("admin:events_platform_eventseries_change", args=[series.pk]))
    assert 'name="events-0-status"' not in page.text
    assert 'name="events-0-capacity"' not in page.text
    assert 'name="events-0-title_de"' in page.text


@pytest.mark.django_db
def test_the_cancel_action_asks_first_then_cancels_through_the_service(
    client, organiser, on_each_database
):
    event = EventFactory(organisation=organiser.memberships.get().organisation, title_de="Messe")
    make_tickets(event, 2)
    _waiting(event, 1)
    changelist = reverse("admin:events_platform_event_changelist")

    asked = client.post(changelist, {"action": "cancel", "_selected_action": [event.pk]})

    assert asked.status_code == 200
    assert "2 Anmeldungen werden storniert" in asked.text
    assert "1 Person wird von der Warteliste genommen" in asked.text
    assert "3 E-Mail-Adressen werden je einmal benachrichtigt" in asked.text
    event.refresh_from_db()
    assert event.status == Event.Status.PUBLISHED and not Message.objects.exists()

    done = client.post(
        changelist,
        {
            "action": "cancel",
            "_selected_action": [event.pk],
            "confirm": "yes",
            "reason": "Die Halle ist gesperrt.",
        },
        follow=True,
    )

    assert "1 Veranstaltung abgesagt." in done.text
    event.refresh_from_db()
    assert event.status == Event.Status.CANCELLED
    assert sum(_outbox(event).values()) == 3
    assert all(
        "Die Halle ist gesperrt." in body
        for body in Message.objects.values_list("body_text", flat=True)
    )
    entry = AuditEntry.objects.get(action="event_cancelled")
    assert entry.actor == organiser and entry.details["reason"] == "Die Halle ist gesperrt."


@pytest.mark.django_db
def test_a_new_capacity_in_the_back_office_offers_places_or_is_refused(
    client, organiser, on_each_database
):
    event = EventFactory(organisation=organiser.memberships.get().organisation, capacity=2)
    make_tickets(event, 2)
    _waiting(event, 1)
    url, data = _change_form(client, event)

    data["capacity"] = "1"
    refused = client.post(url, data, follow=True)
    assert "2 Personen haben bereits einen Platz" in refused.text
    event.refresh_from_db()
    assert event.capacity == 2

    data["capacity"] = "3"
    offered = client.post(url, data, follow=True)
    assert "1 Platz wurde der Warteliste angeboten." in offered.text
    event.refresh_from_db()
    assert event.capacity == 3
    assert Registration.objects.get(event=event, email="wait0@example.org").status == Status.OFFERED
    assert AuditEntry.objects.filter(action="event_capacity_changed").count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_stand_request_while_the_event_is_being_cancelled_is_refused():
    """A company that asks for a stand while the organiser's cancellation is still running
    waits for it and is refused; it never ends up holding a stand at a cancelled event."""
    stand = StandFactory(hall=HallFactory(fair=FairFactory()))
    event = stand.hall.fair.event
    company, organiser = CompanyFactory(), UserFactory()
    cancelling, finish = threading.Event(), threading.Event()
    outcome: list[str] = []

    def cancel():
        try:
            with transaction.atomic():
                services.cancel_event(event=event, by=organiser, now=timezone.now())
                cancelling.set()
                finish.wait(timeout=60)
        finally:
            connections.close_all()

    def book():
        outcome.append(request_stand(company, stand.pk, organiser))

    canceller = threading.Thread(target=cancel)
    canceller.start()
    assert cancelling.wait(timeout=60)
    booker = threading.Thread(target=book)
    booker.start()
    wait_until(
        lambda: not booker.is_alive() or _waiting_for_a_lock(),
        what="the stand request waiting for the cancellation's lock (or done)",
    )
    finish.set()
    canceller.join(timeout=60)
    booker.join(timeout=60)

    assert outcome == ["booking_closed"]
    assert not StandBooking.objects.filter(stand=stand).exists()


def _waiting_for_a_lock() -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
            "AND datname = current_database()"
        )
        return cursor.fetchone()[0] > 0
