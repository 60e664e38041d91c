from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DataProtectionConfig(AppConfig):
    """The privacy registry (each app's privacy.py) and data-subject requests (copy, erasure).

    The requests' table stays in the core's models (label `events_platform`), so that moving the
    code needed no migration."""

    name = "dataprotection"
    verbose_name = _("Data protection")

    def ready(self) -> None:
        # Registered at start, so subject_requests can queue it by name (no import cycle).
        from . import tasks  # noqa: F401
