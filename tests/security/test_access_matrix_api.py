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

from checkin.models import Attendance, Device, Scan, WalkIn
from events_platform.api import TokenObtainThrottle
from fairs.models import CompanyMember, CompanyVerification, JobOffer, StaffPass, StandBooking
from tests.checkin.factories import make_ticket, pair
from tests.fairs.factories import StandBookingFactory
from tests.security.world import MADE_UP_TOKEN, row_counts, world  # noqa: F401  (the fixture)
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
    "visitor": {"visitor", "contact_note"},
    "company_a": {"company", "contact_note"},
    "organiser_a": {"visitor", "company", "org"},
    "platform_admin": {"visitor", "company", "org", "contact_note"},
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


def organiser_companies(w, a, role, response):
    ids = ids_of(response)
    a_side = {w.ids["company_a"], w.ids["pending_company"]}
    assert (a_side <= ids) == (role in ORGANISERS_OF_A)
    assert not (a_side & ids) or role in ORGANISERS_OF_A
    assert (w.ids["company_b"] in ids) == (role in ("organiser_b", "platform_admin"))


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
    # The figures of series A's edition (organisers of A), its open data (everyone).
    Row(
        "GET",
        "/api/figures/series/{id}/{year}/",
        ORGANISER_OBJECT_A,
        params=lambda w, a, role: {"id": w.ids["series_a"], "year": timezone.localdate().year},
    ),
    # surveys: a survey's results, read-only, for the organisers of its organisation
    Row(
        "GET",
        "/api/surveys/{id}/results/",
        ORGANISER_OBJECT_A,
        params=lambda w, a, role: {"id": w.ids["survey_a"]},
    ),
    Row(
        "GET",
        "/api/open-data/series/{slug}/{year}/",
        ALL_200,
        params=lambda w, a, role: {"slug": w.slugs["series_a"], "year": timezone.localdate().year},
    ),
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
    # fairs: the companies an organiser sees (dealings with their events) and verification,
    # per organisation: B learns nothing of the company that asked only A for a stand
    Row("GET", "/api/fairs/organiser/companies/", ORGANISER_ROUTE, check=organiser_companies),
    Row(
        "POST",
        "/api/fairs/organiser/companies/{id}/verify/",
        ORGANISER_OBJECT_A,
        params=pk("pending_company"),
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
        "/api/tickets/{token}/change/",
        # Event X is on now, its registration closed: the holder hears so (409), anyone
        # else learns nothing (404).
        only(409, ("visitor", "visitor_b"), {"*": 404}),
        params=visitor_link,
        body=lambda w, a, role: {"pupils": 3},
    ),
    Row(
        "POST",
        "/api/tickets/{token}/accept/",
        # No offer is open: the holder hears so (409); anyone else learns nothing (404).
        only(409, ("visitor", "visitor_b"), {"*": 404}),
        params=visitor_link,
    ),
    Row(
        "POST",
        "/api/tickets/{token}/decline/",
        # As accept: no offer is open, so nothing to decline.
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


COUNTED = (
    StandBooking,
    JobOffer,
    Registration,
    Ticket,
    Device,
    Scan,
    WalkIn,
    CompanyMember,
    CompanyVerification,
    Token,
)


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
        "counts": {m.__name__: n for m, n in zip(COUNTED, row_counts(COUNTED), strict=True)},
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


# --- IDOR: another party's ids, links and devices ----------------------------------------


def assert_refused(response, status, w, role, what):
    text = response.content.decode("utf-8", "replace")
    assert response.status_code == status, f"{what}: {response.status_code} {text[:300]}"
    assert not leaked(text, w, role, Row("GET", "", {})), f"{what} shows A's data: {text[:300]}"


@pytest.mark.django_db
def test_company_b_reaches_none_of_company_a_bookings_passes_or_job_offers(world, api):  # noqa: F811
    o, client = world.objects, api.clients["company_b"]
    before = fingerprint(world, api)
    for booking in (o["booking_a"], api.booking_requested_a):
        url = f"/api/fairs/bookings/{booking.pk}/withdraw/"
        assert_refused(client.post(url), 404, world, "company_b", url)
    job = f"/api/fairs/job-offers/{o['job_a'].pk}/"
    assert_refused(client.get(job), 404, world, "company_b", job)
    assert_refused(client.patch(job, {"title": "B"}, format="json"), 404, world, "company_b", job)
    assert_refused(client.delete(job), 404, world, "company_b", job)
    # Company A's booked stand: refused as taken, without naming who holds it privately.
    taken = client.post(
        "/api/fairs/bookings/",
        {"stands": [o["stand_a"].pk], "day_contact_name": "B", "day_contact_phone": "1"},
        format="json",
    )
    assert_refused(taken, 409, world, "company_b", "booking A's stand")
    # B's lists name none of A's bookings, offers or staff passes (passes have no API).
    bookings = client.get("/api/fairs/bookings/")
    assert o["booking_a"].pk not in ids_of(bookings)
    assert o["staff_pass_a"].name not in bookings.content.decode()
    assert o["job_a"].pk not in ids_of(client.get("/api/fairs/job-offers/"))
    assert fingerprint(world, api) == before


@pytest.mark.django_db
def test_visitor_b_link_opens_only_visitor_b_and_no_variant_of_a_link_opens_anything(
    world,  # noqa: F811
    api,
):
    o = world.objects
    client = api.clients["visitor_b"]
    link_a, link_b = world.tokens["visitor"]["manage"], world.tokens["visitor_b"]["manage"]
    own = client.get(f"/api/tickets/{link_b}/")
    assert own.status_code == 200 and own.json()["email"] == o["registration_b"].email
    assert not leaked(own.content.decode(), world, "visitor_b", Row("GET", "", {}))
    before = fingerprint(world, api)
    guesses = [
        link_a[:-1],
        link_a[:-1] + ("A" if link_a[-1] != "A" else "B"),
        link_a.upper() if link_a.upper() != link_a else link_a.lower(),
        link_a + "0",
        link_b[:-1] + link_a[-1] if link_b[-1] != link_a[-1] else link_b[:-1],
        str(o["registration_a"].pk),
        str(o["ticket_a"].serial),
    ]
    for guess in guesses:
        for method in ("get", "post"):
            for suffix in ("", "cancel/", "accept/"):
                if (method == "get") != (suffix == ""):
                    continue
                url = f"/api/tickets/{guess}/{suffix}"
                assert_refused(getattr(client, method)(url), 404, world, "visitor_b", url)
    # Visitor B cancelling with B's own link cancels B's registration, never A's.
    assert (
        client.post(f"/api/tickets/{link_b}/cancel/").json()["email"] == o["registration_b"].email
    )
    after = fingerprint(world, api)
    assert after["registration_a"] == before["registration_a"]
    assert after["ticket_a"] == before["ticket_a"]


@pytest.mark.django_db
def test_organiser_b_reaches_no_event_registration_export_or_booking_of_org_a(world, api):  # noqa: F811
    o, client = world.objects, api.clients["organiser_b"]
    before = fingerprint(world, api)
    for event in (o["event_x"], o["event_y"], o["camp_a"], o["fair_a"].event, o["draft_a"]):
        base = f"/api/tickets/organiser/events/{event.pk}/registrations/"
        for url in (base, base + "export/", base + "export/?file_format=xlsx"):
            assert_refused(client.get(url), 404, world, "organiser_b", url)
    for booking in (o["booking_a"], api.booking_requested_a):
        for decision in ("approve", "reject", "cancel"):
            url = f"/api/fairs/organiser/bookings/{booking.pk}/{decision}/"
            response = client.post(url, {"message": "Nein"}, format="json")
            assert_refused(response, 404, world, "organiser_b", url)
    filtered = client.get("/api/fairs/organiser/bookings/", {"event": world.slugs["fair_event_a"]})
    assert filtered.status_code == 200 and ids_of(filtered) == set()
    assert fingerprint(world, api) == before
    # And the other way round: organiser A reaches nothing of B.
    mine = api.clients["organiser_a"]
    b_list = f"/api/tickets/organiser/events/{o['event_b'].pk}/registrations/"
    assert mine.get(b_list).status_code == 404
    assert mine.get(b_list + "export/").status_code == 404
    assert (
        o["registration_b"].email
        not in mine.get(
            f"/api/tickets/organiser/events/{o['event_x'].pk}/registrations/", {"query": "beta"}
        ).content.decode()
    )


def redeem(client, **body):
    return client.post("/api/checkin/redeem/", {"nonce": nonce(), **body}, format="json")


@pytest.mark.django_db
def test_a_device_of_event_y_reads_and_redeems_nothing_of_event_x(world, api):  # noqa: F811
    o, client = world.objects, api.clients["device_y"]
    ticket_a, staff_pass_a = o["ticket_a"], o["staff_pass_a"]
    attendance = list(Attendance.objects.order_by("pk").values())
    tries = {
        "A's signed code of X": {"secret": ticket_a.secret},
        "A's serial of X typed in": {"serial": ticket_a.serial},
        "A's serial of X, exit": {"serial": ticket_a.serial, "direction": "exit"},
        "company A's staff pass serial": {"serial": staff_pass_a.serial, "kind": 2},
        "B's signed code (other tenant)": {"secret": o["ticket_b"].secret},
        "B's serial (other tenant)": {"serial": o["ticket_b"].serial},
    }
    for what, body in tries.items():
        for response in (
            redeem(client, **body),
            client.post(
                "/api/checkin/upload/", {"scans": [{"nonce": nonce(), **body}]}, format="json"
            ),
        ):
            data = response.json()
            answer = data["results"][0] if "results" in data else data
            assert answer["code"] == "wrong_event", (what, answer)
            assert answer["name"] == "" and answer["serial"] == "", (what, answer)
            text = response.content.decode()
            for secret in (
                o["registration_a"].name,
                o["registration_b"].name,
                staff_pass_a.name,
                o["company_a"].name,
                str(ticket_a.serial),
            ):
                assert secret not in text, (what, secret)
    # X's check-in list cannot be named by Y's device.
    x_list = o["checkin_list_a"].pk
    for url in ("/api/checkin/tickets/", "/api/checkin/search/", "/api/checkin/counters/"):
        response = client.get(url, {"list": x_list, "q": "Alpha"})
        assert_refused(response, 404, world, "device_y", url)
    response = redeem(client, secret=api.ticket_y.secret, list=x_list)
    assert_refused(response, 404, world, "device_y", "redeem on X's list")
    # Searching for A's serial of X finds nothing.
    assert client.get("/api/checkin/search/", {"q": str(ticket_a.serial)}).json() == []
    assert list(Attendance.objects.order_by("pk").values()) == attendance
    assert not Scan.objects.filter(device=api.device_y, ticket=ticket_a).exists()


@pytest.mark.django_db
def test_check_in_staff_of_x_reach_only_x(world, api):  # noqa: F811
    o = world.objects
    staff = api.clients["checkin_x"]
    # The staff user's own token opens no scanner route and no organiser route.
    for url in ("/api/checkin/device/", "/api/checkin/tickets/", "/api/checkin/counters/"):
        assert_refused(staff.get(url), 401, world, "checkin_x", url)
    for event in (o["event_x"], o["event_y"]):
        url = f"/api/tickets/organiser/events/{event.pk}/registrations/"
        assert_refused(staff.get(url), 404, world, "checkin_x", url)
    # The device they pair with X's code scans for X only: Y's ticket and list are refused.
    paired = APIClient().post(
        "/api/checkin/pair/", {"token": world.tokens["pairing_x"], "name": "Staff"}, format="json"
    )
    assert paired.status_code == 201 and paired.json()["event_id"] == o["event_x"].pk
    device = APIClient()
    device.credentials(HTTP_AUTHORIZATION=f"Device {paired.json()['device_token']}")
    for body in ({"secret": o["ticket_a_y"].secret}, {"serial": api.ticket_y.serial}):
        answer = redeem(device, **body).json()
        assert answer["code"] == "wrong_event" and answer["name"] == "", answer
    y_lists = api.device_y.event.checkin_lists.values_list("pk", flat=True)
    for list_id in y_lists:
        assert device.get("/api/checkin/tickets/", {"list": list_id}).status_code == 404
    serials = {row["serial"] for row in device.get("/api/checkin/tickets/").json()["tickets"]}
    assert str(api.ticket_y.serial) not in serials and str(o["ticket_a"].serial) in serials


@pytest.mark.django_db
def test_a_revoked_or_unknown_device_token_gets_401(world, api):  # noqa: F811
    from checkin import services as checkin_services

    checkin_services.revoke_device(device=api.device_y, now=timezone.now())
    for header in (f"Device {api.device_y_token}", "Device made-up-token", "Device", "Device a b"):
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=header)
        response = client.get("/api/checkin/device/")
        assert_refused(response, 401, world, "anonymous", header)


