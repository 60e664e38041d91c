from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApplicationsConfig(AppConfig):
    """Applications from visitors to job offers on the job wall, answered by the company in its
    area.
    """

    name = "applications"
    verbose_name = _("Applications")

    def ready(self) -> None:
        from events_platform.extensions import (
            company_links,
            job_offer_actions,
            organiser_menu,
            personal_data,
        )

        # The provider of a person's data copy and erasure registers itself on import.
        from . import privacy, subject_data  # noqa: F401
        from .views import company_links as company_link_items
        from .views import offer_action, organiser_menu_items

        job_offer_actions.register("applications", offer_action, order=50)
        company_links.register("applications", company_link_items, order=50)
        organiser_menu.register("applications", organiser_menu_items, order=35)
        personal_data.register(self.label, privacy)
