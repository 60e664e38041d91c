from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgrammesConfig(AppConfig):
    """Programmes such as mentoring for international skilled workers: a page, company sign-
    ups, mentors and mentees, pairs, the programme's events.
    """

    name = "programmes"
    verbose_name = _("Programmes")
