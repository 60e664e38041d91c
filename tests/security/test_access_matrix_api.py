"""The access-control matrix of every API operation (everything under `/api/`) x every role.

Each (operation, role) cell is its own test: the role sends the request with its own
credentials (DRF token for users, `Device <token>` for scanners, nothing for anonymous and
visitors, whose credential is the secret link in the path), path parameters name objects
OWNED BY A (organisation A, company A, visitor A), and the answer must be the row's status
for that role. Besides the status, every cell checks:
- the body holds none of A's private strings (world.secrets_a) the role is not entitled to;
- a write that is not answered 2xx leaves A's data as it was (`fingerprint`, before/after);
- an allowed list answers only the caller's own rows (the row's `check`).

HOW TO ADD A ROW (a new operation or api/ route without one fails `test_every_operation_*`):
1. Add `Row("METHOD", "/api/path/{param}/", expect=...)` to ROWS, with the path exactly as
   in /api/schema/ (`{id}` for `<int:pk>`); routes that are not in the schema get
   `in_schema=False`.
2. `params(w, a, role)` fills the path from the world (A's objects), `body(w, a, role)` is
   a minimal valid body, `query(w, a, role)` the query string.
3. `expect`: one status per role (helpers `everyone`, `only`); `entitled`: roles that may
   see A's private data here beyond the defaults in ENTITLED; `check(w, a, role, response)`
   asserts what an allowed answer contains (own rows only).
Run `.venv/bin/pytest tests/security/test_access_matrix_api.py -q` (PostgreSQL: see
notes/HELPERS.md).
"""

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import count

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from events_platform.api import TokenObtainThrottle
from fairs.models import CompanyMember, JobOffer, StaffPass, StandBooking
from tests.checkin.factories import make_ticket, pair
from tests.fairs.factories import StandBookingFactory
from tests.security.world import MADE_UP_TOKEN, world  # noqa: F401  (the fixture)
from ticketing.checkin.models import Attendance, Device, Scan, WalkIn
from ticketing.models import Registration, Ticket

USERS = ("company_a", "company_b", "organiser_a", "organiser_b", "checkin_x", "platform_admin")
DEVICES = ("device_x", "device_y")
ROLES = ("anonymous", "visitor", "visitor_b", *USERS, *DEVICES)
NO_USER = ("anonymous", "visitor", "visitor_b", *DEVICES)  # no user credential for DRF
COMPANIES = ("company_a", "company_b")
ORGANISERS_OF_A = ("organiser_a", "platform_admin")
PASSWORD = "correct horse battery staple"  # tests/factories.py UserFactory

# Whose private data of A (keys of world.secrets_a) a role may see wherever it is allowed.
ENTITLED = {
    "visitor": {"visitor"},
    "company_a": {"company"},
    "organiser_a": {"visitor", "company"},
    "platform_admin": {"visitor", "company"},
    "device_x": {"visitor"},  # the door of event X sees the names on X's tickets
}


@dataclass
class Api:
    """What the API rows need beyond the world: per-role API clients and a few more rows."""

    clients: dict
    device_y: Device
    device_y_token: str
    booking_requested_a: StandBooking  # company A's request at A's fair, not yet decided
    ticket_y: Ticket  # a ticket of event Y of a third person (for device Y's own rows)


@pytest.fixture(scope="module")
def api(world, django_db_blocker):  # noqa: F811  (world is the fixture)
    """Token clients per user role, a paired device for event Y, a requested booking of A.

    Built inside the world's module transaction, so it is rolled back with it.
    """
    with django_db_blocker.unblock():
        device_y, device_y_token = pair(world.objects["event_y"], "Handy Alpha Y", "Eingang Süd")
        booking_requested_a = StandBookingFactory(
            company=world.objects["company_a"], stand=world.objects["stands_a"][1]
        )
        ticket_y = make_ticket(
            world.objects["event_y"], name="Yvonne Ypsilon", email="yvonne@visitor-y.example"
        )
        clients = {role: APIClient() for role in ROLES}
        for role in USERS:
            token = Token.objects.get_or_create(user=world.users[role])[0]
            clients[role].credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        clients["device_x"].credentials(HTTP_AUTHORIZATION=f"Device {world.tokens['device_a']}")
        clients["device_y"].credentials(HTTP_AUTHORIZATION=f"Device {device_y_token}")
    return Api(clients, device_y, device_y_token, booking_requested_a, ticket_y)


