"""The organiser's event and series pages in the workspace: the list, one create-and-edit
page per kind, errors, preview, publish and cancel through the core's services, the series
page with its numbers, and a second organisation that finds nothing."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from checkin import services as checkin_services
from checkin.models import Attendance
from events_platform.models import AuditEntry, Event, Session, Venue
from fairs.models import Fair
from notifications.models import ReminderPlan
from tests.checkin.factories import make_ticket
from tests.factories import (
    EventFactory,
    EventSeriesFactory,
    MembershipFactory,
    TargetGroupFactory,
    VenueFactory,
    start_of_today,
)
from tests.ticketing.factories import person
from ticketing import services as ticketing_services
from ticketing.models import Question, Registration, RegistrationSettings

pytestmark = pytest.mark.django_db

FORMSET_PREFIXES = {
    "returnee_day": [],
    "apprenticeship_fair": ["slots"],
    "camp": [],
    "excursion": ["stops"],
    "conference": ["sessions"],
    "company_visit": [],
    "workshop": [],
}


def moment(days: int, hour: int) -> str:
    """A local date and time `days` from today at `hour`, as the browser's picker sends it."""
    day = timezone.localdate() + timedelta(days=days)
    return f"{day:%Y-%m-%d}T{hour:02d}:00"


@pytest.fixture
def organiser(client):
    membership = MembershipFactory(user__username="orga-ws")
    client.force_login(membership.user)
    return membership


@pytest.fixture
def venue(organiser):
    return VenueFactory(
        organisation=organiser.organisation,
        name="Bürgerhaus",
        town="Delitzsch",
        latitude="51.526200",
        longitude="12.342500",
    )


def event_data(kind: str, venue=None, entries: dict | None = None, **extra) -> dict:
    """A valid POST of the page of `kind`, with `entries` per formset prefix."""
    data = {
        "title_de": "Neue Veranstaltung",
        "title_en": "New event",
        "description_de": "Beschreibung",
        "venue": venue.pk if venue else "",
        "starts_at": moment(30, 10),
        "ends_at": moment(30, 12),
        "capacity": "40",
        "registration_required": "on",
        "rules-offer_hours": "48",
    }
    entries = entries or {}
    for prefix in [*FORMSET_PREFIXES[kind], "questions"]:
        rows = entries.get(prefix, [])
        data.update(
            {
                f"{prefix}-TOTAL_FORMS": str(len(rows)),
                f"{prefix}-INITIAL_FORMS": "0",
                f"{prefix}-MIN_NUM_FORMS": "0",
                f"{prefix}-MAX_NUM_FORMS": "1000",
            }
        )
        for number, row in enumerate(rows):
            data.update({f"{prefix}-{number}-{name}": value for name, value in row.items()})
    if kind in ("returnee_day", "apprenticeship_fair"):
        data.update(
            {
                "fair-setup_starts_at": moment(30, 7),
                "fair-setup_ends_at": moment(30, 9),
                "fair-teardown_starts_at": moment(30, 12),
                "fair-teardown_ends_at": moment(30, 14),
                "fair-max_staff_passes_per_stand": "4",
                "fair-power_price": "0",
                "fair-table_price": "0",
                "fair-chair_price": "0",
                "fair-parking_pass_price": "0",
            }
        )
    data.update(extra)
    return data


def create(client, kind: str, data: dict):
    return client.post(reverse("workspace:event-create", args=[kind]), data)


# --- the list ------------------------------------------------------------------------------


