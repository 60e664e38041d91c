from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def company_start_page(user) -> str | None:
    """A company's people start in their company area."""
    from django.urls import reverse

    from .access import membership_for

    return reverse("fairs:company-home") if membership_for(user) is not None else None


class FairsConfig(AppConfig):
    name = "fairs"
    verbose_name = _("Exhibitors")

    def ready(self) -> None:
        from events_platform.extensions import (
            event_panels,
            nav_links,
            organiser_menu,
            personal_data,
            series_panels,
            start_pages,
        )

        # The provider of a person's data copy and erasure registers itself on import.
        from . import lifecycle, privacy, subject_data  # noqa: F401
        from .views.public import event_panel, nav_items, organiser_menu_items, series_panel

        event_panels.register("fairs", event_panel, order=30)
        series_panels.register("fairs", series_panel, order=30)
        nav_links.register("fairs", nav_items, order=20)
        organiser_menu.register("fairs", organiser_menu_items, order=30)
        start_pages.register("company", company_start_page, order=30)
        lifecycle.connect()
        personal_data.register(self.label, privacy)
        from events_platform.extensions import edition_copiers

        from . import editions

        edition_copiers.register("fairs", editions.copy_edition, order=30)
