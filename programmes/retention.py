"""How long programmes keep the people in them: PROGRAMMES_RETENTION_MONTHS after a
programme's last day its mentors and mentees (and their pairs) are erased and the contacts of
its sign-ups emptied; the counts (companies, employees to onboard) stay for the figures."""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .models import Participant, Signup

ERASED_CONTACT = "erased@invalid.example"


def cutoff(now: datetime):
    """Programmes whose last day is before this day are past the retention period."""
    return timezone.localdate(now) - timedelta(days=31 * settings.PROGRAMMES_RETENTION_MONTHS)


@transaction.atomic
def erase_expired(*, now: datetime) -> int:
    """Erase the people of programmes past the period; returns how many rows changed."""
    last_day = cutoff(now)
    people = Participant.objects.filter(signup__programme__ends_on__lt=last_day)
    erased = people.count()
    people.delete()
    erased += (
        Signup.objects.filter(programme__ends_on__lt=last_day)
        .exclude(contact_email=ERASED_CONTACT)
        .update(
            contact_name="",
            contact_email=ERASED_CONTACT,
            contact_phone="",
            signed_up_by=None,
        )
    )
    return erased
