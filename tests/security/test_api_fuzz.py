"""Schemathesis fuzzes every operation of /api/schema/ for every role that holds credentials.

The schema is loaded from the Django app itself (WSGI, in-process, no network). Each
generated request is sent once per role (anonymous, company user token, organiser token,
check-in device token, platform admin token) and every answer must be no 5xx, carry a
status code the schema documents, and have a body and content type that match the schema.

Bounded and repeatable: a fixed number of generated examples per operation, sent as every
role, plus Schemathesis' boundary-value examples, each sent as one role in turn;
derandomized (the same inputs every run), no example database. Path parameters are drawn
partly from the ids and slugs of the shared world, so requests also reach existing rows.
Generation is positive and negative (data the schema forbids, NUL bytes included), and
`test_hostile_input_to_every_operation` sends each operation the probes of issue 17: NUL in
every query and path parameter, huge numbers, JSON nested far too deep.
"""

import zlib

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, settings
from rest_framework.authtoken.models import Token
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.generation.meta import TestPhase
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from config.wsgi import application
from tests.security.world import world  # noqa: F401  (the fixture)

# Generated examples per operation (plus Schemathesis' boundary-value examples); each is sent
# once per role. A few minutes for all operations on PostgreSQL.
MAX_EXAMPLES = 8
# Offline batches are cut to this many scans: each scan is a signature check, and the batch
# size cap itself is tested in test_rate_limits.py.
MAX_UPLOAD_SCANS = 5
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]

schema = schemathesis.openapi.from_wsgi("/api/schema/", application)
schema.config.generation.update(
    max_examples=MAX_EXAMPLES,
    # Valid inputs and inputs the schema forbids (wrong types, out of range, NUL bytes).
    modes=[GenerationMode.POSITIVE, GenerationMode.NEGATIVE],
    allow_x00=True,
    deterministic=True,
    database="none",
    # Credentials come from the roles below, not from generated Authorization headers.
    with_security_parameters=False,
)

# Values of path parameters that exist in the world, by parameter name (filled per module).
KNOWN_PATH_VALUES: dict[str, list] = {}


@schema.hook
def map_path_parameters(ctx, path_parameters):
    """Every other generated id/slug/token is swapped for one that exists in the world.

    The choice is derived from the generated value, so runs stay repeatable.
    """
    if not path_parameters:
        return path_parameters
    mapped = dict(path_parameters)
    for name, value in mapped.items():
        known = KNOWN_PATH_VALUES.get(name)
        pick = zlib.crc32(repr(value).encode())
        if known and pick % 2 == 0:
            mapped[name] = known[pick // 2 % len(known)]
    return mapped


@schema.hook
def map_body(ctx, body):
    """Keep generated offline batches small (see MAX_UPLOAD_SCANS)."""
    if ctx.operation.path == "/api/checkin/upload/" and isinstance(body, dict):
        scans = body.get("scans")
        if isinstance(scans, list):
            return {**body, "scans": scans[:MAX_UPLOAD_SCANS]}
    return body


@pytest.fixture
def keep_test_connection():
    """Requests go straight to the WSGI app: keep Django from closing the test's database
    connection at the end of each request (its test Client does the same)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture(scope="module")
def role_headers(world):  # noqa: F811
    """Authorization headers per role (DRF tokens; the scanner's device token)."""
    headers = {"anonymous": {}}
    for role in ("company_a", "organiser_a", "platform_admin"):
        token = Token.objects.get_or_create(user=world.users[role])[0]
        headers[role] = {"Authorization": f"Token {token.key}"}
    headers["checkin_device"] = {"Authorization": f"Device {world.tokens['device_a']}"}
    objects = world.objects
    KNOWN_PATH_VALUES.update(
        {
            "slug": [
                objects["event_x"].slug,
                objects["fair_a"].event.slug,
                objects["series_a"].slug,
            ],
            "id": [
                objects["booking_a"].pk,
                objects["booking_b"].pk,
                objects["job_a"].pk,
                objects["job_b"].pk,
                objects["hall_a"].pk,
            ],
            "event_id": [objects["event_x"].pk, objects["event_b"].pk],
            "token": [
                objects["registration_a"].manage_token,
                objects["registration_b"].manage_token,
            ],
        }
    )
    yield headers
    KNOWN_PATH_VALUES.clear()


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    derandomize=True,
    database=None,
    deadline=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
@pytest.mark.postgres
@pytest.mark.django_db
def test_every_operation_for_every_role(case, role_headers, keep_test_connection):
    roles = list(role_headers.items())
    if case.meta is not None and case.meta.phase.name == TestPhase.COVERAGE:
        # Schemathesis' boundary values (hundreds for a big form): each goes out once, as
        # the next role in turn, so every role meets them and the run stays short.
        turn = zlib.crc32(f"{case.operation.label}{case.meta.phase.data.description}".encode())
        roles = [roles[turn % len(roles)]]
    for role, headers in roles:
        response = case.call(headers=headers)
        try:
            case.validate_response(response, checks=CHECKS, headers=headers)
        except AssertionError as failure:
            raise AssertionError(f"as {role}: {failure}") from failure


NUL = "\x00"
HUGE = 9223372036854775808  # one past PostgreSQL's bigint
DEEP = 500  # far past any body of the API (input_limits.MAX_JSON_DEPTH)
# What hostile input must never break: no 5xx, a documented status, the documented type.
# (That the 200 bodies match the schema is the generated run's job above.)
HOSTILE_CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance]


def _deep(depth: int = DEEP) -> dict:
    body: dict = {"a": 1}
    for _ in range(depth):
        body = {"a": body}
    return body


def _hostile_cases(operation):
    """The operation with NUL, huge numbers and deep JSON in each place it takes input."""
    path_values = {p.name: "1" for p in operation.path_parameters}
    for value in (f"a{NUL}b", str(HUGE)):
        if path_values:
            yield operation.Case(path_parameters=dict.fromkeys(path_values, value))
    query = [p.name for p in operation.query]
    for value in (NUL, str(HUGE), "9999-12-31"):
        yield operation.Case(
            path_parameters=path_values, query=dict.fromkeys(query or ["q"], value)
        )
    if operation.body:
        names = set()
        for alternative in operation.body:
            names |= set((alternative.definition.get("schema") or {}).get("properties", {}))
        names = names or {"name"}
        for body in (_deep(), dict.fromkeys(names, HUGE), dict.fromkeys(names, NUL)):
            yield operation.Case(
                path_parameters=path_values, body=body, media_type="application/json"
            )


@pytest.mark.postgres
@pytest.mark.django_db
def test_hostile_input_to_every_operation(role_headers, keep_test_connection):
    """Every operation, anonymous and as an organiser: a documented 4xx, never a 500."""
    failures = []
    for result in schema.get_all_operations():
        operation = result.ok()
        for case in _hostile_cases(operation):
            for role in ("anonymous", "organiser_a"):
                headers = role_headers[role]
                response = case.call(headers=headers)
                try:
                    case.validate_response(response, checks=HOSTILE_CHECKS, headers=headers)
                except (AssertionError, FailureGroup) as failure:
                    failures.append(f"as {role}: {operation.label}: {failure}"[:600])
    assert not failures, f"{len(failures)} failures:\n" + "\n".join(failures[:30])
