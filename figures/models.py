"""What the figures keep of a registration when retention erases its personal data."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from ticketing.models import Registration


class RegistrationFact(models.Model):
    """The age group and the school of a registration, kept when retention erases its
    birth date and school (figures/receivers.py), so that "young people by age group and
    by school" stay the same afterwards. No name, no date of birth, no grade."""

    registration = models.OneToOneField(
        Registration,
        verbose_name=_("registration"),
        on_delete=models.CASCADE,
        related_name="figures_fact",
    )
    age_group = models.CharField(_("age group"), max_length=16, blank=True)
    school = models.CharField(_("school"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("kept registration fact")
        verbose_name_plural = _("kept registration facts")

    def __str__(self) -> str:
        return f"{self.registration_id}: {self.age_group} {self.school}"
