"""The organiser's start page: what needs them now, per organisation, each item with the right
count and a link to where it is done, nothing of another organisation; the partial the page
polls; organisers land here after sign-in; the organiser's menu reaches their pages."""

import itertools
import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from events_platform.models import Event, Membership
from fairs.models import StandBooking
from notifications.models import Message
from tests.factories import EventFactory, MembershipFactory, OrganisationFactory, UserFactory
from tests.fairs.factories import (
    CompanyFactory,
    FairFactory,
    HallFactory,
    StandBookingFactory,
    StandFactory,
    WaitlistEntryFactory,
)
from tests.notifications.factories import write_test_message
from ticketing.models import Registration

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"


def _organiser(organisation=None, **user):
    membership = MembershipFactory(
        organisation=organisation or OrganisationFactory(), user=UserFactory(**user)
    )
    client = Client()
    client.force_login(membership.user)
    return membership.organisation, client


def _item(html: str, key: str) -> str:
    """The HTML of one item (card) of the page."""
    match = re.search(
        rf'<section class="needs-item[^"]*" data-item="{key}".*?</section>', html, re.S
    )
    assert match, f"no item {key}"
    return match.group(0)


def _count(html: str, key: str) -> int:
    return int(re.search(r'data-count="(\d+)"', _item(html, key)).group(1))


_people = itertools.count(1)


def _registration(event, status, *, headcount=1, **extra):
    # A person of their own each time: one person holds one active registration per event.
    number = next(_people)
    return Registration.objects.create(
        event=event,
        status=status,
        headcount=headcount,
        name=f"Mia Beispiel {number}",
        email=f"mia{number}@example.org",
        created_at=timezone.now(),
        **extra,
    )


def _fair(organisation, *, title="Ausbildungsmesse Delitzsch", town="Delitzsch"):
    fair = FairFactory(
        event__organisation=organisation, event__title_de=title, event__venue__town=town
    )
    hall = HallFactory(fair=fair)
    return fair, hall


def test_an_organiser_lands_on_the_start_page_after_sign_in():
    membership = MembershipFactory()
    response = Client().post(
        "/login/", {"username": membership.user.username, "password": PASSWORD}
    )
    assert response["Location"] == reverse("workspace:home") == "/veranstalter/"


def test_a_quiet_day_says_nothing_is_open():
    organisation, client = _organiser()
    html = client.get(reverse("workspace:home")).text
    assert "<h1" in html and "Was jetzt ansteht" in html
    assert organisation.name in html
    assert html.count("Nichts offen.") == 1  # one line for the quiet organisation
    assert 'data-item="' not in html


def test_with_one_thing_open_every_item_shows_its_state():
    organisation, client = _organiser()
    _fair_obj, hall = _fair(organisation)
    StandBookingFactory(stand=StandFactory(hall=hall))
    html = client.get(reverse("workspace:home")).text
    assert html.count("Nichts offen.") == 5  # five quiet items, and no doors today:
    assert "Heute keine Veranstaltung." in html
    assert _count(html, "stand-requests") == 1
    for key in ("companies", "waiting-lists", "guardians", "failed-messages"):
        assert _count(html, key) == 0


def test_open_stand_requests_are_counted_per_fair_with_a_link_to_decide():
    organisation, client = _organiser()
    fair, hall = _fair(organisation)
    for _n in range(3):
        StandBookingFactory(stand=StandFactory(hall=hall))
    StandBookingFactory(stand=StandFactory(hall=hall), status=StandBooking.Status.APPROVED)
    html = client.get(reverse("workspace:home")).text
    item = _item(html, "stand-requests")
    assert _count(html, "stand-requests") == 3
    assert "3 offene Standanfragen" in item
    assert f'href="{reverse("fairs:organiser-fair", args=[fair.event.slug])}"' in item
    assert "Ausbildungsmesse Delitzsch" in item


