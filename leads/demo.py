"""Demo data of the stand contacts: at the Rückkehrertag sites where the demo company
(Agrar Elbaue, login "firma") has a confirmed stand, a few visitors it met, named where the
visitor agreed to share their contact, a nameless count where not, and a note on one.

Idempotent: a contact is one per (stand booking, ticket), found before it is written.
"""

from datetime import datetime, timedelta

from events_platform.models import Event
from fairs.models import StandBooking
from ticketing.models import Ticket

from .models import Contact
from .services import interests_of

DEMO_COMPANY = "agrar-elbaue"
PER_SITE = 4


def load_demo(*, events_by_slug: dict, now: datetime) -> None:
    bookings = StandBooking.objects.filter(
        company__slug=DEMO_COMPANY,
        status=StandBooking.Status.APPROVED,
        fair__event__kind=Event.Kind.RETURNEE_DAY,
    ).select_related("fair__event", "company")
    for booking in bookings:
        event = booking.fair.event
        tickets = (
            Ticket.objects.filter(event=event, status=Ticket.Status.VALID)
            .select_related("registration")
            .order_by("pk")[:PER_SITE]
        )
        for index, ticket in enumerate(tickets):
            if Contact.objects.filter(booking=booking, ticket=ticket).exists():
                continue
            registration = ticket.registration
            shared = registration.share_contact_consent
            moment = event.starts_at + timedelta(minutes=25 * index + 10)
            Contact.objects.create(
                event=event,
                company=booking.company,
                booking=booking,
                registration=registration,
                ticket=ticket,
                shared=shared,
                name=registration.name if shared else "",
                email=registration.email if shared else "",
                interests=interests_of(registration) if shared else "",
                note="Interesse an Ausbildung Landwirt/in, Rückruf nach der Ernte"
                if shared and index == 0
                else "",
                rating=4 if shared and index == 0 else None,
                tags=["Ausbildung"] if shared and index == 0 else [],
                created_at=moment,
                updated_at=moment,
            )