def test_the_list_shows_the_organisations_events_by_date_and_filters_them(client, organiser):
    org = organiser.organisation
    later = EventFactory(
        organisation=org, title_de="Ausbildungsmesse Oschatz", kind="apprenticeship_fair"
    )
    sooner = EventFactory(
        organisation=org,
        title_de="NaWi-Camp",
        kind="camp",
        status=Event.Status.DRAFT,
        starts_at=timezone.now() + timedelta(days=2),
        ends_at=timezone.now() + timedelta(days=4),
    )
    EventFactory(title_de="Fremde Messe")  # another organisation

    page = client.get(reverse("workspace:event-list")).content.decode()
    assert page.index("NaWi-Camp") < page.index("Ausbildungsmesse Oschatz")
    assert "Fremde Messe" not in page
    assert reverse("workspace:event-edit", args=[later.pk]) in page

    found = client.get(reverse("workspace:event-list"), {"q": "messe"}).content.decode()
    assert "Ausbildungsmesse Oschatz" in found and "NaWi-Camp" not in found
    drafts = client.get(reverse("workspace:event-list"), {"status": "draft"}).content.decode()
    assert "NaWi-Camp" in drafts and "Ausbildungsmesse Oschatz" not in drafts
    camps = client.get(reverse("workspace:event-list"), {"kind": "camp"}).content.decode()
    assert reverse("workspace:event-edit", args=[sooner.pk]) in camps
    assert "Ausbildungsmesse Oschatz" not in camps


def test_the_list_starts_with_what_is_next_and_keeps_the_past_apart(client, organiser):
    org = organiser.organisation
    today = start_of_today()
    for title, days in [("Camp 2021", -1500), ("Messe gestern", -1), ("Tag morgen", 1)]:
        EventFactory(
            organisation=org,
            title_de=title,
            starts_at=today + timedelta(days=days, hours=9),
            ends_at=today + timedelta(days=days, hours=15),
        )
    EventFactory(organisation=org, title_de="Exkursion heute", starts_at=today + timedelta(hours=1))
    listing = reverse("workspace:event-list")

    coming = client.get(listing).content.decode()
    past = client.get(listing, {"when": "past"}).content.decode()
    every = client.get(listing, {"when": "all", "q": ""}).content.decode()
    searched = client.get(listing, {"q": "messe"}).content.decode()

    assert coming.index("Exkursion heute") < coming.index("Tag morgen")
    assert "gestern" not in coming and "2021" not in coming
    assert "Heute und demnächst" in coming and "Die heutigen und kommenden" in coming
    assert past.index("Messe gestern") < past.index("Camp 2021")  # the latest first
    assert "Tag morgen" not in past and "Exkursion heute" not in past
    assert all(title in every for title in ("Camp 2021", "Messe gestern", "Tag morgen"))
    assert "Messe gestern" not in searched and "„Wann“: Alle Termine" in searched
    event = Event.objects.get(title_de="Tag morgen")
    assert reverse("ticketing:organiser-list", args=[event.pk]) in coming


def test_the_kind_chooser_links_to_a_page_per_kind(client, organiser):
    page = client.get(reverse("workspace:event-new")).content.decode()
    for kind in Event.Kind.values:
        assert reverse("workspace:event-create", args=[kind]) in page


# --- one page per kind -------------------------------------------------------------------------


def test_each_kind_shows_only_its_own_fields(client, organiser, settings):
    settings.TICKETING_MEDICAL_NOTES_RETENTION_DAYS = 7

    def page(kind):
        return client.get(reverse("workspace:event-create", args=[kind])).content.decode()

    camp = page("camp")
    assert 'name="min_age"' in camp and 'name="rules-guardian_required_under"' in camp
    assert 'name="same_hours_daily"' in camp and "medizinische Angaben" in camp
    assert "Leer: nach 7 Tagen, wie auf der Plattform eingestellt" in camp
    assert 'name="rules-medical_notes_retention_days"' in camp and 'placeholder="7"' in camp
    assert 'name="fair-setup_starts_at"' not in camp and 'name="walk_ins_allowed"' not in camp
    fair = page("apprenticeship_fair")
    assert 'name="fair-setup_starts_at"' in fair and 'name="slots-TOTAL_FORMS"' in fair
    assert 'name="rules-allow_school_classes"' in fair and 'name="min_age"' not in fair
    excursion = page("excursion")
    assert 'name="rules-meeting_point"' in excursion and 'name="stops-0-school"' in excursion
    assert "8 bis 15" in excursion
    conference = page("conference")
    assert 'name="sessions-0-title_de"' in conference and 'name="fair-' not in conference
    returnee = page("returnee_day")
    assert 'name="walk_ins_allowed"' in returnee and 'name="slots-TOTAL_FORMS"' not in returnee
    for kind in Event.Kind.values:
        assert 'name="questions-TOTAL_FORMS"' in page(kind)
    assert client.get(reverse("workspace:event-create", args=["party"])).status_code == 404