@pytest.fixture(autouse=True)
def _no_sign_in_throttle(monkeypatch):
    """The token endpoint allows 10 tries a minute per address; the matrix sends more."""
    monkeypatch.setattr(TokenObtainThrottle, "rate", "100000/minute")


# --- outcome helpers ---------------------------------------------------------------------


def everyone(status: int, **overrides: int) -> dict:
    cells = dict.fromkeys(ROLES, status)
    cells.update(overrides)
    return cells


def only(status: int, roles, otherwise: dict) -> dict:
    """`status` for `roles`, `otherwise` (role -> status, with a "*" default) for the rest."""
    cells = {role: otherwise.get(role, otherwise["*"]) for role in ROLES}
    for role in roles:
        cells[role] = status
    return cells


# DRF answers 403 to a request without credentials on user routes (session auth comes
# first and sends no WWW-Authenticate), 401 on device routes ("Device" challenge).
USER_ROUTE_DENIED = {"*": 403}
DEVICE_ROUTE = only(200, DEVICES, {"*": 401})


def device_event(w, a, role):
    return w.objects["event_x"] if role == "device_x" else w.objects["event_y"]


_nonce = count()


def nonce() -> str:
    return f"matrix-{next(_nonce)}"


# --- checks on allowed answers -----------------------------------------------------------


def ids_of(response) -> set:
    data = response.json()
    rows = data["results"] if isinstance(data, dict) and "results" in data else data
    return {row["id"] for row in rows}


def own_bookings(w, a, role, response):
    ids = ids_of(response)
    company = w.objects["company_a" if role == "company_a" else "company_b"]
    assert ids == set(StandBooking.objects.filter(company=company).values_list("pk", flat=True))
    assert (w.ids["booking_a"] in ids) == (role == "company_a")
    assert (w.ids["booking_b"] in ids) == (role == "company_b")


def organiser_bookings(w, a, role, response):
    ids = ids_of(response)
    assert (w.ids["booking_a"] in ids) == (role in ORGANISERS_OF_A)
    assert (w.ids["booking_b"] in ids) == (role in ("organiser_b", "platform_admin"))
    if role == "organiser_b":
        assert all(
            StandBooking.objects.get(pk=pk).fair.event.organisation == w.objects["org_b"]
            for pk in ids
        )


def own_job_offers(w, a, role, response):
    ids = ids_of(response)
    assert (w.ids["job_a"] in ids) == (role == "company_a")
    assert (w.ids["job_b"] in ids) == (role == "company_b")
    company = w.objects["company_a" if role == "company_a" else "company_b"]
    assert ids == set(JobOffer.objects.filter(company=company).values_list("pk", flat=True))


def own_company(w, a, role, response):
    assert response.json()["slug"] == w.objects[role].slug


def event_x_registrations(w, a, role, response):
    ids = ids_of(response)
    assert w.ids["registration_a"] in ids
    assert ids == set(
        Registration.objects.filter(event=w.objects["event_x"]).values_list("pk", flat=True)
    )


def export_of_x(w, a, role, response):
    text = response.content.decode()
    assert w.objects["registration_a"].email in text
    assert w.objects["registration_b"].email not in text


def own_registration(w, a, role, response):
    email = w.objects["registration_a" if role == "visitor" else "registration_b"].email
    assert response.json()["email"] == email


def own_user(w, a, role, response):
    assert response.json()["username"] == w.users[role].get_username()


def own_token(w, a, role, response):
    assert Token.objects.get(key=response.json()["token"]).user == w.users[role]


def device_of(w, a, role, response):
    assert response.json()["event_id"] == device_event(w, a, role).pk


def own_event_serials(key):
    def check(w, a, role, response):
        data = response.json()
        serials = {str(row["serial"]) for row in (data[key] if key else data)}
        mine = {
            str(serial)
            for serial in Ticket.objects.filter(event=device_event(w, a, role)).values_list(
                "serial", flat=True
            )
        }
        assert serials and serials <= mine
        assert (str(w.objects["ticket_a"].serial) in serials) == (role == "device_x")

    return check


