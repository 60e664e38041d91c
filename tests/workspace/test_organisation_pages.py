"""The audit log and the organisation's settings in the workspace: only the organisation's
administrators, newest first, searchable, scoped to their organisations; the settings saved
through the audited service, invalid input shown again with its errors."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from events_platform import audit
from events_platform.models import AuditEntry, Membership, Organisation
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


def _admin(organisation=None, role=Membership.Role.ORGANISER_ADMIN):
    membership = MembershipFactory(
        organisation=organisation or OrganisationFactory(name="Landkreis Nordsachsen"),
        user=UserFactory(first_name="Ada", last_name="Beispiel"),
        role=role,
    )
    client = Client()
    client.force_login(membership.user)
    return membership.organisation, membership.user, client


def _entry(organisation, action, target_repr, minutes_ago=0, actor=None):
    entry = audit.record_action(actor=actor, organisation=organisation, action=action)
    AuditEntry.objects.filter(pk=entry.pk).update(
        target_repr=target_repr, created_at=timezone.now() - timedelta(minutes=minutes_ago)
    )
    return entry


def test_the_audit_log_lists_the_organisations_entries_newest_first():
    organisation, user, client = _admin()
    _entry(organisation, "event_published", "Rückkehrertag Torgau", minutes_ago=30, actor=user)
    _entry(organisation, "series_changed", "Rückkehrertag 2026", minutes_ago=5, actor=user)
    _entry(OrganisationFactory(), "event_published", "Fremde Messe Beta")
    html = client.get(reverse("workspace:audit-log")).text
    assert "2 Einträge" in html
    assert html.index("Rückkehrertag 2026") < html.index("Rückkehrertag Torgau")
    assert "Ada Beispiel" in html
    assert "Fremde Messe Beta" not in html


def test_the_audit_log_is_searched_and_paginated():
    organisation, _user, client = _admin()
    for number in range(55):
        _entry(organisation, "stand_changed", f"Stand {number:02d}", minutes_ago=number)
    _entry(organisation, "event_cancelled", "Ausbildungsmesse Eilenburg", minutes_ago=100)
    first = client.get(reverse("workspace:audit-log")).text
    assert "56 Einträge" in first
    assert "Stand 00" in first and "Stand 49" in first and "Stand 50" not in first
    second = client.get(reverse("workspace:audit-log"), {"page": 2}).text
    assert "Stand 50" in second and "Ausbildungsmesse Eilenburg" in second
    found = client.get(reverse("workspace:audit-log"), {"q": "eilenburg"}).text
    assert "1 Eintrag" in found and "Ausbildungsmesse Eilenburg" in found
    assert "Stand 00" not in found
    by_action = client.get(reverse("workspace:audit-log"), {"q": "cancelled"}).text
    assert "Ausbildungsmesse Eilenburg" in by_action and "Stand 01" not in by_action


def test_an_admin_of_two_organisations_filters_by_organisation():
    organisation, user, client = _admin()
    second = OrganisationFactory(name="Agentur Mitte")
    MembershipFactory(organisation=second, user=user)
    _entry(organisation, "event_published", "Messe Nord")
    _entry(second, "event_published", "Messe Mitte")
    html = client.get(reverse("workspace:audit-log")).text
    assert "Messe Nord" in html and "Messe Mitte" in html
    filtered = client.get(reverse("workspace:audit-log"), {"organisation": second.pk}).text
    assert "Messe Mitte" in filtered and "Messe Nord" not in filtered


def test_staff_without_the_admin_role_find_neither_page():
    organisation, _user, client = _admin(role=Membership.Role.ORGANISER_STAFF)
    assert client.get(reverse("workspace:audit-log")).status_code == 404
    url = reverse("workspace:organisation-settings", args=[organisation.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"name": "Gekapert"}).status_code == 404
    organisation.refresh_from_db()
    assert organisation.name == "Landkreis Nordsachsen"


def test_another_organisations_settings_are_not_found():
    _organisation, _user, client = _admin()
    other = OrganisationFactory(name="Landkreis Beta")
    url = reverse("workspace:organisation-settings", args=[other.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"name": "Gekapert"}).status_code == 404
    assert Organisation.objects.get(pk=other.pk).name == "Landkreis Beta"


def test_the_settings_are_saved_and_audited():
    organisation, user, client = _admin()
    url = reverse("workspace:organisation-settings", args=[organisation.pk])
    assert 'value="Landkreis Nordsachsen"' in client.get(url).text
    response = client.post(
        url,
        {
            "name": "Landkreis Nordsachsen Wirtschaftsförderung",
            "district": "Nordsachsen",
            "website": "landkreis-nordsachsen.de",
            "contact_email": "wirtschaft@lra-nordsachsen.example",
            "visitor_data_retention_days": "60",
            "exhibitor_contacts_retention_months": "9",
        },
        follow=True,
    )
    assert "Die Einstellungen der Organisation wurden gespeichert." in response.text
    organisation.refresh_from_db()
    assert organisation.name == "Landkreis Nordsachsen Wirtschaftsförderung"
    assert organisation.website == "https://landkreis-nordsachsen.de"
    assert organisation.visitor_data_retention_days == 60
    assert organisation.exhibitor_contacts_retention_months == 9
    entry = AuditEntry.objects.get(action="organisation_changed")
    assert entry.actor == user and entry.organisation == organisation
    assert entry.details["changed"]["visitor_data_retention_days"] == [30, 60]
    assert (
        "Landkreis Nordsachsen Wirtschaftsförderung"
        in client.get(reverse("workspace:audit-log")).text
    )


def test_invalid_settings_are_shown_with_their_errors_and_nothing_is_lost():
    organisation, _user, client = _admin()
    url = reverse("workspace:organisation-settings", args=[organisation.pk])
    response = client.post(
        url,
        {
            "name": "",
            "district": "Nordsachsen",
            "website": "",
            "contact_email": "kein-mail",
            "visitor_data_retention_days": "0",
        },
    )
    assert response.status_code == 400
    html = response.text
    assert "Bitte prüfen Sie Ihre Angaben" in html
    assert 'href="#id_name"' in html and 'href="#id_contact_email"' in html
    assert 'href="#id_visitor_data_retention_days"' in html
    assert 'value="kein-mail"' in html and 'value="Nordsachsen"' in html
    organisation.refresh_from_db()
    assert organisation.name == "Landkreis Nordsachsen" and organisation.district == ""
    assert not AuditEntry.objects.filter(action="organisation_changed").exists()
