"""The core API: public calendar reads, token and session sign-in, the schema and its docs."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from events_platform.models import Event, Membership
from tests.conftest import AXE_SOURCE
from tests.factories import (
    EventFactory,
    EventSeriesFactory,
    MembershipFactory,
    SessionFactory,
    TargetGroupFactory,
    TimeSlotFactory,
    UserFactory,
)

BERLIN = ZoneInfo("Europe/Berlin")
PASSWORD = "correct horse battery staple"


@pytest.fixture
def api():
    return APIClient()


def slugs(response) -> list[str]:
    return [item["slug"] for item in response.json()["results"]]


@pytest.mark.django_db
def test_event_list_shows_public_events_and_hides_drafts(api):
    published = EventFactory()
    cancelled = EventFactory(status=Event.Status.CANCELLED)
    draft = EventFactory(status=Event.Status.DRAFT)
    response = api.get("/api/events/")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    assert set(slugs(response)) == {published.slug, cancelled.slug}
    assert draft.slug not in slugs(response)
    item = next(i for i in body["results"] if i["slug"] == published.slug)
    assert item["venue"]["town"] == "Torgau"
    assert item["ical_url"].endswith(f"/kalender/veranstaltung/{published.slug}.ics")
    assert api.get(f"/api/events/{draft.slug}/").status_code == 404


@pytest.mark.django_db
def test_event_list_filters(api):
    year = timezone.localdate().year + 1  # upcoming, whenever the test runs
    group = TargetGroupFactory(slug="schueler")
    series = EventSeriesFactory(slug="rueckkehrertag-2026")
    camp = EventFactory(
        kind=Event.Kind.CAMP,
        venue__town="Eilenburg",
        starts_at=datetime(year, 7, 7, 9, tzinfo=BERLIN),
        ends_at=datetime(year, 7, 9, 16, tzinfo=BERLIN),
        title_de="Sommercamp Technik",
    )
    camp.target_groups.add(group)
    site = EventFactory(
        series=series,
        kind=Event.Kind.RETURNEE_DAY,
        starts_at=datetime(year, 12, 27, 10, tzinfo=BERLIN),
        ends_at=datetime(year, 12, 27, 15, tzinfo=BERLIN),
    )
    assert slugs(api.get("/api/events/", {"town": "eilenburg"})) == [camp.slug]
    assert slugs(api.get("/api/events/", {"kind": "returnee_day"})) == [site.slug]
    assert slugs(api.get("/api/events/", {"target_group": "schueler"})) == [camp.slug]
    assert slugs(api.get("/api/events/", {"series": series.slug})) == [site.slug]
    assert slugs(api.get("/api/events/", {"q": "sommercamp"})) == [camp.slug]
    july = {"date_from": f"{year}-07-01", "date_to": f"{year}-07-31"}
    assert slugs(api.get("/api/events/", july)) == [camp.slug]
    # The camp's last day counts: it is not over on 9 July.
    assert slugs(
        api.get("/api/events/", {"date_from": f"{year}-07-09", "date_to": f"{year}-07-09"})
    ) == [camp.slug]
    assert api.get("/api/events/", {"limit": 1}).json()["next"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "params",
    [
        {"date_from": "gestern"},
        {"kind": "rave"},
        {"date_from": "2027-07-10", "date_to": "2027-07-01"},
    ],
)
def test_invalid_filter_is_400_with_code_and_translated_detail(api, params):
    response = api.get("/api/events/", params)
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid_filter"
    assert set(body) == {"code", "detail"}
    field = next(iter(params)) if len(params) == 1 else "date_to"
    assert field in body["detail"]
    english = api.get("/api/events/", params | {"lang": "en"}).json()
    assert english["detail"].startswith("Invalid filter")
    german = api.get("/api/events/", params, HTTP_ACCEPT_LANGUAGE="de").json()
    assert german["detail"].startswith("Ungültiger Filter")


@pytest.mark.django_db
def test_event_detail_has_both_languages_slots_and_sessions(api):
    event = EventFactory(
        kind=Event.Kind.CONFERENCE,
        title_de="Fachtag Fachkräfte",
        title_en="Skilled workers conference",
        description_de="Vorträge und Workshops.",
        description_en="Talks and workshops.",
    )
    group = TargetGroupFactory(slug="unternehmen")
    event.target_groups.add(group)
    TimeSlotFactory(event=event, label="Ankunft Klasse 9a")
    SessionFactory(event=event, title_de="Ausbildung 4.0", room="Saal 2")
    response = api.get(f"/api/events/{event.slug}/")
    assert response.status_code == 200
    body = response.json()
    assert body["title_de"] == "Fachtag Fachkräfte"
    assert body["title_en"] == "Skilled workers conference"
    assert body["description_en"] == "Talks and workshops."
    assert [slot["label"] for slot in body["time_slots"]] == ["Ankunft Klasse 9a"]
    assert [(s["title_de"], s["room"]) for s in body["sessions"]] == [("Ausbildung 4.0", "Saal 2")]
    assert body["target_groups"] == [
        {"slug": "unternehmen", "name_de": group.name_de, "name_en": group.name_en}
    ]
    assert body["venue"]["address"] == "Markt 1, 04860 Torgau"
    # Times in Europe/Berlin with their offset.
    local = event.starts_at.astimezone(BERLIN).isoformat()
    assert body["starts_at"] == local


@pytest.mark.django_db
def test_series_list_and_detail_with_its_public_events(api):
    series = EventSeriesFactory(title_de="Rückkehrertag 2026")
    sites = [EventFactory(series=series, venue__town=t) for t in ["Torgau", "Delitzsch"]]
    EventFactory(series=series, status=Event.Status.DRAFT)
    hidden = EventSeriesFactory()
    EventFactory(series=hidden, status=Event.Status.DRAFT)
    assert slugs(api.get("/api/series/")) == [series.slug]
    body = api.get(f"/api/series/{series.slug}/").json()
    assert body["title_de"] == "Rückkehrertag 2026"
    assert {e["slug"] for e in body["events"]} == {e.slug for e in sites}
    assert api.get(f"/api/series/{hidden.slug}/").status_code == 404


@pytest.mark.django_db
def test_venues_and_target_groups_only_with_public_events(api):
    shown = EventFactory(venue__name="Kulturhaus")
    shown.target_groups.add(TargetGroupFactory(slug="lehrkraefte"))
    draft = EventFactory(status=Event.Status.DRAFT, venue__name="Geheimer Ort")
    draft.target_groups.add(TargetGroupFactory(slug="nur-entwurf"))
    venues = [v["name"] for v in api.get("/api/venues/").json()["results"]]
    assert venues == ["Kulturhaus"]
    groups = slugs(api.get("/api/target-groups/"))
    assert groups == ["lehrkraefte"]


@pytest.mark.django_db
def test_token_then_me_with_token_and_with_session(api):
    membership = MembershipFactory(
        user=UserFactory(username="organiser"),
        organisation__name="Fachkräfteallianz Nordsachsen",
        role=Membership.Role.ORGANISER_ADMIN,
    )
    assert api.get("/api/me/").status_code in (401, 403)

    wrong = api.post("/api/auth/token/", {"username": "organiser", "password": "falsch"})
    assert wrong.status_code == 400
    assert wrong.json()["code"] == "invalid_credentials"

    response = api.post(
        "/api/auth/token/", {"username": "organiser", "password": PASSWORD}, format="json"
    )
    assert response.status_code == 200
    token = response.json()["token"]
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    me = api.get("/api/me/")
    assert me.status_code == 200
    assert me.json()["username"] == "organiser"
    assert me.json()["memberships"] == [
        {
            "organisation": membership.organisation.slug,
            "organisation_name": "Fachkräfteallianz Nordsachsen",
            "role": "organiser_admin",
        }
    ]
    api.credentials(HTTP_AUTHORIZATION="Token not-a-token")
    assert api.get("/api/me/").status_code in (401, 403)

    session = APIClient()
    session.force_login(membership.user)
    assert session.get("/api/me/").json()["username"] == "organiser"


@pytest.mark.django_db
def test_core_api_schema_validates_without_warnings(tmp_path):
    out = tmp_path / "core.yaml"
    call_command(
        "spectacular",
        "--validate",
        "--fail-on-warn",
        "--urlconf",
        "tests.events_platform.core_api_urls",
        "--file",
        str(out),
    )
    assert "EventKindEnum" in out.read_text()


@pytest.mark.django_db
def test_schema_validates_without_warnings(tmp_path):
    """The whole schema, every app's endpoints: a warning anywhere fails."""
    out = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))
    text = out.read_text()
    for path in ["/api/events/", "/api/events/{slug}/", "/api/series/{slug}/", "/api/me/"]:
        assert f"  {path}:" in text
    assert "tokenAuth" in text