def test_one_request_reads_in_the_singular():
    organisation, client = _organiser()
    _fair_obj, hall = _fair(organisation)
    StandBookingFactory(stand=StandFactory(hall=hall))
    item = _item(client.get(reverse("workspace:home")).text, "stand-requests")
    assert "1 offene Standanfrage" in item and "Standanfragen<" not in item.split("</h3>")[1]


def test_companies_to_verify_link_to_the_fair_where_they_are_verified():
    organisation, client = _organiser()
    fair, hall = _fair(organisation)
    StandBookingFactory(
        stand=StandFactory(hall=hall), company=CompanyFactory(name="Gammawerk"), verified=False
    )
    StandBookingFactory(stand=StandFactory(hall=hall), company=CompanyFactory(name="Geprüft AG"))
    html = client.get(reverse("workspace:home")).text
    item = _item(html, "companies")
    assert _count(html, "companies") == 1
    assert "1 Firma wartet auf Ihre Verifizierung" in item
    assert "Gammawerk" in item and "Geprüft AG" not in item
    assert f'href="{reverse("fairs:organiser-fair", args=[fair.event.slug])}"' in item


def test_waiting_lists_with_free_places_for_visitors_and_for_stands():
    organisation, client = _organiser()
    event = EventFactory(organisation=organisation, capacity=10, title_de="NaWi-Camp")
    _registration(event, Registration.Status.CONFIRMED, headcount=7)
    _registration(event, Registration.Status.WAITLISTED, headcount=2)
    full = EventFactory(organisation=organisation, capacity=1, title_de="Voller Workshop")
    _registration(full, Registration.Status.CONFIRMED)
    _registration(full, Registration.Status.WAITLISTED)
    fair, hall = _fair(organisation, title="Messe Oschatz", town="Oschatz")
    StandFactory(hall=hall)
    WaitlistEntryFactory(fair=fair)
    html = client.get(reverse("workspace:home")).text
    item = _item(html, "waiting-lists")
    assert _count(html, "waiting-lists") == 2
    assert "2 Wartelisten mit freien Plätzen" in item
    assert "2 Personen warten, 3 Plätze frei" in item
    assert "1 Firma wartet, 1 Stand frei" in item
    assert "Voller Workshop" not in item  # no free place: nothing to do
    waiting_url = reverse("ticketing:organiser-list", args=[event.pk]) + "?status=waitlisted"
    assert f'href="{waiting_url}"' in item


def test_guardian_confirmations_running_out_within_a_day():
    organisation, client = _organiser()
    camp = EventFactory(organisation=organisation, kind=Event.Kind.CAMP, title_de="NaWi-Camp")
    now = timezone.now()
    for hours in (5, 20):
        _registration(
            camp,
            Registration.Status.PENDING_GUARDIAN,
            kind=Registration.Kind.CAMP_PARTICIPANT,
            guardian_deadline=now + timedelta(hours=hours),
        )
    _registration(  # still two days to go: not yet
        camp,
        Registration.Status.PENDING_GUARDIAN,
        kind=Registration.Kind.CAMP_PARTICIPANT,
        guardian_deadline=now + timedelta(hours=50),
    )
    html = client.get(reverse("workspace:home")).text
    item = _item(html, "guardians")
    assert _count(html, "guardians") == 2
    assert "Bei 2 Kindern endet die Frist der Eltern innerhalb von 24 Stunden" in item
    assert "2 Kinder; ohne Bestätigung wird der erste Platz am" in item
    pending_url = reverse("ticketing:organiser-list", args=[camp.pk]) + "?status=pending_guardian"
    assert f'href="{pending_url}"' in item


