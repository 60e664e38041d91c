"""The funders' report PDF, read back with pypdf, against the hand count of the fixture."""

import io
import re

import pytest
from django.urls import reverse
from pypdf import PdfReader

from figures import tables
from figures.models import EditionReport
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def organiser(client, hand_counted_edition):
    membership = MembershipFactory(organisation=hand_counted_edition.series.organisation)
    client.force_login(membership.user)
    return membership


def urls(edition):
    kwargs = {"pk": edition.series.pk, "year": edition.year}
    return reverse("figures:report-edit", kwargs=kwargs), reverse("figures:report", kwargs=kwargs)


def test_the_report_names_the_funders_and_holds_the_hand_count(
    client, organiser, hand_counted_edition
):
    edition = hand_counted_edition
    edit, download = urls(edition)
    response = client.post(
        edit,
        {
            "funders": "Freistaat Sachsen\nEuropäischer Sozialfonds Plus",
            "text": "Der Tag war gut besucht.",
        },
    )
    assert response.status_code == 302
    response = client.get(download, HTTP_ACCEPT_LANGUAGE="de")
    assert response["Content-Type"] == "application/pdf"
    pages = PdfReader(io.BytesIO(response.content)).pages
    title_page = pages[0].extract_text()
    assert "Fachkräfteallianz Nordsachsen" in title_page
    assert "Freistaat Sachsen" in title_page
    assert "Europäischer Sozialfonds Plus" in title_page
    text = "\n".join(page.extract_text() for page in pages[1:])
    flat = re.sub(r"\s+", " ", text)
    hand = edition.hand_count["edition"]
    for name, label in tables.KEY_FIGURES:
        assert f"{label} {hand[name]}" in flat, name
    # The per-site table: Torgau's row with its registered, checked in, walk-ins, visitors.
    torgau = edition.hand_count["torgau"]
    row = " ".join(str(torgau[column]) for column in tables.SITE_COLUMNS)
    assert f"Torgau {row}" in flat
    assert "Der Tag war gut besucht." in flat
    # Contacts per company and site (Torgau, Oschatz, total) and visitors per postcode area.
    assert "Agrarhof Mockrehna 2 1 3" in flat and "Pflegedienst Torgau 1 0 1" in flat
    assert "An den Ständen wurden 4 Kontakte geknüpft. 2 Unternehmen haben Kontakte" in flat
    assert "01 0 1 1" in flat and "04 4 2 6" in flat and "nicht angegeben 24 1 25" in flat
    assert "32 Personen kamen: 26 mit Anmeldung und 6 ohne." in flat


def test_a_text_too_long_is_refused_and_kept(client, organiser, hand_counted_edition):
    edit, _download = urls(hand_counted_edition)
    long_text = "Sehr gut. " * 500
    response = client.post(edit, {"funders": "Freistaat Sachsen", "text": long_text})
    assert response.status_code == 400
    html = response.content.decode()
    assert "data-error-summary" in html
    assert "Freistaat Sachsen" in html
    assert not EditionReport.objects.exists()


def test_another_organisation_cannot_read_or_write_the_report(client, hand_counted_edition):
    client.force_login(MembershipFactory().user)
    edit, download = urls(hand_counted_edition)
    assert client.get(download).status_code == 404
    assert client.post(edit, {"funders": "X", "text": "Y"}).status_code == 404
    assert not EditionReport.objects.exists()
