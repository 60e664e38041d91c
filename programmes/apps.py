from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgrammesConfig(AppConfig):
    """Programmes such as mentoring for international skilled workers: a page, company sign-
    ups, mentors and mentees, pairs, the programme's events.
    """

    name = "programmes"
    verbose_name = _("Programmes")

    def ready(self) -> None:
        from events_platform.extensions import (
            company_links,
            event_panels,
            organiser_menu,
            personal_data,
        )
        from surveys.extensions import results_panels

        # The provider of a person's data copy and erasure registers itself on import.
        from . import privacy, subject_data  # noqa: F401
        from .views import (
            company_link_items,
            event_panel,
            organiser_menu_items,
            survey_results_panel,
        )

        organiser_menu.register("programmes", organiser_menu_items, order=60)
        company_links.register("programmes", company_link_items, order=60)
        # An event of a programme names it on its page.
        event_panels.register("programmes", event_panel, order=20)
        # The survey's results link to the programme built from them.
        results_panels.register("programmes", survey_results_panel, order=10)
        personal_data.register(self.label, privacy)
