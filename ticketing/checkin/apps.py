from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CheckinConfig(AppConfig):
    """Check-in at the door: the second half of ticketing, with its own models and migrations."""

    name = "ticketing.checkin"
    label = "checkin"
    verbose_name = _("Check-in")