def test_failed_messages_of_the_last_week_link_to_the_filtered_message_list():
    organisation, client = _organiser()
    event = EventFactory(organisation=organisation)
    for n in range(2):
        message = write_test_message(to_email=f"weg{n}@example.org", event=event)
        Message.objects.filter(pk=message.pk).update(state="failed", failed_at=timezone.now())
    old = write_test_message(to_email="alt@example.org", event=event)
    Message.objects.filter(pk=old.pk).update(
        state="failed", failed_at=timezone.now() - timedelta(days=10)
    )
    html = client.get(reverse("workspace:home")).text
    item = _item(html, "failed-messages")
    assert _count(html, "failed-messages") == 2
    assert "2 Nachrichten aus den letzten 7 Tagen wurden nicht zugestellt" in item
    assert f'href="{reverse("notifications:message-list")}?state=failed"' in item


def test_registration_opening_and_closing_soon():
    organisation, client = _organiser()
    now = timezone.now()
    draft = EventFactory(
        organisation=organisation,
        title_de="Fachtag",
        status=Event.Status.DRAFT,
        registration_opens_at=now + timedelta(days=2),
    )
    EventFactory(
        organisation=organisation,
        title_de="Exkursion",
        registration_closes_at=now + timedelta(days=3),
    )
    EventFactory(
        organisation=organisation,
        title_de="Später",
        registration_opens_at=now + timedelta(days=30),
    )
    html = client.get(reverse("workspace:home")).text
    item = _item(html, "registration-windows")
    assert _count(html, "registration-windows") == 2
    assert "2 Veranstaltungen in den nächsten 7 Tagen" in item
    assert "Anmeldung öffnet am" in item and "(noch ein Entwurf)" in item
    assert "Anmeldung endet am" in item
    assert "Später" not in item
    assert item.index("Fachtag") < item.index("Exkursion")  # soonest first
    # Linked to the event's page in the workspace, where the window and publishing are.
    assert f'href="{reverse("workspace:event-edit", args=[draft.pk])}"' in item


def test_todays_doors_link_to_the_live_view():
    organisation, client = _organiser()
    now = timezone.now()
    today = EventFactory(
        organisation=organisation,
        title_de="Rückkehrertag",
        starts_at=now - timedelta(minutes=30),
        ends_at=now + timedelta(minutes=30),
    )
    EventFactory(organisation=organisation, title_de="Nächste Woche")
    html = client.get(reverse("workspace:home")).text
    item = _item(html, "doors-today")
    assert _count(html, "doors-today") == 1
    assert "1 Veranstaltung heute" in item
    assert f'href="{reverse("checkin:event", args=[today.pk])}"' in item
    assert "Live-Ansicht" in item and "Nächste Woche" not in item


def test_another_organisation_sees_none_of_it():
    organisation_a, _client_a = _organiser()
    fair, hall = _fair(organisation_a)
    StandBookingFactory(
        stand=StandFactory(hall=hall), company=CompanyFactory(name="Gammawerk"), verified=False
    )
    camp = EventFactory(organisation=organisation_a, title_de="Geheimes Camp", capacity=5)
    _registration(camp, Registration.Status.WAITLISTED)
    _organisation_b, client_b = _organiser()
    for name in ("workspace:home", "workspace:home-items"):
        html = client_b.get(reverse(name)).text
        assert "Gammawerk" not in html and "Geheimes Camp" not in html
        assert fair.event.title_de not in html and organisation_a.name not in html
        assert "Nichts offen." in html and 'data-item="' not in html


def test_someone_organising_for_two_organisations_gets_a_section_each():
    organisation_a, client = _organiser(username="zwei")
    organisation_b = OrganisationFactory(name="Zweite Allianz")
    MembershipFactory(organisation=organisation_b, user=organisation_a.memberships.get().user)
    _fair_b, hall = _fair(organisation_b)
    StandBookingFactory(stand=StandFactory(hall=hall))
    html = client.get(reverse("workspace:home")).text
    section_a, section_b = (
        html[html.index(f">{organisation.name}</h2>") :]
        for organisation in (organisation_a, organisation_b)
    )
    assert "Zweite Allianz" in html and organisation_a.name in html
    # The request counts in B's section only (sections are in name order: A's comes first).
    first = section_a[: section_a.index("Zweite Allianz")]
    assert "Nichts offen." in first and 'data-item="' not in first
    assert _count(section_b, "stand-requests") == 1