def test_a_returnee_day_site_is_created_as_a_draft_with_its_fair_and_reminders(
    client, organiser, venue
):
    series = EventSeriesFactory(organisation=organiser.organisation)
    group = TargetGroupFactory(name_de="Rückkehrer")
    response = create(
        client,
        "returnee_day",
        event_data(
            "returnee_day",
            venue,
            title_de="Rückkehrertag 2026 in Delitzsch",
            series=series.pk,
            walk_ins_allowed="on",
            target_groups=[group.pk],
            **{"reminders-visitors": "1 Tag, 2 Std.", "reminders-exhibitors": "7d"},
        ),
    )
    event = Event.objects.get(title_de="Rückkehrertag 2026 in Delitzsch")
    assert response.status_code == 302
    assert response["Location"] == reverse("workspace:event-edit", args=[event.pk])
    assert event.kind == "returnee_day" and event.status == Event.Status.DRAFT
    assert event.organisation == organiser.organisation and event.series == series
    assert event.walk_ins_allowed and list(event.target_groups.all()) == [group]
    assert Fair.objects.get(event=event).max_staff_passes_per_stand == 4
    plan = ReminderPlan.objects.get(event=event)
    assert plan.offsets == {"visitors": ["1d", "2h"], "exhibitors": ["7d"]}
    # Shown in the page's words, in either language.
    edit = reverse("workspace:event-edit", args=[event.pk])
    german, english = client.get(edit).text, client.get(f"/en{edit}").text
    assert 'value="1 Tag, 2 Stunden"' in german and 'value="7 Tage"' in german
    assert 'value="1 day, 2 hours"' in english and 'value="7 days"' in english
    assert AuditEntry.objects.filter(action="event_created", target_id=str(event.pk)).exists()


def test_an_apprenticeship_fair_is_created_with_its_class_slots(client, organiser, venue):
    slots = [
        {
            "label": "Ankunft 9 Uhr",
            "starts_at": moment(30, 9),
            "ends_at": moment(30, 10),
            "capacity": "120",
        },
        {
            "label": "Ankunft 10 Uhr",
            "starts_at": moment(30, 10),
            "ends_at": moment(30, 11),
            "capacity": "120",
        },
    ]
    create(
        client,
        "apprenticeship_fair",
        event_data(
            "apprenticeship_fair",
            venue,
            title_de="Ausbildungsmesse Torgau",
            entries={"slots": slots},
            **{
                "rules-allow_school_classes": "on",
                "fair-max_exhibitors": "74",
                "fair-table_price": "7,50",
            },
        ),
    )
    event = Event.objects.get(title_de="Ausbildungsmesse Torgau")
    assert [(s.label, s.capacity) for s in event.time_slots.all()] == [
        ("Ankunft 9 Uhr", 120),
        ("Ankunft 10 Uhr", 120),
    ]
    assert event.fair.max_exhibitors == 74
    assert str(event.fair.table_price) == "7.50"  # typed "7,50"
    page = client.get(reverse("workspace:event-edit", args=[event.pk])).content.decode()
    assert 'value="7,50"' in page
    assert RegistrationSettings.objects.get(event=event).allow_school_classes is True


def test_a_fair_offers_school_classes_ticked_and_keeps_an_untick(client, organiser, venue):
    url = reverse("workspace:event-create", args=["apprenticeship_fair"])
    page = client.get(url).content.decode()
    box = re.search(r'<input[^>]*name="rules-allow_school_classes"[^>]*>', page).group(0)
    assert "checked" in box
    create(client, "apprenticeship_fair", event_data("apprenticeship_fair", venue, title_de="M"))
    assert RegistrationSettings.objects.get(event__title_de="M").allow_school_classes is False


