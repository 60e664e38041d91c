"""Door and organiser pages: who sees which event, the live view, export, pairing, revoking."""

import re
import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from checkin import services
from checkin.models import Assignment, Device, Entrance, hash_token
from events_platform.models import Membership
from events_platform.ticket_codes import printed_number
from tests.factories import EventSeriesFactory, MembershipFactory, UserFactory, start_of_today
from ticketing.models import Registration

from .factories import DoorEventFactory, five_days_at_the_door, make_ticket, pair

pytestmark = pytest.mark.django_db


@pytest.fixture
def organiser(client):
    membership = MembershipFactory(role=Membership.Role.ORGANISER_ADMIN)
    client.force_login(membership.user)
    return membership


def scan(device, ticket):
    return services.redeem_ticket(
        device=device, secret=ticket.secret, nonce=uuid.uuid4().hex, now=timezone.now()
    )


def test_check_in_staff_see_only_events_they_are_assigned_to(client):
    staff = MembershipFactory(role=Membership.Role.CHECKIN_STAFF)
    mine = DoorEventFactory(organisation=staff.organisation, title_de="Rückkehrertag Torgau")
    DoorEventFactory(organisation=staff.organisation, title_de="Rückkehrertag Delitzsch")
    services.assign_staff(event=mine, user=staff.user)
    client.force_login(staff.user)

    page = client.get("/einlass/").content.decode()

    assert "Rückkehrertag Torgau" in page and "Rückkehrertag Delitzsch" not in page
    other = DoorEventFactory(organisation=staff.organisation)
    assert client.post(f"/einlass/events/{other.pk}/use-this-device/").status_code == 404
    response = client.post(f"/einlass/events/{mine.pk}/use-this-device/")
    assert response.status_code == 302 and "/einlass/pair/" in response["Location"]


def test_live_view_shows_figures_per_entrance_and_no_shows(client, organiser):
    event = DoorEventFactory(organisation=organiser.organisation)
    arrived = make_ticket(event, 1, name="Anna Schmidt")
    make_ticket(event, 2, name="Ben Krüger")
    device, _token = pair(event, "Handy 1", "Eingang Nord")
    scan(device, arrived)

    page = client.get(f"/einlass/events/{event.pk}/").content.decode()

    assert "Eingang Nord" in page
    assert "Ben Krüger" in page  # not arrived yet
    assert re.search(r"Nicht erschienen</dt><dd>1</dd>", page)  # the event began 30 min ago
    figures = client.get(f"/einlass/events/{event.pk}/figures/").json()
    assert figures["counters"]["checked_in"] == 1 and figures["counters"]["registered"] == 2
    assert sum(figures["arrivals"]["values"]) == 1


def test_before_the_start_nobody_is_counted_as_a_no_show(client, organiser):
    starts = timezone.now() + timedelta(hours=2)
    event = DoorEventFactory(organisation=organiser.organisation, starts_at=starts)
    make_ticket(event, 1, name="Anna Schmidt")

    page = client.get(f"/einlass/events/{event.pk}/").content.decode()

    assert "Nicht erschienen" not in page
    assert "Anna Schmidt" in page  # still listed as expected ("Noch nicht angekommen")


def test_arrivals_are_shown_a_day_at_a_time_and_present_now_counts_walk_ins(client, organiser):
    event, door = five_days_at_the_door(organisation=organiser.organisation)
    url = f"/einlass/events/{event.pk}/figures/"

    today = client.get(url).json()
    days = [client.get(url, {"day": day}).json() for day in today["days"]]

    assert len(today["days"]) == door["days"]
    assert today["day"] == timezone.localdate().isoformat()  # today first
    # Each day's chart holds that day only: a few quarter hours, not five days' worth.
    assert [figures["day"] for figures in days] == today["days"]
    assert all(len(figures["arrivals"]["labels"]) <= 96 for figures in days)
    entered = sum(sum(figures["arrivals"]["values"]) for figures in days)
    assert entered == door["entered"]
    counters = today["counters"]
    assert counters["inside"] == entered - door["left"] == door["present"]
    assert counters["walk_ins"] == 5 and counters["checked_in"] == 5
    page = client.get(f"/einlass/events/{event.pk}/").content.decode()
    assert "Eintritte: 11 · Austritte: 1 · Jetzt anwesend: 10" in re.sub(r"<[^>]+>", "", page)


