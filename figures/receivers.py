"""Keeps the facts the figures need before retention erases them (see models.py).

Retention (ticketing.services.erase_expired_visitor_data and the subject requests) blanks a
registration's birth date, school and postcode and saves it; just before that save the age
group, the school and the postcode area are written to a RegistrationFact. Ticketing knows
nothing of this: the receiver listens to the model's own pre_save signal.
"""

import re

from django.db.models.signals import pre_save
from django.dispatch import receiver

from ticketing.models import Registration

from .ages import age_group
from .models import RegistrationFact


@receiver(pre_save, sender=Registration, dispatch_uid="figures_keep_facts")
def keep_facts(sender, instance: Registration, raw: bool = False, **kwargs) -> None:
    if raw or instance.pk is None:
        return
    if (
        instance.name
        or instance.email
        or instance.birth_date is not None
        or instance.school
        or instance.postcode
    ):
        return  # not being erased
    before = (
        Registration.objects.filter(pk=instance.pk)
        .values("birth_date", "school", "postcode", "event__starts_at")
        .first()
    )
    area = postcode_area(before["postcode"]) if before else ""
    if not before or (before["birth_date"] is None and not before["school"] and not area):
        return
    group = age_group(before["birth_date"], before["event__starts_at"])
    RegistrationFact.objects.update_or_create(
        registration_id=instance.pk,
        defaults={
            "age_group": group if before["birth_date"] else "",
            "school": before["school"],
            "postcode_area": area,
        },
    )


def postcode_area(postcode: str | None) -> str:
    """The first two digits of a German postcode, "" for anything else."""
    postcode = (postcode or "").strip()
    return postcode[:2] if re.fullmatch(r"\d{5}", postcode) else ""
