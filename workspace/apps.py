from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkspaceConfig(AppConfig):
    """The organiser's own workspace: the start page, events and series per kind, next
    year's edition, the stand-plan editor. It sits on top of every other app and reads
    them through their services and queries; nothing imports it."""

    name = "workspace"
    verbose_name = _("Organiser workspace")

    def ready(self) -> None:
        from events_platform.extensions import organiser_menu, start_pages

        from .views import home

        # Before ticketing's registrations overview (order 20): organisers land here.
        start_pages.register("workspace", home.start_page, order=15)
        organiser_menu.register("workspace", home.menu_items, order=10)
        organiser_menu.register("workspace-admin", home.admin_menu_items, order=90)
