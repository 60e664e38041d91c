"""The public site through Django's test client: calendar filters, language, event pages."""

import re
from datetime import datetime, timedelta
from html import unescape
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from events_platform.models import Event
from tests.factories import (
    EventFactory,
    EventSeriesFactory,
    SessionFactory,
    TargetGroupFactory,
    TimeSlotFactory,
    VenueFactory,
)

BERLIN = ZoneInfo("Europe/Berlin")
GERMAN_WEEKDAYS = ["Mo.", "Di.", "Mi.", "Do.", "Fr.", "Sa.", "So."]
pytestmark = pytest.mark.django_db


def berlin(year, month, day, hour=0, minute=0):
    return datetime(year, month, day, hour, minute, tzinfo=BERLIN)


@pytest.fixture
def next_year():
    return timezone.now().year + 1


@pytest.fixture
def calendar(next_year):
    """A returnee day in Torgau and Oschatz, a fair in Delitzsch for pupils, a camp."""
    pupils = TargetGroupFactory(slug="schueler", name_de="Schüler", name_en="Pupils")
    returnees = TargetGroupFactory(slug="rueckkehrer", name_de="Rückkehrer", name_en="Returnees")
    series = EventSeriesFactory(
        slug="rueckkehrertag", title_de="Rückkehrertag", title_en="Returnee day"
    )
    torgau = EventFactory(
        organisation=series.organisation,
        series=series,
        kind=Event.Kind.RETURNEE_DAY,
        title_de="Rückkehrertag Torgau",
        title_en="Returnee day Torgau",
        venue__town="Torgau",
        starts_at=berlin(next_year, 12, 28, 10),
        ends_at=berlin(next_year, 12, 28, 12),
        walk_ins_allowed=True,
        registration_required=False,
        capacity=None,
    )
    oschatz = EventFactory(
        organisation=series.organisation,
        series=series,
        kind=Event.Kind.RETURNEE_DAY,
        title_de="Rückkehrertag Oschatz",
        title_en="Returnee day Oschatz",
        venue__town="Oschatz",
        starts_at=berlin(next_year, 12, 28, 10),
        ends_at=berlin(next_year, 12, 28, 12),
        status=Event.Status.CANCELLED,
    )
    torgau.target_groups.add(returnees)
    oschatz.target_groups.add(returnees)
    fair = EventFactory(
        kind=Event.Kind.APPRENTICESHIP_FAIR,
        title_de="Ausbildungsmesse Delitzsch",
        title_en="Apprenticeship fair Delitzsch",
        description_de="Pflegeberufe und Handwerk stellen sich vor.",
        description_en="Care and crafts present themselves.",
        venue__town="Delitzsch",
        starts_at=berlin(next_year, 3, 14, 9),
        ends_at=berlin(next_year, 3, 14, 14),
        capacity=800,
    )
    fair.target_groups.add(pupils)
    camp = EventFactory(
        kind=Event.Kind.CAMP,
        title_de="NaWi-Camp",
        title_en="Science camp",
        venue__town="Torgau",
        starts_at=berlin(next_year, 7, 20),
        ends_at=berlin(next_year, 7, 25),
        all_day=True,
    )
    draft = EventFactory(title_de="Geheimer Entwurf", status=Event.Status.DRAFT)
    return {
        "series": series,
        "torgau": torgau,
        "oschatz": oschatz,
        "fair": fair,
        "camp": camp,
        "draft": draft,
    }


def titles(response):
    return [event.title_de for event in response.context["events"]]


def test_listing_shows_upcoming_public_events_grouped_by_month(client, calendar, next_year):
    response = client.get(reverse("events_platform:event-list"))
    assert response.status_code == 200
    assert titles(response) == [
        "Ausbildungsmesse Delitzsch",
        "NaWi-Camp",
        "Rückkehrertag Oschatz",
        "Rückkehrertag Torgau",
    ]
    html = response.content.decode()
    assert f"März {next_year}" in html and f"Dezember {next_year}" in html
    assert "Geheimer Entwurf" not in html
    assert "4 Veranstaltungen" in html


def test_filter_by_town(client, calendar):
    response = client.get(reverse("events_platform:event-list"), {"town": "Torgau"})
    assert titles(response) == ["NaWi-Camp", "Rückkehrertag Torgau"]


def test_filter_by_kind(client, calendar):
    response = client.get(reverse("events_platform:event-list"), {"kind": "apprenticeship_fair"})
    assert titles(response) == ["Ausbildungsmesse Delitzsch"]


