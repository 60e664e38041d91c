"""Company verification is per organisation, and an organiser sees a company only once it has
dealings with one of their events: organisation B neither sees nor can verify a company that
only dealt with organisation A, on the pages, in the API or in the back office."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from events_platform.models import AuditEntry
from fairs import services
from fairs.models import CompanyVerification, StandBooking
from infra.errors import DomainError
from tests.factories import MembershipFactory

from .factories import (
    CompanyFactory,
    CompanyMemberFactory,
    CompanyVerificationFactory,
    StandBookingFactory,
    StandFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_tenants():
    """A company that asked for a stand at A's fair (unverified); an organiser of A and of B,
    B with a fair of its own and a company of its own there."""
    booking = StandBookingFactory(
        company=CompanyFactory(
            name="Gammawerk Handwerk GmbH",
            contact_email="personal@gammawerk.example",
            contact_phone="03421 333333",
        ),
        verified=False,
    )
    own_b = StandBookingFactory(company=CompanyFactory(name="Betawerk Pflege GmbH"))
    organiser_a = MembershipFactory(organisation=booking.fair.event.organisation).user
    organiser_b = MembershipFactory(organisation=own_b.fair.event.organisation).user
    for user in (organiser_a, organiser_b):
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    return booking, own_b, organiser_a, organiser_b


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _api(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


def test_organisation_b_neither_sees_nor_verifies_a_company_that_dealt_only_with_a(two_tenants):
    booking, own_b, _organiser_a, organiser_b = two_tenants
    company = booking.company
    secrets = [company.name, company.contact_email, company.contact_phone]
    html, api = _client(organiser_b), _api(organiser_b)

    # Pages: B's fair overview and bookings show nothing of it; verifying answers 404.
    for url in (
        reverse("fairs:organiser-fairs"),
        reverse("fairs:organiser-fair", args=[own_b.fair.event.slug]),
    ):
        body = html.get(url).content.decode()
        assert not [secret for secret in secrets if secret in body], url
    verify = reverse("fairs:organiser-verify", args=[company.pk])
    assert html.post(verify).status_code == 404
    assert html.post(verify, {"organisation": own_b.fair.event.organisation_id}).status_code == 404

    # API: not in B's company list; verifying answers 404.
    listed = api.get("/api/fairs/organiser/companies/").json()
    names = [row["name"] for row in listed.get("results", listed)]
    assert names == ["Betawerk Pflege GmbH"]
    assert api.post(f"/api/fairs/organiser/companies/{company.pk}/verify/").status_code == 404

    # Back office: not in the list, its page "does not exist", the bulk action does nothing.
    changelist = reverse("admin:fairs_company_changelist")
    body = html.get(changelist).content.decode()
    assert "Betawerk Pflege GmbH" in body
    assert not [secret for secret in secrets if secret in body]
    change = html.get(reverse("admin:fairs_company_change", args=[company.pk]))
    assert change.status_code == 302
    html.post(changelist, {"action": "verify", "_selected_action": [company.pk]})

    assert not CompanyVerification.objects.filter(company=company).exists()
    assert not AuditEntry.objects.filter(action="company_verified").exists()


def test_organiser_a_verifies_for_a_only_and_the_audit_log_says_so(two_tenants):
    booking, own_b, organiser_a, _organiser_b = two_tenants
    company, organisation_a = booking.company, booking.fair.event.organisation
    client = _client(organiser_a)
    page = reverse("fairs:organiser-fair", args=[booking.fair.event.slug])
    assert "Gammawerk Handwerk GmbH verifizieren" in client.get(page).content.decode()

    response = client.post(
        reverse("fairs:organiser-verify", args=[company.pk]),
        {"organisation": organisation_a.pk, "next": page},
    )
    assert response.status_code == 302
    assert "Gammawerk Handwerk GmbH verifizieren" not in client.get(page).content.decode()
    assert list(CompanyVerification.objects.filter(company=company).values_list(
        "organisation", flat=True
    )) == [organisation_a.pk]  # fmt: skip
    entry = AuditEntry.objects.get(action="company_verified")
    assert (entry.actor, entry.organisation, entry.target_repr) == (
        organiser_a,
        organisation_a,
        "Gammawerk Handwerk GmbH",
    )
    # Verifying twice writes no second entry.
    services.verify_company(
        company=company, organisation=organisation_a, by=organiser_a, now=timezone.now()
    )
    assert AuditEntry.objects.filter(action="company_verified").count() == 1

    # A's check does not count at B's events: a request there still waits for B's check.
    at_b = StandBookingFactory(
        company=company, stand=StandFactory(hall=own_b.stand.hall), verified=False
    )
    with pytest.raises(DomainError) as error:
        services.approve_booking(booking=at_b, by=organiser_a, now=timezone.now())
    assert error.value.code == "company_not_verified"
    services.approve_booking(booking=booking, by=organiser_a, now=timezone.now())
    booking.refresh_from_db()
    assert booking.status == StandBooking.Status.APPROVED


def test_verification_through_the_api_and_the_back_office(two_tenants):
    booking, _own_b, organiser_a, _organiser_b = two_tenants
    company, organisation_a = booking.company, booking.fair.event.organisation
    api = _api(organiser_a)
    listed = api.get("/api/fairs/organiser/companies/").json()
    [row] = [r for r in listed.get("results", listed) if r["id"] == company.pk]
    assert (row["contact_email"], row["verified"]) == ("personal@gammawerk.example", False)
    answer = api.post(f"/api/fairs/organiser/companies/{company.pk}/verify/", {}, format="json")
    assert answer.status_code == 200 and answer.json()["verified"] is True
    assert AuditEntry.objects.get(action="company_verified").organisation == organisation_a

    other = StandBookingFactory(
        company=CompanyFactory(name="Deltawerk Logistik GmbH"),
        stand=StandFactory(hall=booking.stand.hall),
        verified=False,
    )
    client = _client(organiser_a)
    changelist = reverse("admin:fairs_company_changelist")
    client.post(changelist, {"action": "verify", "_selected_action": [other.company.pk]})
    assert CompanyVerification.objects.filter(
        company=other.company, organisation=organisation_a, verified_by=organiser_a
    ).exists()
    assert AuditEntry.objects.filter(action="company_verified").count() == 2


def test_the_company_sees_which_organisations_have_checked_it(two_tenants):
    booking, own_b, _organiser_a, _organiser_b = two_tenants
    member = CompanyMemberFactory(company=booking.company)
    client = _client(member.user)
    notice = "Der Veranstalter prüft neue Firmen."
    assert notice in client.get(reverse("fairs:company-home")).content.decode()
    CompanyVerificationFactory(
        company=booking.company, organisation=booking.fair.event.organisation
    )
    assert notice not in client.get(reverse("fairs:company-home")).content.decode()
    profile = _api(member.user).get("/api/fairs/company/").json()
    assert profile["verified_by"] == [booking.fair.event.organisation.name]