@pytest.mark.django_db
def test_schema_is_served(client):
    response = client.get(reverse("schema"), HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    assert "/api/auth/token/" in response.json()["paths"]


def _watch(page):
    problems, outside = [], []

    def on_console(message):
        # Chromium asks for /favicon.ico by itself; that 404 is not the page's doing.
        if message.type == "error" and not message.location["url"].endswith("/favicon.ico"):
            problems.append(message.text)

    def on_request(request):
        if not request.url.startswith(("http://localhost", "data:", "blob:")):
            outside.append(request.url)

    page.on("console", on_console)
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on("request", on_request)
    return problems, outside


def _axe_except_swagger_ui_own_markup(page):
    """axe-core on the docs overview, less one finding in Swagger UI's own markup.

    Swagger UI nests its copy and lock buttons inside each operation's summary button; that
    is its React markup, not ours (docs.css fixes its colours), so that one rule is left out.
    An opened operation has more of Swagger UI's own findings (an unlabelled select, a code
    sample that is not focusable): this developer page is not held to the public pages' bar.
    """
    page.evaluate(AXE_SOURCE.read_text())
    result = page.evaluate(
        """async () => await axe.run(document, {
            runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']},
            rules: {'nested-interactive': {enabled: false}}
        })"""
    )
    serious = [v["id"] for v in result["violations"] if v["impact"] in ("serious", "critical")]
    assert serious == []


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_swagger_docs_render_under_the_strict_csp(page):
    problems, outside = _watch(page)
    response = page.goto(reverse("api-docs"))
    assert "script-src 'self'" in response.headers["content-security-policy"]
    assert "unsafe-inline" not in response.headers["content-security-policy"]
    page.get_by_text("/api/events/{slug}/").wait_for()
    page.get_by_role("button", name="Authorize").wait_for()
    _axe_except_swagger_ui_own_markup(page)
    # Open one operation with the keyboard: its parameters are listed.
    summary = page.locator("#operations-calendar-events_list .opblock-summary-control")
    summary.focus()
    page.keyboard.press("Enter")
    page.get_by_text("date_from").first.wait_for()
    assert problems == []
    assert outside == []


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_redoc_renders_without_inline_script(page):
    problems, outside = _watch(page)
    response = page.goto(reverse("api-redoc"))
    csp = response.headers["content-security-policy"]
    assert "script-src 'self';" in csp + ";"
    page.get_by_role("heading", name="events_platform API").wait_for()
    page.get_by_role("heading", name="Public events", exact=False).first.wait_for()
    # Redoc's "powered by" logo points at its CDN: the CSP blocks it, nothing else is amiss.
    assert [p for p in problems if "cdn.redoc.ly" not in p] == []
    assert all("cdn.redoc.ly" in url for url in outside)


@pytest.mark.django_db
def test_labels_follow_the_requested_language_and_queries_stay_flat(
    api, django_assert_max_num_queries
):
    for _ in range(5):
        event = EventFactory(kind=Event.Kind.APPRENTICESHIP_FAIR)
        event.target_groups.add(TargetGroupFactory())
    with django_assert_max_num_queries(4):
        english = api.get("/api/events/", {"lang": "en"}).json()
    assert {item["kind_label"] for item in english["results"]} == {"Apprenticeship fair"}
    german = api.get("/api/events/").json()
    assert {item["kind_label"] for item in german["results"]} == {"Ausbildungsmesse"}