def test_another_organisations_event_is_404(client, organiser):
    foreign = DoorEventFactory()

    for path in ("", "figures/", "attendance.csv", "pairing/"):
        assert client.get(f"/einlass/events/{foreign.pk}/{path}").status_code == 404


def test_attendance_export_per_camp_day(client, organiser):
    event = DoorEventFactory(organisation=organiser.organisation)
    arrived = make_ticket(event, 1, name="Anna Schmidt")
    make_ticket(event, 2, name="Ben Krüger")
    device, _token = pair(event)
    scan(device, arrived)

    response = client.get(f"/einlass/events/{event.pk}/attendance.csv")

    assert response["Content-Type"].startswith("text/csv")
    rows = [line.split(";") for line in response.content.decode("utf-8-sig").splitlines()]
    assert rows[0][1] == "Name"
    by_name = {row[1]: row for row in rows[1:]}
    assert by_name["Anna Schmidt"][-1] == "ja" and by_name["Anna Schmidt"][4]
    assert by_name["Ben Krüger"][-1] == "nein" and not by_name["Ben Krüger"][4]


def test_pairing_page_shows_a_qr_code_that_pairs(client, organiser):
    event = DoorEventFactory(organisation=organiser.organisation)
    door = Entrance.objects.create(event=event, name="Eingang Süd")

    page = client.get(f"/einlass/events/{event.pk}/pairing/", {"entrance": door.pk})

    html = page.content.decode()
    assert 'src="data:image/svg+xml;base64,' in html and "Eingang Süd" in html
    token = html.split("/einlass/pair/")[1].split("/")[0]
    device, _secret = services.pair_device(token=token, name="Tablet", now=timezone.now())
    assert device.entrance == door


def test_organiser_revokes_a_device_and_adds_entrances_and_staff(client, organiser):
    event = DoorEventFactory(organisation=organiser.organisation)
    device, _token = pair(event)
    helper = MembershipFactory(
        organisation=organiser.organisation, role=Membership.Role.CHECKIN_STAFF
    )
    outsider = UserFactory()

    client.post(f"/einlass/events/{event.pk}/devices/{device.pk}/revoke/")
    client.post(f"/einlass/events/{event.pk}/entrances/", {"name": "Hintereingang"})
    client.post(f"/einlass/events/{event.pk}/staff/", {"username": helper.user.username})
    client.post(f"/einlass/events/{event.pk}/staff/", {"username": outsider.username})

    assert Device.objects.get(pk=device.pk).revoked_at is not None
    assert Entrance.objects.filter(event=event, name="Hintereingang").exists()
    assert list(Assignment.objects.values_list("user", flat=True)) == [helper.user.pk]


def test_the_live_view_shows_a_device_refused_for_invalid_codes(client, organiser):
    event = DoorEventFactory(organisation=organiser.organisation)
    refused, _token = pair(event, "Handy Süd")
    calm, _token = pair(event, "Handy Nord")
    until = timezone.now() + timedelta(seconds=40)
    services.refuse_device(device=refused, until=until)
    services.refuse_device(device=calm, until=timezone.now() - timedelta(seconds=5))
    at = timezone.localtime(until).strftime("%H:%M")

    german = client.get(f"/einlass/events/{event.pk}/").content.decode()
    english = client.get(f"/en/einlass/events/{event.pk}/").content.decode()

    assert german.count("zu viele ungültige Codes") == 1
    assert f"gesperrt bis {at}\u00a0Uhr: zu viele ungültige Codes" in german
    assert f"refused until {at}: too many invalid codes" in english


def test_series_view_lists_every_site(client, organiser):
    series = EventSeriesFactory(organisation=organiser.organisation)
    for town in ("Torgau", "Oschatz"):
        DoorEventFactory(organisation=organiser.organisation, series=series, venue__town=town)

    page = client.get(f"/einlass/series/{series.pk}/").content.decode()

    assert "Torgau" in page and "Oschatz" in page
    assert client.get(f"/einlass/series/{EventSeriesFactory().pk}/").status_code == 404


def test_door_tablet_registers_a_walk_in_and_shows_the_ticket(client, organiser):
    event = DoorEventFactory(organisation=organiser.organisation, walk_ins_allowed=True)

    response = client.post(
        f"/einlass/events/{event.pk}/door/",
        {"name": "Clara Neumann", "email": "clara@example.org", "privacy_consent": "on"},
    )

    html = response.content.decode()
    registration = Registration.objects.get(event=event)
    assert registration.name == "Clara Neumann" and registration.by_organiser
    ticket = registration.tickets.get()
    assert "Ticket für Clara Neumann" in html and printed_number(ticket.serial) in html
    assert 'src="data:image/svg+xml;base64,' in html


