from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsPlatformConfig(AppConfig):
    name = "events_platform"
    verbose_name = _("Events")