def test_a_camp_is_created_with_days_daily_hours_ages_and_guardian_rules(client, organiser, venue):
    create(
        client,
        "camp",
        event_data(
            "camp",
            venue,
            title_de="NaWi-Camp Nordsachsen",
            starts_at=moment(40, 9),
            ends_at=moment(44, 16),
            same_hours_daily="on",
            min_age="10",
            max_age="14",
            **{
                "rules-guardian_required_under": "16",
                "rules-medical_notes_retention_days": "3",
                "reminders-guardians": "3d",
            },
        ),
    )
    event = Event.objects.get(title_de="NaWi-Camp Nordsachsen")
    assert event.kind == "camp" and event.same_hours_daily and event.has_daily_hours
    assert (event.min_age, event.max_age) == (10, 14)
    rules = RegistrationSettings.objects.get(event=event)
    assert (rules.guardian_required_under, rules.medical_notes_retention_days) == (16, 3)
    assert ReminderPlan.objects.get(event=event).offsets == {"guardians": ["3d"]}
    page = client.get(reverse("workspace:event-edit", args=[event.pk])).content.decode()
    assert 'name="rules-medical_notes_retention_days"' in page and 'value="3"' in page
    assert "werden 3 Tage nach dem Camp gelöscht" in page
    assert not Fair.objects.filter(event=event).exists()


def test_an_excursion_is_created_with_meeting_point_and_stops(client, organiser, venue):
    stops = [
        {"position": "1", "school": "Oberschule Dommitzsch", "town": "Dommitzsch"},
        {"position": "2", "school": "Grundschule Belgern", "town": "Belgern"},
    ]
    create(
        client,
        "excursion",
        event_data(
            "excursion",
            venue,
            title_de="Lehrer*innen aufs Land",
            capacity="12",
            entries={"stops": stops},
            **{"rules-meeting_point": "Leipzig Hbf, Gleis 5", "rules-departure_at": moment(30, 8)},
        ),
    )
    event = Event.objects.get(title_de="Lehrer*innen aufs Land")
    assert event.capacity == 12
    assert list(event.excursion_stops.values_list("school", flat=True)) == [
        "Oberschule Dommitzsch",
        "Grundschule Belgern",
    ]
    assert RegistrationSettings.objects.get(event=event).meeting_point == "Leipzig Hbf, Gleis 5"


def test_a_conference_is_created_with_workshops_and_questions(client, organiser, venue):
    sessions = [
        {
            "title_de": "Willkommenskultur",
            "starts_at": moment(30, 13),
            "ends_at": moment(30, 14),
            "capacity": "25",
        },
        {
            "title_de": "Ausbildung in Teilzeit",
            "starts_at": moment(30, 13),
            "ends_at": moment(30, 14),
            "capacity": "30",
        },
    ]
    questions = [
        {"position": "1", "kind": "choice", "label_de": "Essen", "choices_de": "vegetarisch\nvegan"}
    ]
    create(
        client,
        "conference",
        event_data(
            "conference",
            venue,
            title_de="Fachtag Fachkräfte",
            entries={"sessions": sessions, "questions": questions},
        ),
    )
    event = Event.objects.get(title_de="Fachtag Fachkräfte")
    assert sorted(event.sessions.values_list("title_de", "capacity")) == [
        ("Ausbildung in Teilzeit", 30),
        ("Willkommenskultur", 25),
    ]
    question = Question.objects.get(event=event)
    assert question.kind == "choice" and question.choice_pairs[0] == ("vegetarisch", "vegetarisch")


@pytest.mark.parametrize("kind", ["company_visit", "workshop"])
def test_a_small_event_is_created_with_plain_registration(client, organiser, venue, kind):
    response = create(client, kind, event_data(kind, venue, title_de="Zu Gast bei Agrar GmbH"))
    assert response.status_code == 302
    event = Event.objects.get(title_de="Zu Gast bei Agrar GmbH")
    assert event.kind == kind and event.capacity == 40


