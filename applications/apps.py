from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApplicationsConfig(AppConfig):
    """Applications from visitors to job offers on the job wall, answered by the company in its
    area.
    """

    name = "applications"
    verbose_name = _("Applications")
