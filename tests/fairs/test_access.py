"""A company sees only its own rows; an organiser only its own events' bookings (HTML)."""

import pytest
from django.urls import reverse

from fairs import services
from fairs.models import StandBooking
from tests.factories import MembershipFactory, UserFactory

from .factories import (
    CompanyFactory,
    CompanyMemberFactory,
    CompanyVerificationFactory,
    JobOfferFactory,
    StandBookingFactory,
    WaitlistEntryFactory,
)

pytestmark = pytest.mark.django_db


def test_company_pages_answer_404_for_another_companys_rows(client):
    mine, theirs = CompanyMemberFactory(), CompanyMemberFactory()
    booking = StandBookingFactory(company=theirs.company, status="approved")
    offer = JobOfferFactory(company=theirs.company)
    entry = WaitlistEntryFactory(company=theirs.company)
    from django.utils import timezone

    staff_pass = services.issue_staff_pass(booking=booking, name="Eva", now=timezone.now())
    client.force_login(mine.user)
    for name, pk in [
        ("fairs:booking-detail", booking.pk),
        ("fairs:booking-pdf", booking.pk),
        ("fairs:booking-ics", booking.pk),
        ("fairs:staff-pass-qr", staff_pass.pk),
        ("fairs:job-offer-edit", offer.pk),
        ("fairs:offer-respond", entry.pk),
    ]:
        assert client.get(reverse(name, args=[pk])).status_code == 404, name
    for name, pk in [
        ("fairs:booking-withdraw", booking.pk),
        ("fairs:staff-pass-create", booking.pk),
        ("fairs:staff-pass-revoke", staff_pass.pk),
        ("fairs:job-offer-delete", offer.pk),
        ("fairs:company-member-remove", theirs.pk),
    ]:
        assert client.post(reverse(name, args=[pk])).status_code == 404, name
    booking.refresh_from_db()
    assert booking.status == StandBooking.Status.APPROVED
    dashboard = client.get(reverse("fairs:company-home")).content.decode()
    assert theirs.company.name not in dashboard


def test_company_pages_need_a_company_and_a_login(client):
    assert client.get(reverse("fairs:company-home")).status_code == 302
    client.force_login(UserFactory())
    response = client.get(reverse("fairs:company-home"))
    assert response.status_code == 302
    assert response["Location"].endswith(reverse("fairs:company-signup"))


def test_organiser_pages_are_scoped_to_own_events(client):
    booking = StandBookingFactory(company=CompanyFactory(name="Eigene Messe GmbH"))
    other = StandBookingFactory(company=CompanyFactory(name="Fremde Messe GmbH"))
    organiser = MembershipFactory(organisation=booking.fair.event.organisation).user
    organiser.is_staff = True
    organiser.save()
    client.force_login(organiser)
    own = client.get(reverse("fairs:organiser-fair", args=[booking.fair.event.slug]))
    assert own.status_code == 200
    assert "Eigene Messe GmbH" in own.content.decode()
    assert (
        client.get(reverse("fairs:organiser-fair", args=[other.fair.event.slug])).status_code == 404
    )
    response = client.post(
        reverse("fairs:organiser-decide", args=[other.pk]), {"action": "approve"}
    )
    assert response.status_code == 404
    other.refresh_from_db()
    assert other.status == StandBooking.Status.REQUESTED
    client.post(reverse("fairs:organiser-decide", args=[booking.pk]), {"action": "approve"})
    booking.refresh_from_db()
    assert booking.status == StandBooking.Status.APPROVED
    # the back office lists only bookings of the organiser's events
    admin_list = client.get(reverse("admin:fairs_standbooking_changelist")).content.decode()
    assert "Eigene Messe GmbH" in admin_list
    assert "Fremde Messe GmbH" not in admin_list


def test_a_company_user_is_not_an_organiser(client):
    member = CompanyMemberFactory()
    booking = StandBookingFactory(company=member.company)
    client.force_login(member.user)
    assert client.get(reverse("fairs:organiser-fairs")).status_code == 404
    assert (
        client.post(
            reverse("fairs:organiser-decide", args=[booking.pk]), {"action": "approve"}
        ).status_code
        == 404
    )


def test_organiser_sees_only_companies_with_dealings_with_their_events():
    from fairs.access import organiser_companies

    own = StandBookingFactory(company=CompanyFactory(name="Eigene GmbH"))
    organisation = own.fair.event.organisation
    StandBookingFactory(company=CompanyFactory(name="Fremde GmbH"))
    WaitlistEntryFactory(company=CompanyFactory(name="Wartende GmbH"), fair=own.fair)
    JobOfferFactory(company=CompanyFactory(name="Stellen GmbH")).events.add(own.fair.event)
    CompanyVerificationFactory(
        company=CompanyFactory(name="Geprüfte GmbH"), organisation=organisation
    )
    # Awaiting verification, but without dealings with this organisation: not seen.
    CompanyFactory(name="Neue GmbH")
    CompanyFactory(name="Unbestätigte GmbH", email_confirmed_at=None)
    organiser = MembershipFactory(organisation=organisation).user
    names = set(organiser_companies(organiser).values_list("name", flat=True))
    assert names == {"Eigene GmbH", "Wartende GmbH", "Stellen GmbH", "Geprüfte GmbH"}
    assert not organiser_companies(CompanyMemberFactory().user).exists()