def test_a_new_venue_is_created_for_the_organisation_and_its_map_shown(client, organiser):
    response = create(
        client,
        "workshop",
        event_data(
            "workshop",
            title_de="Auftaktworkshop",
            **{
                "new_venue-name": "Landratsamt",
                "new_venue-town": "Torgau",
                "new_venue-latitude": "51.5603",
                "new_venue-longitude": "13.0058",
            },
        ),
    )
    event = Event.objects.get(title_de="Auftaktworkshop")
    assert event.venue.name == "Landratsamt" and event.venue.organisation == organiser.organisation
    page = client.get(response["Location"]).content.decode()
    assert "https://www.openstreetmap.org/?mlat=51.560300&amp;mlon=13.005800" in page


def test_errors_are_summarised_shown_at_their_fields_and_nothing_typed_is_lost(client, organiser):
    response = create(
        client,
        "conference",
        event_data(
            "conference",
            title_de="",
            description_de="Mein langer Text <script>alert(1)</script>",
            starts_at=moment(30, 12),
            ends_at=moment(30, 10),
            entries={"sessions": [{"title_de": "Workshop A", "starts_at": moment(30, 13)}]},
            **{"reminders-visitors": "morgen", "new_venue-name": "Neues Haus"},
        ),
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert not Event.objects.exists() and not Venue.objects.exists()
    summary = page[
        page.index("data-error-summary") : page.index("</ul>", page.index("data-error-summary"))
    ]
    assert 'href="#id_title_de"' in summary
    assert 'href="#id_ends_at"' in summary and "Das Ende darf nicht vor dem Beginn liegen." in page
    assert 'href="#id_new_venue-town"' in summary
    assert 'href="#id_sessions-0-ends_at"' in summary
    assert 'href="#id_reminders-visitors"' in summary
    assert 'id="id_title_de_error"' in page
    # Everything typed comes back (escaped), the workshop row included.
    assert "Mein langer Text &lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert 'value="Workshop A"' in page and 'value="Neues Haus"' in page
    assert 'value="morgen"' in page


def test_a_venue_of_another_organisation_cannot_be_picked(client, organiser):
    foreign = VenueFactory(name="Fremdes Haus")
    response = create(client, "workshop", event_data("workshop", foreign, title_de="X"))
    assert response.status_code == 400 and not Event.objects.filter(title_de="X").exists()


# --- edit ----------------------------------------------------------------------------------


def test_editing_keeps_the_kind_changes_fields_and_capacity_through_the_service(
    client, organiser, venue
):
    event = EventFactory(
        organisation=organiser.organisation, venue=venue, kind="conference", capacity=50
    )
    Session.objects.create(
        event=event,
        title_de="Alt",
        starts_at=event.starts_at,
        ends_at=event.starts_at + timedelta(hours=1),
    )
    url = reverse("workspace:event-edit", args=[event.pk])
    page = client.get(url).content.decode()
    assert 'value="Alt"' in page and 'name="sessions-0-title_de"' in page
    session = event.sessions.get()
    data = event_data("conference", venue, title_de="Fachtag 2027", capacity="80")
    data.update(
        {
            "sessions-TOTAL_FORMS": "1",
            "sessions-INITIAL_FORMS": "1",
            "sessions-0-id": str(session.pk),
            "sessions-0-title_de": "Neu",
            "sessions-0-starts_at": moment(30, 13),
            "sessions-0-ends_at": moment(30, 14),
            "sessions-0-capacity": "15",
        }
    )
    response = client.post(url, data)
    assert response.status_code == 302
    event.refresh_from_db()
    assert (event.title_de, event.capacity, event.kind) == ("Fachtag 2027", 80, "conference")
    assert list(event.sessions.values_list("title_de", "capacity")) == [("Neu", 15)]
    change = AuditEntry.objects.get(action="event_capacity_changed", target_id=str(event.pk))
    assert change.details == {"previous": 50, "capacity": 80}


def test_a_capacity_below_the_places_taken_is_refused_and_the_rest_kept(client, organiser, venue):
    event = EventFactory(organisation=organiser.organisation, venue=venue, capacity=5)
    for n in range(3):
        ticketing_services.register(event=event, data=person(n), now=timezone.now())
    url = reverse("workspace:event-edit", args=[event.pk])
    response = client.post(url, event_data("workshop", venue, title_de="Geändert", capacity="2"))
    event.refresh_from_db()
    assert response.status_code == 409
    assert event.capacity == 5 and event.title_de != "Geändert"
    assert 'value="Geändert"' in response.content.decode()


# --- preview, publish, cancel -------------------------------------------------------------------


def test_a_draft_is_previewed_as_the_public_page_with_a_banner(client, organiser, venue):
    draft = EventFactory(
        organisation=organiser.organisation,
        venue=venue,
        status=Event.Status.DRAFT,
        title_de="Geheimer Entwurf",
    )
    public_url = reverse("events_platform:event-detail", args=[draft.slug])
    assert client.get(public_url).status_code == 404
    page = client.get(reverse("workspace:event-preview", args=[draft.pk])).content.decode()
    assert "Vorschau" in page and "Geheimer Entwurf" in page
    assert "Anmeldung" in page  # the public page's own sections
    draft.refresh_from_db()
    assert draft.status == Event.Status.DRAFT


def test_publish_goes_through_the_service(client, organiser, venue):
    draft = EventFactory(organisation=organiser.organisation, venue=venue, status="draft")
    response = client.post(reverse("workspace:event-publish", args=[draft.pk]))
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == Event.Status.PUBLISHED
    assert AuditEntry.objects.filter(action="event_published", target_id=str(draft.pk)).exists()
    again = client.post(reverse("workspace:event-publish", args=[draft.pk]), follow=True)
    assert "kern-alert--danger" in again.content.decode()  # the service's refusal, shown


def test_cancel_asks_first_says_who_is_told_then_cancels_through_the_service(
    client, organiser, venue
):
    event = EventFactory(organisation=organiser.organisation, venue=venue, capacity=2)
    for n in range(3):
        ticketing_services.register(event=event, data=person(n), now=timezone.now())
    url = reverse("workspace:event-cancel", args=[event.pk])
    page = client.get(url).content.decode()
    assert "2 Anmeldungen mit Platz" in page and "Das sind 2 Personen insgesamt." in page
    assert "1 Person auf der Warteliste" in page
    assert "0 Aussteller" in page
    event.refresh_from_db()
    assert event.status == Event.Status.PUBLISHED

    response = client.post(url, {"reason": "Sturmwarnung"})
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.status == Event.Status.CANCELLED
    entry = AuditEntry.objects.get(action="event_cancelled", target_id=str(event.pk))
    assert entry.details["reason"] == "Sturmwarnung"
    assert not Registration.objects.filter(event=event, status__in=Registration.HOLDING).exists()


# --- series ----------------------------------------------------------------------------------


def test_the_series_page_edits_the_series_and_lists_its_sites_with_their_numbers(client, organiser):
    org = organiser.organisation
    series = EventSeriesFactory(organisation=org, title_de="Rückkehrertag 2026")
    delitzsch = EventFactory(
        organisation=org,
        series=series,
        venue=VenueFactory(organisation=org, town="Delitzsch"),
        title_de="Rückkehrertag",
        capacity=3,
    )
    EventFactory(
        organisation=org,
        series=series,
        venue=VenueFactory(organisation=org, town="Torgau"),
        title_de="Rückkehrertag",
        capacity=None,
    )
    for n in range(4):
        ticketing_services.register(event=delitzsch, data=person(n), now=timezone.now())
    ticket = make_ticket(delitzsch, 9)
    checkin_list = checkin_services.ensure_checkin_lists(event=delitzsch)[0]
    Attendance.objects.create(
        checkin_list=checkin_list,
        ticket=ticket,
        persons=1,
        inside=True,
        first_entry_at=timezone.now(),
        last_entry_at=timezone.now(),
    )

    url = reverse("workspace:series-edit", args=[series.pk])
    page = client.get(url).content.decode()
    row = page[page.index("Rückkehrertag, Delitzsch") :]
    row = row[: row.index("</tr>")]
    cells = [cell.split(">")[-1] for cell in row.split("</td>")[:-1]]
    # registered (3 with places + the ticket), places, waiting, checked in
    assert cells[-4:] == ["4", "3", "1", "1"]
    assert "Rückkehrertag, Torgau" in page

    response = client.post(url, {"title_de": "Rückkehrertag 2026/27", "title_en": ""})
    assert response.status_code == 302
    series.refresh_from_db()
    assert series.title_de == "Rückkehrertag 2026/27"


def test_a_series_is_created_for_the_organisation(client, organiser):
    response = client.post(reverse("workspace:series-create"), {"title_de": "Ausbildungsmessen"})
    assert response.status_code == 302
    page = client.get(reverse("workspace:series-list")).content.decode()
    assert "Ausbildungsmessen" in page
    empty = client.post(reverse("workspace:series-create"), {"title_de": ""})
    assert empty.status_code == 400 and "data-error-summary" in empty.content.decode()


# --- access ----------------------------------------------------------------------------------


def test_a_second_organisation_finds_none_of_it(client, organiser, venue):
    event = EventFactory(organisation=organiser.organisation, venue=venue, status="draft")
    series = EventSeriesFactory(organisation=organiser.organisation)
    other = MembershipFactory(user__username="orga-b").user
    client.force_login(other)
    for name in ("event-edit", "event-preview", "event-cancel"):
        assert client.get(reverse(f"workspace:{name}", args=[event.pk])).status_code == 404
    assert client.post(reverse("workspace:event-publish", args=[event.pk])).status_code == 404
    assert client.post(reverse("workspace:event-cancel", args=[event.pk])).status_code == 404
    assert client.get(reverse("workspace:series-edit", args=[series.pk])).status_code == 404
    listing = client.get(reverse("workspace:event-list")).content.decode()
    assert event.title_de not in listing
    event.refresh_from_db()
    assert event.status == Event.Status.DRAFT


def test_signed_out_visitors_are_sent_to_sign_in(client):
    response = client.get(reverse("workspace:event-list"))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_a_site_is_added_from_the_series_page_with_the_series_chosen(client, organiser):
    series = EventSeriesFactory(organisation=organiser.organisation, title_de="Rückkehrertag")
    page = client.get(reverse("workspace:series-edit", args=[series.pk])).content.decode()
    add = reverse("workspace:event-create", args=["returnee_day"]) + f"?series={series.pk}"
    assert add in page
    form = client.get(add).content.decode()
    assert re.search(rf'<option value="{series.pk}" selected>', form)


def test_an_organiser_of_two_organisations_keeps_series_and_venue_in_one(client, organiser):
    second = MembershipFactory(user=organiser.user).organisation
    venue_a = VenueFactory(organisation=organiser.organisation)
    series_b = EventSeriesFactory(organisation=second)
    response = create(
        client,
        "workshop",
        event_data(
            "workshop",
            venue_a,
            title_de="Gemischt",
            organisation=organiser.organisation.pk,
            series=series_b.pk,
        ),
    )
    assert response.status_code == 400 and not Event.objects.filter(title_de="Gemischt").exists()
    assert 'href="#id_series"' in response.content.decode()

    created = client.post(
        reverse("workspace:series-create"), {"title_de": "Reihe B", "organisation": second.pk}
    )
    assert created.status_code == 302
    assert second.series.filter(title_de="Reihe B").exists()


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("1 Tag, 2 Stunden", ["1d", "2h"]),
        ("3 Tage, 1 Stunde, 4 Std., 5std", ["3d", "1h", "4h", "5h"]),
        ("1t, 2h, 7d", ["1d", "2h", "7d"]),
        ("2 days, 1 hour", ["2d", "1h"]),
        ("morgen", None),
        ("2 Wochen", None),
        ("1d 2h", None),
    ],
)
def test_a_reminder_is_written_in_days_or_hours_in_either_language(typed, stored):
    from workspace.forms import ReminderForm

    form = ReminderForm({"visitors": typed}, kind="returnee_day")
    if stored is None:
        assert not form.is_valid() and "visitors" in form.errors
    else:
        assert form.is_valid(), form.errors
        assert form.offsets() == {"visitors": stored}