def test_filter_by_target_group(client, calendar):
    response = client.get(reverse("events_platform:event-list"), {"target_group": "rueckkehrer"})
    assert titles(response) == ["Rückkehrertag Oschatz", "Rückkehrertag Torgau"]


def test_filter_by_date_range(client, calendar, next_year):
    response = client.get(
        reverse("events_platform:event-list"),
        {"date_from": f"{next_year}-07-01", "date_to": f"{next_year}-07-31"},
    )
    assert titles(response) == ["NaWi-Camp"]


def test_filter_accepts_german_dates(client, calendar, next_year):
    response = client.get(
        reverse("events_platform:event-list"), {"date_from": f"01.12.{next_year}"}
    )
    assert titles(response) == ["Rückkehrertag Oschatz", "Rückkehrertag Torgau"]


def test_free_text_search_looks_in_titles_descriptions_and_towns(client, calendar):
    url = reverse("events_platform:event-list")
    assert titles(client.get(url, {"q": "pflege"})) == ["Ausbildungsmesse Delitzsch"]
    assert titles(client.get(url, {"q": "oschatz"})) == ["Rückkehrertag Oschatz"]


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"date_from": "gestern"}, "Bitte geben Sie ein Datum wie 27.12.2026 ein."),
        ({"kind": "rave"}, "Diese Art von Veranstaltung gibt es nicht."),
        ({"town": "Atlantis"}, "In diesem Ort gibt es keine Veranstaltungen."),
        ({"target_group": "aliens"}, "Diese Zielgruppe gibt es nicht."),
        ({"date_to": "9999-12-31"}, "Bitte wählen Sie ein Datum zwischen 2000 und 2100."),
        (
            {"date_from": "2000-05-02", "date_to": "2000-05-01"},
            "Das Enddatum darf nicht vor dem Startdatum liegen.",
        ),
    ],
)
def test_bad_filter_values_give_a_message_not_an_error(client, calendar, params, message):
    response = client.get(reverse("events_platform:event-list"), params | {"q": "torgau"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Einige Filter konnten nicht verwendet werden" in html
    assert message in html
    assert 'aria-invalid="true"' in html
    # the valid filters still apply
    assert "Rückkehrertag Torgau" in titles(response)
    assert "Ausbildungsmesse Delitzsch" not in titles(response)


def test_bad_filter_message_in_english(client, calendar):
    response = client.get("/en/veranstaltungen/", {"kind": "rave"})
    assert response.status_code == 200
    assert "This kind of event does not exist." in response.content.decode()


def test_empty_result_says_what_to_do(client, calendar):
    response = client.get(reverse("events_platform:event-list"), {"q": "Einhorn"})
    html = response.content.decode()
    assert "Keine Veranstaltung passt zu diesen Filtern" in html
    assert "Alle kommenden Veranstaltungen anzeigen" in html


def test_cancelled_event_has_badge_in_listing_and_banner_on_its_page(client, calendar):
    listing = client.get(reverse("events_platform:event-list"), {"town": "Oschatz"})
    assert "kern-badge--danger" in listing.content.decode()
    assert ">Abgesagt<" in listing.content.decode()
    page = client.get(calendar["oschatz"].get_absolute_url())
    assert "Diese Veranstaltung wurde abgesagt" in page.content.decode()
    english = client.get("/en" + calendar["oschatz"].get_absolute_url())
    assert "This event has been cancelled" in english.content.decode()


def test_listing_shows_free_places_when_capacity_known(client, calendar):
    response = client.get(reverse("events_platform:event-list"), {"town": "Delitzsch"})
    html = response.content.decode()
    assert "Freie Plätze" in html and "800" in html


def test_places_left_adds_up_what_the_registered_counters_say(calendar):
    from events_platform import queries
    from events_platform.extensions import places_taken

    fair = calendar["fair"]
    places_taken.register("test", lambda ids: dict.fromkeys(ids, 30))
    try:
        assert queries.places_left([fair]) == {fair.pk: 770}
    finally:
        places_taken.unregister("test")
    assert queries.places_left([fair]) == {fair.pk: 800}


def switch_language(client, page_html, language):
    """Submit the language switch form as the page rendered it."""
    match = re.search(r'name="next" type="hidden" value="([^"]*)"', page_html)
    return client.post(
        reverse("set_language"), {"language": language, "next": unescape(match.group(1))}
    )


def test_language_switch_keeps_the_page_and_query(client, calendar):
    german = client.get("/veranstaltungen/?town=Torgau").content.decode()
    assert 'lang="en">' in german and "English" in german
    response = switch_language(client, german, "en")
    assert response.status_code == 302
    assert response["Location"] == "/en/veranstaltungen/?town=Torgau"
    html = client.get(response["Location"]).content.decode()
    assert '<html lang="en">' in html
    assert "Returnee day Torgau" in html
    assert ">Deutsch<" in html
    back = switch_language(client, html, "de")
    assert back["Location"] == "/veranstaltungen/?town=Torgau"
    assert '<html lang="de">' in client.get(back["Location"]).content.decode()


def test_switching_to_german_works_without_a_language_cookie(client, calendar):
    # Someone who followed an English link: their browser says German, no cookie is set.
    html = client.get("/en/veranstaltungen/", HTTP_ACCEPT_LANGUAGE="de").content.decode()
    client.cookies.clear()
    back = switch_language(client, html, "de")
    assert back["Location"] == "/veranstaltungen/"


def test_german_is_the_default_with_german_dates(client, calendar, next_year):
    html = client.get(calendar["torgau"].get_absolute_url()).content.decode()
    assert '<html lang="de">' in html
    weekday = GERMAN_WEEKDAYS[berlin(next_year, 12, 28).weekday()]
    assert f"{weekday}, 28.\u00a0Dezember {next_year}, 10–12\u00a0Uhr" in html


def test_event_page_shows_multi_day_all_day_dates(client, calendar, next_year):
    html = client.get(calendar["camp"].get_absolute_url()).content.decode()
    assert f"20.–24.\u00a0Juli {next_year}" in html
    english = client.get("/en" + calendar["camp"].get_absolute_url()).content.decode()
    assert f"20–24\u00a0July {next_year}" in english


def test_event_page_times_are_in_berlin_time(client, next_year):
    # 09:00 UTC in summer is 11:00 in Berlin.
    event = EventFactory(
        starts_at=datetime(next_year, 6, 10, 9, tzinfo=ZoneInfo("UTC")),
        ends_at=datetime(next_year, 6, 10, 10, tzinfo=ZoneInfo("UTC")),
    )
    html = client.get(event.get_absolute_url()).content.decode()
    assert "11–12\u00a0Uhr" in html


def test_event_page_details(client, calendar):
    fair = calendar["fair"]
    fair.venue.latitude, fair.venue.longitude = 51.5258, 12.3417
    fair.venue.accessibility_notes_de = "Stufenloser Zugang über den Hof."
    fair.venue.save()
    fair.registration_opens_at = timezone.now() + timedelta(days=5)
    fair.save()
    TimeSlotFactory(event=fair, label="Klassen 8", capacity=60)
    SessionFactory(event=fair, title_de="Pflege zum Anfassen", room="Raum A 1", capacity=20)
    html = client.get(fair.get_absolute_url()).content.decode()
    assert "Ausbildungsmesse" in html
    assert "openstreetmap.org/?mlat=51.525800" in html
    assert "Stufenloser Zugang über den Hof." in html
    assert "Schüler" in html
    assert "Die Anmeldung beginnt am" in html
    assert "Klassen 8" in html and "60 Plätze" in html
    assert "Pflege zum Anfassen" in html and "Raum A 1" in html
    # The label says "Plätze"; the value does not say it again.
    assert re.search(r"Plätze</dt>\s*<dd[^>]*>800, 800 frei</dd>", html)
    assert "800 Plätze" not in html
    assert reverse("ical-event", kwargs={"slug": fair.slug}) in html


@pytest.mark.parametrize(
    ("opens", "closes", "required", "text"),
    [
        (-5, 5, True, "Die Anmeldung ist bis"),
        (-5, -1, True, "Die Anmeldung ist geschlossen."),
        (None, None, False, "Keine Anmeldung nötig"),
    ],
)
def test_event_page_registration_state(client, opens, closes, required, text):
    now = timezone.now()
    event = EventFactory(
        registration_required=required,
        registration_opens_at=now + timedelta(days=opens) if opens is not None else None,
        registration_closes_at=now + timedelta(days=closes) if closes is not None else None,
    )
    assert text in client.get(event.get_absolute_url()).content.decode()


def test_walk_in_badge_and_series_link(client, calendar):
    html = client.get(calendar["torgau"].get_absolute_url()).content.decode()
    assert "Ohne Anmeldung willkommen" in html
    assert calendar["series"].get_absolute_url() in html


def test_draft_event_is_not_public(client, calendar):
    assert client.get(calendar["draft"].get_absolute_url()).status_code == 404


def test_series_page_shows_its_sites_side_by_side(client, calendar):
    response = client.get(calendar["series"].get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert [e.venue.town for e in response.context["events"]] == ["Oschatz", "Torgau"]
    assert "2 Standorte" in html
    assert "card-grid--sites" in html
    assert "Abgesagt" in html
    assert re.search(r"<dt>Plätze</dt><dd>\d+</dd>", html)  # "Plätze: 800", said once
    assert "Plätze</dd>" not in html
    assert reverse("ical-series", kwargs={"slug": "rueckkehrertag"}) in html


def test_home_features_the_next_returnee_day_and_lists_next_events(client, calendar):
    html = client.get(reverse("events_platform:home")).content.decode()
    assert "Fünf Standorte, ein Tag" in html
    assert calendar["series"].get_absolute_url() in html
    assert "Ausbildungsmesse Delitzsch" in html
    # the next events leave cancelled ones out
    assert "Rückkehrertag Oschatz" not in html


def test_home_without_events_says_so(client):
    html = client.get(reverse("events_platform:home")).content.decode()
    assert "Zurzeit sind keine Veranstaltungen geplant" in html


def test_not_found_page_is_translated(client):
    german = client.get("/gibt-es-nicht/")
    assert german.status_code == 404
    assert "Seite nicht gefunden" in german.content.decode()
    english = client.get("/en/does-not-exist/")
    assert "Page not found" in english.content.decode()


def test_server_error_page_renders_without_a_request():
    from django.template.loader import render_to_string

    html = render_to_string("500.html")
    assert "Etwas ist schiefgelaufen" in html


def test_login_page(client, django_user_model):
    django_user_model.objects.create_user("orga", password="correct horse battery staple")
    page = client.get(reverse("login"))
    assert page.status_code == 200
    assert 'autocomplete="current-password"' in page.content.decode()
    failed = client.post(reverse("login"), {"username": "orga", "password": "wrong"})
    assert "data-error-summary" in failed.content.decode()
    ok = client.post(
        reverse("login"), {"username": "orga", "password": "correct horse battery staple"}
    )
    assert ok.status_code == 302
    home = client.get(reverse("events_platform:home")).content.decode()
    assert "Abmelden (orga)" in home


def test_venue_factory_towns_are_listed_once(client):
    VenueFactory(town="Eilenburg")
    EventFactory(venue__town="Eilenburg")
    EventFactory(venue__town="Eilenburg")
    html = client.get(reverse("events_platform:event-list")).content.decode()
    assert html.count('<option value="Eilenburg"') == 1


def test_listing_is_paged_and_keeps_the_filters(client):
    start = timezone.now() + timedelta(days=3)
    for number in range(35):
        EventFactory(venue__town="Torgau", starts_at=start + timedelta(hours=number))
    url = reverse("events_platform:event-list")
    first = client.get(url, {"town": "Torgau"})
    assert len(first.context["events"]) == 30
    html = first.content.decode()
    assert "35 Veranstaltungen" in html and "Seite 1 von 2" in html
    assert 'href="?town=Torgau&amp;page=2"' in html
    second = client.get(url, {"town": "Torgau", "page": "2"})
    assert len(second.context["events"]) == 5
    assert "Spätere Veranstaltungen" not in second.content.decode()
    assert client.get(url, {"page": "viele"}).status_code == 200


def test_filtered_calendar_offers_town_and_kind_feeds(client, calendar):
    html = client.get(
        reverse("events_platform:event-list"), {"town": "Torgau", "kind": "camp"}
    ).content.decode()
    assert reverse("ical-town", kwargs={"town": "Torgau"}) in html
    assert reverse("ical-kind", kwargs={"kind": "camp"}) in html
    assert "Alle Veranstaltungen in Torgau im Kalender abonnieren" in html


def test_a_camps_slots_are_shown_as_its_days_without_places_of_their_own(client, calendar):
    camp, fair = calendar["camp"], calendar["fair"]
    TimeSlotFactory(event=camp, starts_at=camp.starts_at, ends_at=camp.starts_at, capacity=60)
    TimeSlotFactory(event=fair, starts_at=fair.starts_at, ends_at=fair.ends_at, capacity=40)
    german = client.get(camp.get_absolute_url()).content.decode()
    fair_page = client.get(fair.get_absolute_url()).content.decode()
    english = client.get("/en" + camp.get_absolute_url()).content.decode()
    assert "Tage und Zeiten" in german and "Zeitfenster" not in german
    assert "60 Plätze" not in german
    assert "Days and times" in english and "60 places" not in english
    assert "Zeitfenster" in fair_page and "40 Plätze" in fair_page
