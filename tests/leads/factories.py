"""A fair on today with a confirmed stand booking, a staff pass and a paired stand phone."""

from django.utils import timezone

from fairs.models import StandBooking
from fairs.services.passes import issue_staff_pass
from leads import services
from tests.checkin.factories import DoorEventFactory, make_ticket
from tests.fairs.factories import FairFactory, HallFactory, StandBookingFactory, StandFactory

__all__ = ["DoorEventFactory", "make_ticket", "stand", "paired_stand"]


def stand(event=None, company_name="Agrar GmbH", fair=None):
    """A confirmed stand booking at `event` (a site event on today) and a staff pass."""
    event = event or DoorEventFactory()
    fair = fair or FairFactory(event=event)
    booking = StandBookingFactory(
        stand=StandFactory(hall=HallFactory(fair=fair)),
        fair=fair,
        status=StandBooking.Status.APPROVED,
        company__name=company_name,
    )
    staff_pass = issue_staff_pass(booking=booking, name="Tom Bauer", now=timezone.now())
    return booking, staff_pass


def paired_stand(event=None, company_name="Agrar GmbH", fair=None):
    """(booking, device, device token) of a phone paired from a staff pass."""
    booking, staff_pass = stand(event, company_name, fair)
    device, token = services.pair_stand_device(
        staff_pass_code=staff_pass.secret, now=timezone.now()
    )
    return booking, device, token
