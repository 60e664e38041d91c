"""Job offers and apprenticeship places of a company, shown at the events where it exhibits."""

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from events_platform.models import Event
from infra.errors import InvalidInput

from ..errors import ErrorCode
from ..models import Company, JobOffer, StandBooking

OFFER_FIELDS = {
    "title",
    "kind",
    "field_of_work",
    "place_of_work",
    "starts_immediately",
    "start_date",
    "start_note",
    "contact",
    "url",
    "description",
}


def exhibiting_events(company: Company):
    """Events where the company holds an active stand booking."""
    return Event.objects.filter(
        fair__bookings__company=company, fair__bookings__status__in=StandBooking.ACTIVE
    ).distinct()


def _check_events(company: Company, events: list[Event]) -> None:
    allowed = set(exhibiting_events(company).values_list("pk", flat=True))
    if any(event.pk not in allowed for event in events):
        raise InvalidInput(
            _("Offers can only be shown at events where your company has a stand."),
            ErrorCode.NOT_EXHIBITING,
        )


@transaction.atomic
def create_job_offer(*, company: Company, data: dict, events: list[Event]) -> JobOffer:
    """Create a job offer and show it at `events`. Raises InvalidInput `not_exhibiting`."""
    _check_events(company, events)
    offer = JobOffer(company=company, **{k: v for k, v in data.items() if k in OFFER_FIELDS})
    offer.full_clean(exclude=["company"])
    offer.save()
    offer.events.set(events)
    return offer


@transaction.atomic
def update_job_offer(*, offer: JobOffer, data: dict, events: list[Event] | None) -> JobOffer:
    """Change a job offer (and where it is shown). Raises InvalidInput `not_exhibiting`."""
    offer = JobOffer.objects.select_for_update().get(pk=offer.pk)
    for name, value in data.items():
        if name in OFFER_FIELDS:
            setattr(offer, name, value)
    offer.full_clean(exclude=["company"])
    offer.save()
    if events is not None:
        _check_events(offer.company, events)
        offer.events.set(events)
    return offer


@transaction.atomic
def delete_job_offer(*, offer: JobOffer) -> None:
    """Delete a job offer."""
    offer.delete()