def redeem_answer(w, a, role, response):
    data = response.json()
    data = data["results"][0] if "results" in data else data
    if role == "device_x":
        assert data["code"] == "ok" and data["name"] == w.objects["registration_a"].name
    else:  # device Y, A's ticket of event X: refused, and nothing about the holder
        assert data["code"] == "wrong_event" and data["name"] == ""


def new_device_of_x(w, a, role, response):
    assert response.json()["event_id"] == w.ids["event_x"]


def public_events(w, a, role, response):
    slugs = {row["slug"] for row in response.json()["results"]}
    assert w.slugs["event_x"] in slugs


# --- rows --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    method: str
    path: str  # as in /api/schema/
    expect: dict  # role -> status
    params: Callable = lambda w, a, role: {}
    body: Callable | None = None
    query: Callable | None = None
    check: Callable | None = None  # (w, a, role, response) on allowed answers
    entitled: dict = field(default_factory=dict)  # role -> extra secret groups
    in_schema: bool = True
    multipart: bool = False

    @property
    def key(self) -> str:
        return f"{self.method} {self.path}"


def slug(name):
    return lambda w, a, role: {"slug": w.slugs[name]}


def pk(name):
    return lambda w, a, role: {"id": w.ids[name]}


def visitor_link(w, a, role):
    """Visitor A's link for the visitor, B's own for visitor B, a made-up one for others."""
    tokens = {
        "visitor": w.tokens["visitor"]["manage"],
        "visitor_b": w.tokens["visitor_b"]["manage"],
    }
    return {"token": tokens.get(role, MADE_UP_TOKEN)}


def credentials(w, a, role):
    if role in USERS:
        return {"username": w.users[role].get_username(), "password": PASSWORD}
    return {"username": w.users["organiser_a"].get_username(), "password": "guessed"}


def registration_input(w, a, role):
    return {"name": f"Matrix {role}", "email": f"{role}@matrix.example", "privacy_consent": True}


def booking_request(w, a, role):
    return {
        "stands": [w.objects["stands_a"][2].pk],
        "day_contact_name": "Tagkontakt",
        "day_contact_phone": "0341 1",
    }


def job_offer_input(w, a, role):
    return {"title": "Ausbildung Matrix", "kind": "apprenticeship", "place_of_work": "Torgau"}


def pairing(w, a, role):
    """Who holds a real pairing code of X: its organisers and its check-in staff."""
    if role in (*ORGANISERS_OF_A, "checkin_x"):
        return {"token": w.tokens["pairing_x"], "name": "Neues Handy"}
    return {"token": "forged.pairing.code", "name": "Neues Handy"}


def redeem_exit(w, a, role):
    """Visitor A (checked in at X by the world) leaves: device X lets her out."""
    return {"nonce": nonce(), "secret": w.objects["ticket_a"].secret, "direction": "exit"}


ALL_200 = everyone(200)
COMPANY_ONLY = only(200, COMPANIES, USER_ROUTE_DENIED)
ORG_EVENT_READ = only(
    200,
    ORGANISERS_OF_A,
    {
        "*": 404,
        "anonymous": 403,
        "visitor": 403,
        "visitor_b": 403,
        "device_x": 403,
        "device_y": 403,
    },
)
ORGANISER_ROUTE = only(200, ("organiser_a", "organiser_b", "platform_admin"), USER_ROUTE_DENIED)
ORGANISER_OBJECT_A = only(200, ORGANISERS_OF_A, {"*": 403, "organiser_b": 404})
COMPANY_OBJECT_A = only(200, ("company_a",), {"*": 403, "company_b": 404})
SIGNED_IN = only(200, USERS, USER_ROUTE_DENIED)

