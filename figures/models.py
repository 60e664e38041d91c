"""What the figures keep of a registration when retention erases its personal data."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from ticketing.models import Registration


class RegistrationFact(models.Model):
    """The age group, the school and the postcode area of a registration, kept when
    retention erases its birth date, school and postcode (figures/receivers.py), so that
    "young people by age group and by school" and "where visitors came from" stay the same
    afterwards. No name, no date of birth, no grade, no full postcode."""

    registration = models.OneToOneField(
        Registration,
        verbose_name=_("registration"),
        on_delete=models.CASCADE,
        related_name="figures_fact",
    )
    age_group = models.CharField(_("age group"), max_length=16, blank=True)
    school = models.CharField(_("school"), max_length=200, blank=True)
    #: The first two digits of the postcode the visitor gave (an area of some hundred
    #: thousand people), "" when none was given.
    postcode_area = models.CharField(_("postcode area"), max_length=2, blank=True)

    class Meta:
        verbose_name = _("kept registration fact")
        verbose_name_plural = _("kept registration facts")

    def __str__(self) -> str:
        return f"{self.registration_id}: {self.age_group} {self.school}"


class EditionReport(models.Model):
    """What the organiser writes for the funders' report of an edition (a series in one
    year): the funders to name on the title page and a short text. No personal data."""

    series = models.ForeignKey(
        "events_platform.EventSeries",
        verbose_name=_("series"),
        on_delete=models.CASCADE,
        related_name="edition_reports",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    funders = models.TextField(_("funders"), max_length=1000, blank=True)
    text = models.TextField(_("text for the funders"), max_length=4000, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("edition report")
        verbose_name_plural = _("edition reports")
        constraints = [
            models.UniqueConstraint(fields=["series", "year"], name="figures_report_edition")
        ]

    def __str__(self) -> str:
        return f"{self.series_id} {self.year}"

    def funder_names(self) -> list[str]:
        return [line.strip() for line in self.funders.splitlines() if line.strip()]