# --- session sign-in: CSRF on writes; drafts stay out of the public API ------------------


SESSION_WRITES = [
    row
    for row in ROWS
    if row.method != "GET" and (row.expect["company_a"] < 300 or row.expect["organiser_a"] < 300)
]


@pytest.mark.django_db
@pytest.mark.parametrize("row", SESSION_WRITES, ids=[row.key for row in SESSION_WRITES])
def test_a_session_write_without_csrf_token_is_refused(world, api, row):  # noqa: F811
    """A signed-in browser's cookie alone must not write (cross-site request forgery);
    routes without any sign-in (register, secret links, pairing) do not read the cookie."""
    role = "company_a" if row.expect["company_a"] < 300 else "organiser_a"
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(world.users[role])
    before = fingerprint(world, api)
    response = send(client, row, world, api, role)
    cookieless = row.path.startswith(("/api/tickets/", "/api/checkin/pair/", "/api/auth/"))
    if cookieless:
        assert response.status_code == row.expect[role], response.content[:300]
    else:
        assert response.status_code == 403, response.content[:300]
        assert "CSRF" in response.json()["detail"]
        assert fingerprint(world, api) == before


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_draft_events_of_a_stay_out_of_the_public_api(world, api, role):  # noqa: F811
    """The world's draft of A, and a draft fair of A with a hall and a linked job offer."""
    from events_platform.models import Event
    from tests.fairs.factories import FairFactory, HallFactory, StandFactory

    o = world.objects
    fair = FairFactory(
        event__organisation=o["org_a"],
        event__series=o["series_a"],
        event__status=Event.Status.DRAFT,
        event__slug="alpha-entwurfsmesse",
        event__title_de="Geheime Entwurfsmesse Alpha",
    )
    hall = HallFactory(fair=fair)
    stand = StandFactory(hall=hall)
    o["job_a"].events.add(fair.event, o["draft_a"])
    client = api.clients[role]
    draft = o["draft_a"].slug
    for url in (
        f"/api/events/{draft}/",
        f"/api/fairs/events/{draft}/job-offers/",
        "/api/events/alpha-entwurfsmesse/",
        f"/api/fairs/halls/{hall.pk}/stands/",
        "/api/fairs/events/alpha-entwurfsmesse/plan/",
        "/api/fairs/events/alpha-entwurfsmesse/job-offers/",
    ):
        assert client.get(url).status_code == 404, url
    for slug in (draft, "alpha-entwurfsmesse"):
        registered = client.post(
            f"/api/tickets/events/{slug}/register/",
            registration_input(world, api, role),
            format="json",
        )
        assert registered.status_code == 404
    booked = client.post(
        "/api/fairs/bookings/",
        {"stands": [stand.pk], "day_contact_name": "T", "day_contact_phone": "1"},
        format="json",
    )
    assert booked.status_code == (409 if role in COMPANIES else 403), booked.content
    assert "Entwurf" not in booked.content.decode()
    for url in (
        "/api/events/",
        f"/api/series/{world.slugs['series_a']}/",
        "/api/venues/",
        f"/api/fairs/series/{world.slugs['series_a']}/job-offers/",
    ):
        text = client.get(url).content.decode()
        assert "Geheime Entwurfsmesse Alpha" not in text, url
        assert o["draft_a"].title_de not in text and draft not in text, url


