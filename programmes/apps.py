from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgrammesConfig(AppConfig):
    """Programmes such as mentoring for international skilled workers: a page, company sign-
    ups, mentors and mentees, pairs, the programme's events.
    """

    name = "programmes"
    verbose_name = _("Programmes")

    def ready(self) -> None:
        from events_platform.extensions import organiser_menu, personal_data

        # The provider of a person's data copy and erasure registers itself on import.
        from . import privacy, subject_data  # noqa: F401
        from .views import organiser_menu_items

        organiser_menu.register("programmes", organiser_menu_items, order=60)
        personal_data.register(self.label, privacy)
