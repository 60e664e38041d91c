"""Organiser actions in the back office land in the organisation's audit log, which only
that organisation's administrators can read."""

import pytest
from django.urls import reverse

from events_platform.models import AuditEntry, Event, Membership
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
        },
    )
    assert response.status_code == 302
    organisation.refresh_from_db()
    assert organisation.website == "https://fachkraefte-nordsachsen.de"
