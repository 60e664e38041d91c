"""The audit log of organiser actions: booking decisions, exports, announcements and their
tests, scanner pairing and revocation, data requests. Each lands in the log of the event's
organisation, its administrators see it in the back office, other organisations do not."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from checkin import services as checkin
from dataprotection import subject_requests
from events_platform.models import AuditEntry, Membership
from fairs import services as fairs_services
from notifications import announcements
from tests.factories import EventFactory, MembershipFactory, OrganisationFactory
from tests.fairs.factories import HallFactory, StandBookingFactory
from tests.ticketing.factories import person
from ticketing import services as ticketing

pytestmark = pytest.mark.django_db


@pytest.fixture
def tenants():
    """Organisation A with an admin and a staff organiser, organisation B with its admin."""
    event = EventFactory(title_de="Ausbildungsmesse Torgau")
    admin_a = MembershipFactory(organisation=event.organisation).user
    staff_a = MembershipFactory(
        organisation=event.organisation, role=Membership.Role.ORGANISER_STAFF
    ).user
    admin_b = MembershipFactory(organisation=OrganisationFactory()).user
    for user in (admin_a, staff_a, admin_b):
        user.is_staff = True
        user.save()
    return event, admin_a, staff_a, admin_b


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _entry(action: str) -> AuditEntry:
    return AuditEntry.objects.get(action=action)


def _assert_visible_only_to_own_admins(entry: AuditEntry, admin_a, admin_b) -> None:
    url = reverse("admin:events_platform_auditentry_changelist")
    own = _client(admin_a).get(url, {"action": entry.action})
    assert own.status_code == 200
    assert entry.target_repr in own.content.decode()
    other = _client(admin_b).get(url, {"action": entry.action})
    assert other.status_code == 200
    assert entry.target_repr not in other.content.decode()
    assert _client(admin_b).get(
        reverse("admin:events_platform_auditentry_change", args=[entry.pk])
    ).status_code in (302, 404)


def test_booking_approval_and_rejection_are_logged(tenants):
    event, admin_a, _staff, admin_b = tenants
    hall = HallFactory(fair__event=event)
    approved = StandBookingFactory(stand__hall=hall)
    rejected = StandBookingFactory(stand__hall=hall)
    now = timezone.now()
    fairs_services.approve_booking(booking=approved, by=admin_a, now=now)
    fairs_services.reject_booking(booking=rejected, by=admin_a, reason="Kein Platz", now=now)
    entry = _entry("booking_approved")
    assert (entry.actor, entry.organisation, entry.target_id) == (
        admin_a,
        event.organisation,
        str(approved.pk),
    )
    assert _entry("booking_rejected").details == {"reason": "Kein Platz"}
    _assert_visible_only_to_own_admins(entry, admin_a, admin_b)


def test_registration_exports_are_logged_from_the_page_and_the_api(tenants):
    event, admin_a, staff_a, admin_b = tenants
    ticketing.register(event=event, data=person(1), now=timezone.now())
    page = _client(staff_a).get(
        reverse("ticketing:organiser-export", kwargs={"event_id": event.pk, "fmt": "csv"})
    )
    assert page.status_code == 200
    api = APIClient()
    api.force_authenticate(admin_a)
    response = api.get(
        reverse("tickets-api-organiser-export", kwargs={"event_id": event.pk}),
        {"file_format": "xlsx"},
    )
    assert response.status_code == 200
    exports = AuditEntry.objects.filter(action="registrations_exported").order_by("created_at")
    assert [e.details["format"] for e in exports] == ["csv", "xlsx"]
    first = exports.first()
    assert first.actor == staff_a and first.details["rows"] == 1
    _assert_visible_only_to_own_admins(first, admin_a, admin_b)
    # Another organisation's organiser cannot export (and nothing is logged for them).
    refused = _client(admin_b).get(
        reverse("ticketing:organiser-export", kwargs={"event_id": event.pk, "fmt": "csv"})
    )
    assert refused.status_code == 404


def test_attendance_export_is_logged(tenants):
    event, admin_a, _staff, admin_b = tenants
    response = _client(admin_a).get(reverse("checkin:attendance-csv", kwargs={"pk": event.pk}))
    assert response.status_code == 200
    entry = _entry("attendance_exported")
    assert entry.actor == admin_a and entry.organisation == event.organisation
    _assert_visible_only_to_own_admins(entry, admin_a, admin_b)


def test_announcement_test_and_send_are_logged(tenants):
    event, admin_a, _staff, admin_b = tenants
    announcement = announcements.create_announcement(
        organisation=event.organisation,
        by=admin_a,
        subject="Standaufbau ab 7 Uhr",
        body_markdown="Bitte pünktlich.",
        events=[event],
        audiences=["visitors"],
    )
    client = _client(admin_a)
    client.post(reverse("notifications:announcement-test", kwargs={"pk": announcement.pk}))
    client.post(reverse("notifications:announcement-send", kwargs={"pk": announcement.pk}))
    test_sent = _entry("announcement_test_sent")
    assert test_sent.actor == admin_a and test_sent.details["to"] == admin_a.email
    sent = _entry("announcement_sent")
    assert sent.actor == admin_a and sent.target_repr == "Standaufbau ab 7 Uhr"
    _assert_visible_only_to_own_admins(sent, admin_a, admin_b)


def test_device_pairing_and_revocation_are_logged(tenants):
    event, admin_a, _staff, admin_b = tenants
    token = checkin.pairing_token(event=event)
    response = APIClient().post("/api/checkin/pair/", {"token": token, "name": "Handy Eingang"})
    assert response.status_code == 201
    paired = _entry("device_paired")
    assert paired.organisation == event.organisation and paired.target_repr
    device = event.checkin_devices.get()
    _client(admin_a).post(
        reverse("checkin:device-revoke", kwargs={"pk": event.pk, "device_pk": device.pk})
    )
    revoked = _entry("device_revoked")
    assert revoked.actor == admin_a and revoked.target_id == str(device.pk)
    _assert_visible_only_to_own_admins(revoked, admin_a, admin_b)


def test_data_requests_are_logged_for_the_organisation(tenants):
    event, admin_a, _staff, admin_b = tenants
    ticketing.register(event=event, data=person(1, email="anna@example.org"), now=timezone.now())
    subject_requests.export_subject_data(
        email="anna@example.org",
        now=timezone.now(),
        by=admin_a,
        organisations=[event.organisation],
    )
    entry = _entry("data_export")
    assert entry.actor == admin_a and "anna@example.org" not in str(entry.details)
    _assert_visible_only_to_own_admins(entry, admin_a, admin_b)


def test_staff_organisers_do_not_see_the_audit_log(tenants):
    _event, _admin_a, staff_a, _admin_b = tenants
    url = reverse("admin:events_platform_auditentry_changelist")
    assert _client(staff_a).get(url).status_code == 403