def test_the_partial_carries_the_fresh_counts_and_keeps_polling():
    organisation, client = _organiser()
    _fair_obj, hall = _fair(organisation)
    page = client.get(reverse("workspace:home")).text
    assert f'hx-get="{reverse("workspace:home-items")}"' in page
    assert "htmx.min.js" in page
    StandBookingFactory(stand=StandFactory(hall=hall))
    StandBookingFactory(stand=StandFactory(hall=hall))
    partial = client.get(reverse("workspace:home-items"))
    assert partial.status_code == 200
    html = partial.text
    assert "<html" not in html and "<h1" not in html  # only the items, swapped in place
    assert 'hx-trigger="every 30s"' in html and 'id="needs"' in html
    assert _count(html, "stand-requests") == 2
    assert "2 offene Standanfragen" in html


def test_pages_are_for_organisers_only():
    for name in ("workspace:home", "workspace:home-items"):
        url = reverse(name)
        assert Client().get(url)["Location"].startswith("/login/")
        staff = MembershipFactory(role=Membership.Role.CHECKIN_STAFF).user
        client = Client()
        client.force_login(staff)
        assert client.get(url).status_code == 404


def test_the_page_in_english():
    organisation, client = _organiser()
    _fair_obj, hall = _fair(organisation)
    StandBookingFactory(stand=StandFactory(hall=hall))
    with translation.override("en"):
        url = reverse("workspace:home")
    assert url == "/en/veranstalter/"
    html = client.get(url).text
    assert "What needs doing now" in html
    assert "1 open stand request" in _item(html, "stand-requests")
    assert "Nothing open." in html


def test_the_organiser_menu_reaches_every_organiser_page():
    organisation, client = _organiser()
    user = organisation.memberships.get().user
    user.is_staff = True
    user.save()
    html = client.get(reverse("workspace:home")).text
    menu = html[html.index('aria-label="Menü für Veranstalter"') :]
    menu = menu[: menu.index("</nav>")]
    for name in (
        "workspace:home",
        "workspace:event-list",
        "workspace:series-list",
        "fairs:organiser-fairs",
        "ticketing:organiser-overview",
        "checkin:home",
        "notifications:message-list",
        "workspace:audit-log",
    ):
        assert f'href="{reverse(name)}"' in menu, name
    settings_url = reverse("workspace:organisation-settings", args=[organisation.pk])
    assert f'href="{settings_url}"' in menu
    assert 'href="/veranstalter/" aria-current="page"' in menu
    # The public navigation keeps the calendar and the exhibitors, not the organiser pages.
    main_nav = html[html.index('aria-label="Hauptnavigation"') :]
    main_nav = main_nav[: main_nav.index("</nav>")]
    assert reverse("ticketing:organiser-overview") not in main_nav


def test_the_menu_marks_the_section_of_a_deeper_page():
    organisation, client = _organiser()
    fair, _hall = _fair(organisation)
    html = client.get(reverse("fairs:organiser-fair", args=[fair.event.slug])).text
    assert f'href="{reverse("fairs:organiser-fairs")}" aria-current="true"' in html


def test_staff_without_administration_see_no_admin_entries():
    organisation = OrganisationFactory()
    membership = MembershipFactory(organisation=organisation, role=Membership.Role.ORGANISER_STAFF)
    membership.user.is_staff = True
    membership.user.save()
    client = Client()
    client.force_login(membership.user)
    html = client.get(reverse("workspace:home")).text
    assert reverse("workspace:audit-log") not in html
    assert "/veranstalter/organisation/" not in html


def test_visitors_and_companies_see_no_organiser_menu(client):
    html = client.get(reverse("events_platform:home")).text
    assert "Menü für Veranstalter" not in html