def test_the_door_tablet_posted_empty_says_plainly_what_to_fill_in(client, organiser):
    event = DoorEventFactory(organisation=organiser.organisation, walk_ins_allowed=True)

    empty = {"name": "", "email": ""}  # what the browser sends; the box unticked is left out
    html = client.post(f"/einlass/events/{event.pk}/door/", empty).content.decode()

    assert "Bitte füllen Sie dieses Feld aus." in html
    assert "Bitte setzen Sie den Haken, sobald die Person der Datenschutzerklärung" in html
    assert "zwingend erforderlich" not in html
    assert not Registration.objects.filter(event=event).exists()


def test_the_pairing_form_pairs_on_the_server_and_hands_the_token_to_the_scanner(client):
    event = DoorEventFactory()
    door = Entrance.objects.create(event=event, name="Eingang Nord")
    token = services.pairing_token(event=event, entrance=door)

    response = client.post(f"/einlass/pair/{token}/", {"name": "Handy Anna"})

    # No script is needed to pair: the first tap pairs, however slowly the page loads.
    assert response.status_code == 302
    scanner, fragment = response["Location"].split("#device=")
    assert scanner == "/einlass/scanner/"
    device = Device.objects.get(event=event)
    assert device.name == "Handy Anna" and device.entrance == door
    assert device.token_hash == hash_token(fragment)


def test_an_expired_pairing_code_says_so_and_pairs_nothing(client):
    event = DoorEventFactory()

    response = client.post("/en/einlass/pair/nonsense/", {"name": "Handy Anna"})

    assert response.status_code == 400
    assert "This pairing code is invalid or has expired" in response.content.decode()
    assert not Device.objects.filter(event=event).exists()


def test_scanner_and_pairing_pages_are_complete_in_english(client):
    scanner = client.get("/en/einlass/scanner/").content.decode()
    pairing = client.get("/en/einlass/pair/some-token/").content.decode()

    assert "Ticket code (hand scanner)" in scanner and "Inside now" in scanner
    assert '"cameraStart": "Start camera"' in scanner and 'data-lang="en"' in scanner
    assert "Pair and open the scanner" in pairing
    german = client.get("/einlass/scanner/").content.decode()
    assert "Jetzt anwesend" in german and '"cameraStart": "Kamera starten"' in german


def test_service_worker_caches_the_shell_of_its_language():
    from django.test import Client

    body = Client().get("/en/einlass/sw.js")

    assert body["Content-Type"].startswith("application/javascript")
    assert body["Service-Worker-Allowed"] == "/en/einlass/"
    assert '"/en/einlass/scanner/"' in body.content.decode()
    assert "/static/checkin/scanner.js" in body.content.decode()


def test_door_tablet_only_where_walk_ins_are_allowed(client, organiser):
    event = DoorEventFactory(organisation=organiser.organisation, walk_ins_allowed=False)

    assert client.get(f"/einlass/events/{event.pk}/door/").status_code == 404


def test_offline_conflict_is_flagged_in_the_live_view(client, organiser):
    event = DoorEventFactory(organisation=organiser.organisation)
    ticket = make_ticket(event, 1, name="Anna Schmidt")
    north, _token = pair(event, "Handy Nord", "Eingang Nord")
    south, _token = pair(event, "Handy Süd", "Eingang Süd")
    for device in (north, south):
        services.redeem_ticket(
            device=device,
            secret=ticket.secret,
            nonce=uuid.uuid4().hex,
            now=timezone.now(),
            offline=True,
        )

    page = client.get(f"/einlass/events/{event.pk}/").content.decode()

    assert "Konflikte aus dem Offline-Scannen" in page
    conflict = page.split("Konflikte aus dem Offline-Scannen")[1]
    assert "Anna Schmidt" in conflict and "Handy Süd" in conflict


def _lines(html: str) -> list[str]:
    """The page's text, a line per block (paragraph, list item, heading...): inline tags
    (links, emphasis) left out, every other tag a line break."""
    text = re.sub(r"</?(a|span|strong|em|abbr|time)\b[^>]*>", "", html)
    text = re.sub(r"<[^>]+>", "\n", text)
    return [line.strip() for line in text.splitlines() if line.strip()]


