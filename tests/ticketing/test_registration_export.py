"""The registration export is built once (ticketing/exports.py): the organiser's page and the
API hand out the same rows for the same filter, and each download is audited once."""

import csv
import io

import openpyxl
import pytest
from django.utils import timezone

from events_platform.models import AuditEntry
from tests.factories import EventFactory, MembershipFactory
from ticketing import services

from .factories import QuestionFactory, person

pytestmark = pytest.mark.django_db

API = "/api/tickets/organiser/events/{pk}/registrations/export/"
PAGE = "/tickets/organiser/{pk}/export.{fmt}"


def _csv_rows(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))


def _xlsx_rows(response):
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def test_the_page_and_the_api_export_the_same_rows(client):
    event = EventFactory(capacity=10)
    question = QuestionFactory(event=event, label_de="Anreise")
    for n in (1, 2, 3):
        services.register(
            event=event, data=person(n, answers={str(question.pk): f"Bus {n}"}), now=timezone.now()
        )
    cancelled = services.register(event=event, data=person(4), now=timezone.now())
    services.cancel_registration(registration=cancelled, now=timezone.now())
    client.force_login(MembershipFactory(organisation=event.organisation).user)

    everyone = _csv_rows(client.get(PAGE.format(pk=event.pk, fmt="csv")))
    assert _csv_rows(client.get(API.format(pk=event.pk))) == everyone
    assert everyone[0][2] == "Name" and everyone[0][-1] == "Anreise"
    assert sorted(row[2] for row in everyone[1:]) == [f"Besucherin {n}" for n in (1, 2, 3, 4)]
    assert {row[-1] for row in everyone[1:]} == {"Bus 1", "Bus 2", "Bus 3", ""}

    confirmed = _csv_rows(client.get(PAGE.format(pk=event.pk, fmt="csv") + "?status=confirmed"))
    assert _csv_rows(client.get(API.format(pk=event.pk) + "?status=confirmed")) == confirmed
    assert sorted(row[2] for row in confirmed[1:]) == [f"Besucherin {n}" for n in (1, 2, 3)]

    sheet = _xlsx_rows(client.get(PAGE.format(pk=event.pk, fmt="xlsx") + "?query=Besucherin 2"))
    api_sheet = _xlsx_rows(
        client.get(API.format(pk=event.pk) + "?file_format=xlsx&query=Besucherin 2")
    )
    assert api_sheet == sheet
    assert [row[2] for row in sheet[1:]] == ["Besucherin 2"]

    page = client.get(PAGE.format(pk=event.pk, fmt="xlsx"))
    api = client.get(API.format(pk=event.pk) + "?file_format=xlsx")
    assert page["Content-Disposition"] == api["Content-Disposition"]
    assert page["Content-Disposition"] == f'attachment; filename="anmeldungen-{event.slug}.xlsx"'
    audited = AuditEntry.objects.filter(action="registrations_exported", target_id=str(event.pk))
    assert audited.count() == 8
