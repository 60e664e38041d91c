from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def footer_items(request) -> list[tuple[str, str]]:
    """The privacy notice and the page where people ask for their data, in every footer."""
    from django.urls import reverse

    return [
        (_("Privacy notice"), reverse("dataprotection:privacy-notice")),
        (_("Your data"), reverse("dataprotection:data-request")),
    ]


class DataProtectionConfig(AppConfig):
    """The privacy registry (each app's privacy.py) and data-subject requests (copy, erasure).

    The requests' table stays in the core's models (label `events_platform`), so that moving the
    code needed no migration."""

    name = "dataprotection"
    verbose_name = _("Data protection")

    def ready(self) -> None:
        from events_platform.extensions import footer_links

        # Registered at start, so subject_requests can queue it by name (no import cycle).
        from . import tasks  # noqa: F401

        footer_links.register("dataprotection", footer_items, order=10)