ROWS = [
    # core: calendar (public), token, me
    Row("GET", "/api/events/", ALL_200, check=public_events),
    Row("GET", "/api/events/{slug}/", ALL_200, params=slug("event_x")),
    Row("GET", "/api/series/", ALL_200),
    Row("GET", "/api/series/{slug}/", ALL_200, params=slug("series_a")),
    Row("GET", "/api/venues/", ALL_200),
    Row("GET", "/api/target-groups/", ALL_200),
    Row(
        "POST",
        "/api/auth/token/",
        only(200, USERS, {"*": 400}),
        body=credentials,
        check=own_token,
    ),
    Row("GET", "/api/me/", SIGNED_IN, check=own_user, entitled={"company_a": {"company"}}),
    # fairs: public plan and job wall
    Row("GET", "/api/fairs/halls/{id}/stands/", ALL_200, params=pk("hall_a")),
    Row("GET", "/api/fairs/events/{slug}/plan/", ALL_200, params=slug("fair_event_a")),
    Row("GET", "/api/fairs/events/{slug}/job-offers/", ALL_200, params=slug("fair_event_a")),
    Row("GET", "/api/fairs/series/{slug}/job-offers/", ALL_200, params=slug("series_a")),
    # fairs: a company's own profile, bookings and job offers
    Row("GET", "/api/fairs/company/", COMPANY_ONLY, check=own_company),
    Row(
        "PATCH",
        "/api/fairs/company/",
        COMPANY_ONLY,
        body=lambda w, a, role: {"town": "Neustadt"},
        check=own_company,
    ),
    Row("GET", "/api/fairs/bookings/", COMPANY_ONLY, check=own_bookings),
    Row(
        "POST",
        "/api/fairs/bookings/",
        only(201, COMPANIES, USER_ROUTE_DENIED),
        body=booking_request,
    ),
    Row(
        "POST",
        "/api/fairs/bookings/{id}/withdraw/",
        COMPANY_OBJECT_A,
        params=pk("booking_a"),
    ),
    Row("GET", "/api/fairs/job-offers/", COMPANY_ONLY, check=own_job_offers),
    Row(
        "POST",
        "/api/fairs/job-offers/",
        only(201, COMPANIES, USER_ROUTE_DENIED),
        body=job_offer_input,
    ),
    Row("GET", "/api/fairs/job-offers/{id}/", COMPANY_OBJECT_A, params=pk("job_a")),
    Row(
        "PATCH",
        "/api/fairs/job-offers/{id}/",
        COMPANY_OBJECT_A,
        params=pk("job_a"),
        body=lambda w, a, role: {"title": "Geändert"},
    ),
    Row(
        "DELETE",
        "/api/fairs/job-offers/{id}/",
        only(204, ("company_a",), {"*": 403, "company_b": 404}),
        params=pk("job_a"),
    ),
    # fairs: organisers decide on bookings at their events
    Row("GET", "/api/fairs/organiser/bookings/", ORGANISER_ROUTE, check=organiser_bookings),
    Row(
        "POST",
        "/api/fairs/organiser/bookings/{id}/approve/",
        ORGANISER_OBJECT_A,
        params=lambda w, a, role: {"id": a.booking_requested_a.pk},
    ),
    Row(
        "POST",
        "/api/fairs/organiser/bookings/{id}/reject/",
        ORGANISER_OBJECT_A,
        params=lambda w, a, role: {"id": a.booking_requested_a.pk},
        body=lambda w, a, role: {"message": "Die Halle ist voll."},
    ),
    Row(
        "POST",
        "/api/fairs/organiser/bookings/{id}/cancel/",
        ORGANISER_OBJECT_A,
        params=pk("booking_a"),
        body=lambda w, a, role: {"message": "Die Messe fällt aus."},
    ),
    # ticketing: register (public), the visitor's secret link, the organiser's list
    Row(
        "POST",
        "/api/tickets/events/{slug}/register/",
        everyone(201),
        params=slug("fair_event_a"),
        body=registration_input,
    ),
    Row(
        "GET",
        "/api/tickets/{token}/",
        only(200, ("visitor", "visitor_b"), {"*": 404}),
        params=visitor_link,
        check=own_registration,
    ),
    Row(
        "POST",
        "/api/tickets/{token}/cancel/",
        only(200, ("visitor", "visitor_b"), {"*": 404}),
        params=visitor_link,
        check=own_registration,
    ),
    Row(
        "POST",
        "/api/tickets/{token}/accept/",
        # No offer is open: the holder hears so (409); anyone else learns nothing (404).
        only(409, ("visitor", "visitor_b"), {"*": 404}),
        params=visitor_link,
    ),
    Row(
        "GET",
        "/api/tickets/organiser/events/{event_id}/registrations/",
        ORG_EVENT_READ,
        params=lambda w, a, role: {"event_id": w.ids["event_x"]},
        check=event_x_registrations,
    ),
    Row(
        "GET",
        "/api/tickets/organiser/events/{event_id}/registrations/export/",
        ORG_EVENT_READ,
        params=lambda w, a, role: {"event_id": w.ids["event_x"]},
        check=export_of_x,
    ),
    # check-in: pairing (by code), then everything with the device token
    Row(
        "POST",
        "/api/checkin/pair/",
        only(201, (*ORGANISERS_OF_A, "checkin_x"), {"*": 400}),
        body=pairing,
        check=new_device_of_x,
    ),
    Row("GET", "/api/checkin/device/", DEVICE_ROUTE, check=device_of),
    Row("GET", "/api/checkin/counters/", DEVICE_ROUTE),
    Row(
        "GET",
        "/api/checkin/tickets/",
        DEVICE_ROUTE,
        check=own_event_serials("tickets"),
        entitled={"device_y": {"visitor"}},  # visitor A also holds a ticket of Y
    ),
    Row(
        "GET",
        "/api/checkin/search/",
        DEVICE_ROUTE,
        query=lambda w, a, role: {"q": "Alpha"},
        check=own_event_serials(None),
        entitled={"device_y": {"visitor"}},  # visitor A also holds a ticket of Y
    ),
    Row(
        "POST",
        "/api/checkin/redeem/",
        only(200, ("device_x",), {"*": 401, "device_y": 409}),
        body=redeem_exit,
        check=redeem_answer,
    ),
    Row(
        "POST",
        "/api/checkin/upload/",
        DEVICE_ROUTE,
        body=lambda w, a, role: {"scans": [redeem_exit(w, a, role)]},
        check=redeem_answer,
    ),
    Row(
        "POST",
        "/api/checkin/walk-ins/",
        only(201, DEVICES, {"*": 401}),
        body=lambda w, a, role: {"nonce": nonce()},
    ),
    # the schema and its two viewers (public, not in the schema themselves)
    Row("GET", "/api/schema/", ALL_200, in_schema=False),
    Row("GET", "/api/docs/", ALL_200, in_schema=False),
    Row("GET", "/api/redoc/", ALL_200, in_schema=False),
]