GET_ROWS = [row for row in ROWS if row.method == "GET"]


@pytest.mark.django_db
@pytest.mark.parametrize("row", GET_ROWS, ids=[row.key for row in GET_ROWS])
def test_a_signed_in_browser_session_gets_what_the_token_gets(world, api, row):  # noqa: F811
    """The same reads with the session cookie of the site's sign-in instead of a token."""
    for role in USERS:
        response = send(world.clients[role], row, world, api, role)
        text = response.content.decode("utf-8", "replace")
        assert response.status_code == row.expect[role], f"{row.key} as {role}: {text[:300]}"
        assert not leaked(text, world, role, row), f"{row.key} as {role}: {text[:300]}"
        if response.status_code < 300 and row.check:
            row.check(world, api, role, response)


ID_ROWS = [row for row in ROWS if re.search(r"\{(id|event_id)\}", row.path)]


@pytest.mark.django_db
@pytest.mark.parametrize("row", ID_ROWS, ids=[row.key for row in ID_ROWS])
def test_a_refused_id_of_a_answers_like_an_id_that_does_not_exist(world, api, row):  # noqa: F811
    """No existence oracle: whoever may not reach A's object cannot tell it exists."""
    missing = Row(
        row.method,
        row.path,
        row.expect,
        # Only the ids change (a year stays a year: it is not an object whose existence
        # could leak, and a ten-digit one does not match the figures' four-digit year).
        params=lambda w, a, role: {
            key: 2_000_000_000 if key in ("id", "event_id") else value
            for key, value in row.params(w, a, role).items()
        },
        body=row.body,
        query=row.query,
    )
    for role in ROLES:
        if row.expect[role] < 300:
            continue
        answers = [send(api.clients[role], r, world, api, role) for r in (row, missing)]
        statuses = [answer.status_code for answer in answers]
        assert statuses[0] == statuses[1], f"{row.key} as {role}: {statuses}"
        assert answers[0].content == answers[1].content, f"{row.key} as {role}"
