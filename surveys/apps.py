from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    """Needs surveys of companies: built by an organiser, answered anonymously or by name,
    results with small groups suppressed.
    """

    name = "surveys"
    verbose_name = _("Surveys")
