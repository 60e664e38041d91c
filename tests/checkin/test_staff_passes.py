"""Exhibitors' staff passes go through the same door, on the same lists."""

import uuid

import pytest
from django.utils import timezone

from checkin import queries, services
from checkin.services import Code
from fairs.models import StandBooking
from fairs.services.passes import issue_staff_pass, revoke_staff_pass
from tests.fairs.factories import FairFactory, HallFactory, StandBookingFactory, StandFactory

from .factories import DoorEventFactory, make_ticket, pair

pytestmark = pytest.mark.django_db


def staff_pass_for(event, name):
    fair = FairFactory(event=event)
    stand = StandFactory(hall=HallFactory(fair=fair))
    booking = StandBookingFactory(
        stand=stand, fair=fair, status=StandBooking.Status.APPROVED, company__name="Agrar GmbH"
    )
    return issue_staff_pass(booking=booking, name=name, now=timezone.now())


def redeem(device, secret):
    return services.redeem_ticket(
        device=device, secret=secret, nonce=uuid.uuid4().hex, now=timezone.now()
    )


def test_staff_pass_is_let_in_once_and_counted_apart_from_visitors():
    event = DoorEventFactory()
    make_ticket(event, 1)
    staff = staff_pass_for(event, "Tom Bauer")
    device, _token = pair(event)

    first, second = redeem(device, staff.secret), redeem(device, staff.secret)

    assert first.code == Code.OK and first.name == "Tom Bauer"
    assert "Agrar GmbH" in first.ticket_type
    assert second.code == Code.ALREADY_CHECKED_IN
    figures = queries.counters(services.ensure_checkin_lists(event=event)[0])
    assert (figures.staff_inside, figures.checked_in, figures.registered) == (1, 0, 1)
    rows = queries.offline_list(services.ensure_checkin_lists(event=event)[0])
    assert any(row["kind"] == 2 and row["name"] == "Tom Bauer" for row in rows)


def test_revoked_staff_pass_is_refused():
    event = DoorEventFactory()
    staff = staff_pass_for(event, "Tom Bauer")
    revoke_staff_pass(staff_pass=staff, now=timezone.now())
    device, _token = pair(event)

    assert redeem(device, staff.secret).code == Code.CANCELLED
