"""Organiser actions in the back office land in the organisation's audit log, which only
that organisation's administrators can read."""

import re
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import translation

from events_platform import audit
from events_platform.models import AuditEntry, DataRequest, Event, Membership
from tests.factories import EventFactory, MembershipFactory, OrganisationFactory, VenueFactory


@pytest.fixture
def org_admin():
    return MembershipFactory(user__is_staff=True).user


@pytest.mark.django_db
def test_admin_change_is_audited(client, org_admin):
    organisation = org_admin.memberships.get().organisation
    venue = VenueFactory(organisation=organisation, name="Rathaus")
    client.force_login(org_admin)
    response = client.post(
        reverse("admin:events_platform_venue_change", args=[venue.pk]),
        {"organisation": organisation.pk, "name": "Rathaus Torgau", "town": "Torgau"},
    )
    assert response.status_code == 302
    entry = AuditEntry.objects.get(action="admin_changed")
    assert entry.actor == org_admin
    assert entry.organisation == organisation
    assert entry.target_repr == "Rathaus Torgau"


@pytest.mark.django_db
def test_publish_action_is_audited(client, org_admin):
    organisation = org_admin.memberships.get().organisation
    event = EventFactory(organisation=organisation, status=Event.Status.DRAFT)
    client.force_login(org_admin)
    client.post(
        reverse("admin:events_platform_event_changelist"),
        {"action": "publish", "_selected_action": [event.pk]},
    )
    event.refresh_from_db()
    assert event.status == Event.Status.PUBLISHED
    assert AuditEntry.objects.filter(action="event_published", target_id=str(event.pk)).count() == 1


@pytest.mark.django_db
def test_audit_log_is_for_the_organisations_admins_only(client, org_admin):
    organisation = org_admin.memberships.get().organisation
    other = OrganisationFactory()
    AuditEntry.objects.create(organisation=organisation, action="exported", target_repr="Liste A")
    AuditEntry.objects.create(organisation=other, action="exported", target_repr="Liste B")
    client.force_login(org_admin)
    page = client.get(reverse("admin:events_platform_auditentry_changelist"))
    assert "Liste A" in page.text
    assert "Liste B" not in page.text

    staff = MembershipFactory(
        organisation=organisation, role=Membership.Role.ORGANISER_STAFF, user__is_staff=True
    ).user
    client.force_login(staff)
    assert client.get(reverse("admin:events_platform_auditentry_changelist")).status_code == 403


@pytest.mark.django_db
def test_a_web_address_without_scheme_is_taken_as_https_in_the_admin(admin_client):
    organisation = OrganisationFactory(name="Fachkräfteallianz Nordsachsen")
    response = admin_client.post(
        reverse("admin:events_platform_organisation_change", args=[organisation.pk]),
        {
            "name": organisation.name,
            "slug": organisation.slug,
            "website": "fachkraefte-nordsachsen.de",
            "visitor_data_retention_days": 30,
            "exhibitor_contacts_retention_months": 6,
        },
    )
    assert response.status_code == 302
    organisation.refresh_from_db()
    assert organisation.website == "https://fachkraefte-nordsachsen.de"


# --- every action code has its words --------------------------------------------------------

ROOT = Path(__file__).resolve().parents[2]
# `action="booking_approved"`, `action="a" if … else "b"`, `_audit(request, obj, "admin_added"`
# and `_save_stand(…, action="stand_add")`: every string literal written as an action.
ACTION_LITERAL = re.compile(r'action="([a-z_]+)"(?: if [^\n]* else "([a-z_]+)")?')
ADMIN_AUDIT = re.compile(r'_audit\(request, obj, "([a-z_]+)"')


def written_action_codes() -> set[str]:
    codes: set[str] = set()
    for path in ROOT.glob("*/**/*.py"):
        if any(part in {".venv", "tests", "migrations", "node_modules"} for part in path.parts):
            continue
        text = path.read_text(encoding="utf-8")
        if "record_action" not in text and "_save_stand" not in text and "_audit(" not in text:
            continue
        for match in ACTION_LITERAL.finditer(text):
            codes.update(code for code in match.groups() if code)
        codes.update(ADMIN_AUDIT.findall(text))
    # dataprotection writes f"data_{kind}" for each kind of data request.
    codes.update(f"data_{kind}" for kind in DataRequest.Kind.values)
    return codes


def test_every_action_written_has_its_words_in_both_languages():
    codes = written_action_codes()
    assert {"booking_approved", "stand_add", "admin_added", "data_erasure"} <= codes
    missing = sorted(codes - set(audit.ACTION_LABELS))
    assert missing == [], f"action codes without words in events_platform/audit.py: {missing}"
    for code in codes:
        with translation.override("de"):
            german = audit.action_label(code)
        with translation.override("en"):
            english = audit.action_label(code)
        assert german != english, f"{code}: no German words ({german!r})"
        assert "_" not in german and "_" not in english


def test_the_check_finds_an_action_without_words():
    """The scan itself: a new code in a service is found, and an unknown code reads as it is."""
    sample = 'audit.record_action(actor=by, organisation=o, action="made_up_thing", target=s)'
    assert ACTION_LITERAL.findall(sample) == [("made_up_thing", "")]
    assert audit.action_label("made_up_thing") == "made_up_thing"


@pytest.mark.django_db
def test_the_audit_log_shows_words_and_finds_them_in_german(client, org_admin):
    organisation = org_admin.memberships.get().organisation
    Membership.objects.filter(user=org_admin).update(role=Membership.Role.ORGANISER_ADMIN)
    AuditEntry.objects.create(
        organisation=organisation, actor=org_admin, action="booking_approved", target_repr="A1"
    )
    AuditEntry.objects.create(
        organisation=organisation, actor=org_admin, action="event_published", target_repr="B"
    )
    client.force_login(org_admin)
    response = client.get(reverse("workspace:audit-log"), {"q": "Standbuchung"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Standbuchung bestätigt" in html
    assert "booking_approved" not in html
    assert "Veranstaltung veröffentlicht" not in html
