from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkspaceConfig(AppConfig):
    """The organiser's own workspace: the start page, events and series per kind, next
    year's edition, the stand-plan editor. It sits on top of every other app and reads
    them through their services and queries; nothing imports it."""

    name = "workspace"
    verbose_name = _("Organiser workspace")