# --- the matrix --------------------------------------------------------------------------


def fingerprint(w, a) -> dict:
    """A's data a denied write must leave alone, and the counts of what writes create."""
    o = w.objects

    def row(model, pk):
        return model.objects.filter(pk=pk).values().first()

    return {
        "company_a": row(type(o["company_a"]), o["company_a"].pk),
        "company_b": row(type(o["company_b"]), o["company_b"].pk),
        "booking_a": row(StandBooking, o["booking_a"].pk),
        "booking_requested_a": row(StandBooking, a.booking_requested_a.pk),
        "job_a": row(JobOffer, o["job_a"].pk),
        "registration_a": row(Registration, o["registration_a"].pk),
        "camp_registration_a": row(Registration, o["camp_registration_a"].pk),
        "ticket_a": row(Ticket, o["ticket_a"].pk),
        "staff_pass_a": row(StaffPass, o["staff_pass_a"].pk),
        "attendance": list(Attendance.objects.order_by("pk").values()),
        "counts": {
            model.__name__: model.objects.count()
            for model in (
                StandBooking,
                JobOffer,
                Registration,
                Ticket,
                Device,
                Scan,
                WalkIn,
                CompanyMember,
                Token,
            )
        },
    }


def send(client, row: Row, w, a, role):
    path = row.path
    for name, value in row.params(w, a, role).items():
        path = path.replace("{" + name + "}", str(value))
    assert "{" not in path, f"unfilled path parameter in {path}"
    body = row.body(w, a, role) if row.body else None
    query = row.query(w, a, role) if row.query else None
    method = getattr(client, row.method.lower())
    if row.method == "GET":
        return method(path, query)
    return method(path, body, format="multipart" if row.multipart else "json")


