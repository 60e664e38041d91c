"""Every input gets a 4xx, never a 500 (issue 17): NUL bytes, deep JSON, huge numbers.

The route walk builds a path for every pattern of the URL resolver (converters filled with
values of the shared world, then with NUL bytes and huge numbers) and sends GET and POST with
NUL in the query string, JSON nested far deeper than any real body, and numbers beyond every
column's range, anonymously and as a signed-in organiser. Every answer must be below 500.
The named cases below are the probes of the issue, each with the answer a client must get.
"""

import json
import re

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import LocalePrefixPattern, RegexPattern, RoutePattern
from django.utils.regex_helper import normalize

from tests.security import world as world_module
from ticketing.models import Registration

world = world_module.world  # the fixture (an import of it would trip ruff's F811)

NUL = "\x00"
HUGE = "9223372036854775808"  # one past PostgreSQL's bigint
DEEP = 1000
# Query parameters the views read (filters, paging, scanner search, the check-in day…).
PARAMETERS = [
    "q", "page", "list", "day", "event", "status", "limit", "offset", "date_from", "date_to",
    "lang", "as", "notice", "town", "kind", "target_group", "series", "next", "scope",
]  # fmt: skip
# Numbers a form or serializer may take.
NUMBERS = ["pupils", "adults", "time_slot", "sessions", "stand", "quantity", "count", "kind"]


def deep_json(depth: int = DEEP) -> str:
    """A small body (about 2 KB) nested `depth` levels deep."""
    return '{"a":' * depth + "1" + "}" * depth


def _routes(patterns=None, prefix=""):
    """(route template, converter names) for every URL pattern, includes walked."""
    patterns = get_resolver().url_patterns if patterns is None else patterns
    for entry in patterns:
        pattern = entry.pattern
        if isinstance(pattern, LocalePrefixPattern):
            part = ""
        elif isinstance(pattern, RoutePattern):
            part = pattern._route
        elif isinstance(pattern, RegexPattern):
            # The regex's simplest matching string, named groups as <str:name>.
            template, params = normalize(pattern._regex)[0]
            part = template % {name: f"<str:{name}>" for name in params}
        else:  # pragma: no cover - every pattern class Django has is handled above
            raise AssertionError(f"unknown pattern {pattern!r}")
        if isinstance(entry, URLResolver):
            yield from _routes(entry.url_patterns, prefix + part)
        elif isinstance(entry, URLPattern):
            yield prefix + part


CONVERTER = re.compile(r"<(?:(?P<kind>[^>:]+):)?(?P<name>[^>]+)>")


def _fill(route: str, values: dict) -> str:
    return "/" + CONVERTER.sub(lambda m: values[m["kind"] or "str"](m["name"]), route)


def _paths(route: str, world) -> list[str]:
    """The route with real values, with NUL in its text parts, and with huge numbers."""
    token = world.tokens["visitor"]["manage"]
    real = {
        "int": lambda name: str(world.ids["event_x"]),
        "year": lambda name: "2026",  # figures: four digits (figures/converters.py)
        "slug": lambda name: world.slugs["event_x"],
        "str": lambda name: token,
        "token": lambda name: token,
        "path": lambda name: "x",
    }
    paths = [_fill(route, real)]
    if CONVERTER.search(route):
        with_nul = {
            "str": lambda name: f"{token}%00",
            "token": lambda name: f"{token}%00",
            "slug": lambda name: "a%00b",
            "path": lambda name: "%00",
        }
        paths.append(_fill(route, {**real, **with_nul}))
        paths.append(_fill(route, {**real, "int": lambda n: HUGE, "str": lambda n: HUGE}))
    return sorted(set(paths))


def _probes(path: str):
    """(method, path, query or body, content type) of every hostile request for one path."""
    far = {"date_to": "9999-12-31", "date_from": "0001-01-01", "day": "9999-12-31"}
    huge_json = {**dict.fromkeys(NUMBERS, int(HUGE)), "sessions": [int(HUGE)], "name": NUL}
    yield "get", path, dict.fromkeys(PARAMETERS, NUL), None
    yield "get", path, {**dict.fromkeys(PARAMETERS, HUGE), **far}, None
    yield "post", path, deep_json(), "application/json"
    yield "post", path, json.dumps(huge_json), "application/json"
    yield "post", path, {**dict.fromkeys(NUMBERS, HUGE), **dict.fromkeys(PARAMETERS, NUL)}, None


def _walk(client_for, world) -> list[str]:
    failures = []
    for route in _routes():
        for path in _paths(route, world):
            for method, url, data, content_type in _probes(path):
                client = client_for()
                kwargs = {"content_type": content_type} if content_type else {}
                response = getattr(client, method)(url, data, **kwargs)
                if response.status_code >= 500:
                    shown = data if isinstance(data, dict) else data[:60]
                    failures.append(f"{method.upper()} {url} {shown!r} -> {response.status_code}")
    return failures


@pytest.mark.postgres
@pytest.mark.django_db
def test_no_route_answers_500_to_hostile_input_anonymously(world):
    def anonymous():
        return Client(raise_request_exception=False)

    failures = _walk(anonymous, world)
    assert not failures, f"{len(failures)} answers of 500:\n" + "\n".join(failures[:80])


