from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FairsConfig(AppConfig):
    name = "fairs"
    verbose_name = _("Exhibitors")

    def ready(self) -> None:
        from events_platform.extensions import event_panels, nav_links, series_panels

        from .views.public import event_panel, nav_items, series_panel

        event_panels.register("fairs", event_panel, order=30)
        series_panels.register("fairs", series_panel, order=30)
        nav_links.register("fairs", nav_items, order=20)