def leaked(text: str, w, role: str, row: Row) -> list[str]:
    allowed = ENTITLED.get(role, set()) | row.entitled.get(role, set())
    return [
        secret
        for group, secrets in w.secrets_a.items()
        if group not in allowed
        for secret in secrets
        if secret and secret in text
    ]


CELLS = [pytest.param(row, role, id=f"{row.key} [{role}]") for row in ROWS for role in ROLES]


@pytest.mark.django_db
@pytest.mark.parametrize(("row", "role"), CELLS)
def test_cell(world, api, row, role):  # noqa: F811  (world is the fixture)
    writes = row.method != "GET"
    before = fingerprint(world, api) if writes else None
    response = send(api.clients[role], row, world, api, role)
    expected = row.expect[role]
    text = response.content.decode("utf-8", "replace")
    assert response.status_code == expected, f"{row.key} as {role}: {text[:500]}"
    assert not leaked(text, world, role, row), f"{row.key} as {role} shows A's data: {text[:500]}"
    if response.status_code < 300:
        if row.check:
            row.check(world, api, role, response)
    elif writes:
        assert fingerprint(world, api) == before, f"{row.key} as {role} changed A's data"


# --- every operation and every api/ route has a row --------------------------------------


def schema_operations(client) -> set[str]:
    response = client.get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    schema = json.loads(response.content)
    return {
        f"{method.upper()} {path}"
        for path, operations in schema["paths"].items()
        for method in operations
        if method in ("get", "post", "put", "patch", "delete")
    }


def api_routes() -> set[str]:
    """Every URL pattern under api/ in the resolver, written like a schema path."""

    def walk(patterns, prefix):
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, route)
            elif isinstance(pattern, URLPattern):
                yield route

    def as_schema_path(route: str) -> str:
        def param(match):
            name = match.group(1)
            return "{id}" if name == "pk" else "{" + name + "}"

        return "/" + re.sub(r"<(?:\w+:)?(\w+)>", param, route).lstrip("^").rstrip("$")

    return {
        as_schema_path(route)
        for route in walk(get_resolver().url_patterns, "")
        if route.startswith("api/")
    }


def test_every_operation_of_the_schema_has_a_row_and_every_row_an_operation(client):
    operations = schema_operations(client)
    rows = {row.key for row in ROWS if row.in_schema}
    assert not operations - rows, f"operations without a row: {sorted(operations - rows)}"
    assert not rows - operations, f"rows of operations that are gone: {sorted(rows - operations)}"
    not_in_schema = {row.key for row in ROWS if not row.in_schema}
    assert not not_in_schema & operations, "a row says in_schema=False but the schema has it"
    assert len({row.key for row in ROWS}) == len(ROWS), "two rows for one operation"


def test_every_api_route_has_a_row_and_every_row_a_route():
    routes = api_routes()
    row_paths = {row.path for row in ROWS}
    assert not routes - row_paths, f"api/ routes without a row: {sorted(routes - row_paths)}"
    assert not row_paths - routes, f"rows of routes that are gone: {sorted(row_paths - routes)}"


def test_every_cell_names_every_role():
    for row in ROWS:
        assert set(row.expect) == set(ROLES), row.key
        assert set(row.entitled) <= set(ROLES), row.key
    assert len(CELLS) == len(ROWS) * len(ROLES)


def test_the_world_really_has_what_the_rows_name(world, api):  # noqa: F811
    """Guard against a vacuous matrix: the ids the rows use exist and belong to A."""
    o = world.objects
    assert o["booking_a"].company == o["company_a"]
    assert o["booking_a"].fair.event.organisation == o["org_a"]
    assert api.booking_requested_a.status == StandBooking.Status.REQUESTED
    assert o["job_a"].company == o["company_a"]
    assert o["registration_a"].event == o["event_x"]
    assert o["event_x"].organisation == o["org_a"] == o["event_y"].organisation
    assert api.device_y.event == o["event_y"]
    assert o["device_a"].event == o["event_x"]
    assert timezone.now() < o["fair_a"].event.starts_at