@pytest.mark.postgres
@pytest.mark.django_db
def test_no_route_answers_500_to_hostile_input_for_an_organiser(world):
    organiser = world.users["organiser_a"]

    def signed_in():
        # Fresh each time: a route such as /logout/ must not end the walk's session.
        client = Client(raise_request_exception=False)
        client.force_login(organiser)
        return client

    failures = _walk(signed_in, world)
    assert not failures, f"{len(failures)} answers of 500:\n" + "\n".join(failures[:80])


def _json_error(response, status: int, code: str | None = None) -> dict:
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
    body = response.json()
    assert body["detail"]
    if code:
        assert body["code"] == code, body
    return body


@pytest.mark.postgres
@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    [
        "/api/tickets/events/{event}/register/",
        "/api/checkin/redeem/",
        "/api/checkin/upload/",
        "/api/checkin/pair/",
        "/api/auth/token/",
    ],
)
def test_deep_json_is_refused_as_bad_input(world, path):
    client = Client(raise_request_exception=False)
    # The scanner's endpoints as the paired device (others refuse it before reading the body).
    device = {"HTTP_AUTHORIZATION": f"Device {world.tokens['device_a']}"}
    response = client.post(
        path.format(event=world.slugs["event_x"]),
        deep_json(),
        content_type="application/json",
        **(device if "checkin" in path else {}),
    )
    _json_error(response, 400, "parse_error")


@pytest.mark.postgres
@pytest.mark.django_db
def test_a_body_over_the_limit_is_refused_with_413_json(world, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    client = Client(raise_request_exception=False)
    body = json.dumps({"name": "x" * 20_000})
    url = f"/api/tickets/events/{world.slugs['event_x']}/register/"
    _json_error(client.post(url, body, content_type="application/json"), 413, "too_large")
    # A form post to the API over the limit too (Django raises RequestDataTooBig).
    _json_error(client.post(url, {"name": "x" * 20_000}), 413, "too_large")


@pytest.mark.postgres
@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    [
        "/tickets/ticket/{manage}%00/",
        "/tickets/ticket/{manage}%00/ticket.pdf",
        "/tickets/ticket/{manage}%00/umbuchen/",
        "/tickets/kalender/{feed}%00.ics",
        "/tickets/einverstaendnis/{guardian}%00/",
        "/api/tickets/{manage}%00/",
        "/api/tickets/{manage}%00/cancel/",
        "/fairs/stellen/?q=%00",
        "/api/fairs/organiser/bookings/?status=%00",
        "/api/checkin/search/?q=%00",
        "/veranstaltungen/?q=%00",
    ],
)
def test_a_nul_byte_in_a_link_or_filter_is_refused(world, path):
    client = Client(raise_request_exception=False)
    response = client.get(path.format(**world.tokens["visitor"]))
    assert response.status_code in (400, 404), response.status_code
    if path.startswith("/api/"):
        _json_error(response, response.status_code)


@pytest.mark.postgres
@pytest.mark.django_db
def test_a_date_beyond_the_calendar_is_an_invalid_filter():
    client = Client(raise_request_exception=False)
    response = client.get("/api/events/", {"date_to": "9999-12-31"})
    _json_error(response, 400, "invalid_filter")


@pytest.mark.postgres
@pytest.mark.django_db
def test_page_size_has_a_maximum_and_huge_offsets_are_refused():
    from tests.factories import EventFactory

    EventFactory.create_batch(101)
    client = Client(raise_request_exception=False)
    response = client.get("/api/events/", {"limit": HUGE})
    assert response.status_code == 200
    assert response.json()["count"] > 100
    assert len(response.json()["results"]) == 100
    assert "limit=100" in response.json()["next"]
    response = client.get("/api/events/", {"offset": HUGE})
    _json_error(response, 400, "invalid_page")


@pytest.mark.postgres
@pytest.mark.django_db
@pytest.mark.parametrize("pupils", [2147483648, 2147483647, 501])
def test_a_class_of_implausible_size_is_refused(world, pupils):
    event = world.objects["event_x"]
    client = Client(raise_request_exception=False)
    before = Registration.objects.count()
    response = client.post(
        f"/api/tickets/events/{event.slug}/register/",
        {
            "name": "Frau Lehrerin",
            "email": "lehrerin@example.org",
            "school": "Gesamtschule",
            "grade": "8b",
            "pupils": pupils,
            "adults": 2,
            "privacy_consent": True,
        },
        content_type="application/json",
    )
    assert response.status_code == 400, response.content[:300]
    assert "pupils" in response.json()
    assert Registration.objects.count() == before


@pytest.mark.postgres
@pytest.mark.django_db
def test_api_errors_without_a_view_are_json():
    client = Client(raise_request_exception=False)
    _json_error(client.get("/api/no-such-thing/"), 404, "not_found")
    _json_error(client.get("/api/events/?q=%00"), 400, "bad_request")
    page = client.get("/veranstaltungen/?q=%00")
    assert page.status_code == 400
    assert page["Content-Type"].startswith("text/html")
