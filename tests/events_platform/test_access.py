"""Tenancy: an organiser reaches only its own organisation's rows, in code and in the admin."""

import pytest
from django.urls import reverse

from events_platform import access
from events_platform.models import Membership
from tests.factories import EventFactory, MembershipFactory, OrganisationFactory, UserFactory


@pytest.fixture
def two_tenants():
    org_a, org_b = OrganisationFactory(), OrganisationFactory()
    organiser_a = MembershipFactory(organisation=org_a, user__is_staff=True).user
    organiser_b = MembershipFactory(organisation=org_b, user__is_staff=True).user
    checkin_a = MembershipFactory(
        organisation=org_a, role=Membership.Role.CHECKIN_STAFF, user__is_staff=True
    ).user
    event_a = EventFactory(organisation=org_a, title_de="Messe A")
    event_b = EventFactory(organisation=org_b, title_de="Messe B")
    return {
        "organiser_a": organiser_a,
        "organiser_b": organiser_b,
        "checkin_a": checkin_a,
        "event_a": event_a,
        "event_b": event_b,
    }


@pytest.mark.django_db
def test_organiser_events_are_scoped(two_tenants):
    t = two_tenants
    assert list(access.organiser_events(t["organiser_a"])) == [t["event_a"]]
    assert list(access.organiser_events(t["organiser_b"])) == [t["event_b"]]
    assert list(access.organiser_events(t["checkin_a"])) == []


@pytest.mark.django_db
def test_platform_admin_sees_everything(two_tenants):
    admin = UserFactory(is_superuser=True, is_staff=True)
    assert set(access.organiser_events(admin)) == {two_tenants["event_a"], two_tenants["event_b"]}


@pytest.mark.django_db
def test_admin_lists_only_own_events(client, two_tenants):
    client.force_login(two_tenants["organiser_a"])
    response = client.get(reverse("admin:events_platform_event_changelist"))
    assert response.status_code == 200
    assert "Messe A" in response.text
    assert "Messe B" not in response.text


@pytest.mark.django_db
def test_admin_hides_other_tenants_event(client, two_tenants):
    client.force_login(two_tenants["organiser_a"])
    url = reverse("admin:events_platform_event_change", args=[two_tenants["event_b"].pk])
    response = client.get(url)
    # Django's admin redirects to the index with a "does not exist" message: no data leaks.
    assert response.status_code == 302
    assert "Messe B" not in client.get(response.url).text


@pytest.mark.django_db
def test_checkin_staff_has_no_back_office(client, two_tenants):
    client.force_login(two_tenants["checkin_a"])
    response = client.get(reverse("admin:events_platform_event_changelist"))
    assert response.status_code == 403


@pytest.mark.django_db
def test_admin_offers_only_own_venues(client, two_tenants):
    client.force_login(two_tenants["organiser_a"])
    response = client.get(reverse("admin:events_platform_event_add"))
    assert response.status_code == 200
    assert str(two_tenants["event_a"].venue) in response.text
    assert str(two_tenants["event_b"].venue) not in response.text


@pytest.mark.django_db
def test_membership_is_added_by_email_without_user_list(client, two_tenants):
    client.force_login(two_tenants["organiser_a"])
    org_a = two_tenants["event_a"].organisation
    response = client.post(
        reverse("admin:events_platform_membership_add"),
        {"email": "neu@example.org", "organisation": org_a.pk, "role": "organiser_staff"},
    )
    assert response.status_code == 302
    membership = Membership.objects.get(user__email="neu@example.org")
    assert membership.organisation == org_a
    assert membership.role == Membership.Role.ORGANISER_STAFF