def test_the_event_list_has_no_separator_without_a_link_on_both_sides(client, organiser):
    DoorEventFactory(organisation=organiser.organisation, walk_ins_allowed=False)
    both = DoorEventFactory(organisation=organiser.organisation, walk_ins_allowed=True)
    staff = MembershipFactory(
        organisation=organiser.organisation, role=Membership.Role.CHECKIN_STAFF
    )
    services.assign_staff(event=both, user=staff.user)

    as_organiser = client.get("/einlass/").content.decode()
    client.force_login(staff.user)
    as_staff = client.get("/en/einlass/").content.decode()

    assert as_organiser.count("Einlass live") == 2 and "Door tablet" in as_staff
    for page in (as_organiser, as_staff):
        for line in _lines(page):
            assert not line.startswith(("·", "|", "–")), line
            assert not line.endswith(("·", "|")), line


def test_todays_events_come_first_and_past_ones_have_a_page_of_their_own(client, organiser):
    now = timezone.now()
    # Yesterday's and tomorrow's events at fixed hours: "now ± a day" lands on today late in
    # the evening, early in the morning and on the day the clocks change.
    today = start_of_today()
    org = organiser.organisation
    DoorEventFactory(
        organisation=org,
        title_de="NaWi-Camp 2021",
        starts_at=now - timedelta(days=1500),
        ends_at=now - timedelta(days=1496),
    )
    DoorEventFactory(
        organisation=org,
        title_de="Rückkehrertag gestern",
        starts_at=today - timedelta(days=1) + timedelta(hours=10),
        ends_at=today - timedelta(days=1) + timedelta(hours=12),
    )
    DoorEventFactory(
        organisation=org,
        title_de="Ausbildungsmesse nächste Woche",
        starts_at=today + timedelta(days=7, hours=9),
        ends_at=today + timedelta(days=7, hours=14),
    )
    DoorEventFactory(
        organisation=org,
        title_de="Exkursion morgen",
        starts_at=today + timedelta(days=1, hours=9),
        ends_at=today + timedelta(days=1, hours=17),
    )
    DoorEventFactory(organisation=org, title_de="Firmenbesuch heute")
    DoorEventFactory(  # on for days: today's too
        organisation=org,
        title_de="NaWi-Camp diese Woche",
        starts_at=now - timedelta(days=2),
        ends_at=now + timedelta(days=2),
    )
    DoorEventFactory(title_de="Fremde Veranstaltung", starts_at=now - timedelta(days=30))

    page = client.get("/einlass/").content.decode()

    order = [
        "Heute",
        "NaWi-Camp diese Woche",
        "Firmenbesuch heute",
        "Demnächst",
        "Exkursion morgen",
        "Ausbildungsmesse nächste Woche",
        "Vergangene Veranstaltungen (2)",
    ]
    positions = [page.index(text) for text in order]
    assert positions == sorted(positions)
    assert "gestern" not in page and "2021" not in page and "Fremde" not in page
    past = client.get("/einlass/past/").content.decode()
    assert past.index("Rückkehrertag gestern") < past.index("NaWi-Camp 2021")  # latest first
    assert "Firmenbesuch heute" not in past and "Fremde" not in past
    assert "Dieses Gerät als Scanner nutzen" not in past
    assert past.count("Einlass: Zahlen und Anwesenheit") == 2
    english = client.get("/en/einlass/").content.decode()
    assert "Today" in english and "Coming up" in english and "Past events (2)" in english


def test_door_staff_see_only_their_own_past_events(client):
    staff = MembershipFactory(role=Membership.Role.CHECKIN_STAFF)
    last_year = timezone.now() - timedelta(days=365)
    mine = DoorEventFactory(
        organisation=staff.organisation, title_de="Rückkehrertag Torgau", starts_at=last_year
    )
    DoorEventFactory(
        organisation=staff.organisation, title_de="Rückkehrertag Delitzsch", starts_at=last_year
    )
    services.assign_staff(event=mine, user=staff.user)
    client.force_login(staff.user)

    home = client.get("/einlass/").content.decode()
    past = client.get("/einlass/past/").content.decode()

    assert "Heute und demnächst steht für Sie keine Veranstaltung an." in home
    assert "Vergangene Veranstaltungen (1)" in home
    assert "Rückkehrertag Torgau" in past and "Rückkehrertag Delitzsch" not in past
    assert "Einlass: Zahlen und Anwesenheit" not in past  # the live view is the organisers'
