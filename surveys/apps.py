from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    """Needs surveys of companies: built by an organiser, answered anonymously or by name,
    results with small groups suppressed.
    """

    name = "surveys"
    verbose_name = _("Surveys")

    def ready(self) -> None:
        from events_platform import audit
        from events_platform.extensions import organiser_menu, personal_data

        from . import privacy, subject_data  # noqa: F401 - registers its provider

        personal_data.register(self.label, privacy)
        organiser_menu.register("surveys", menu_items, order=60)
        audit.register_action_labels(
            {
                "survey_created": _("Survey created"),
                "survey_changed": _("Survey changed"),
                "survey_scheduled": _("Survey set to open at its start"),
                "survey_opened": _("Survey opened"),
                "survey_closed": _("Survey closed"),
                "survey_invited": _("Survey invitations written"),
                "survey_reminded": _("Survey reminders written"),
            }
        )


def menu_items(request) -> list[tuple[str, str]]:
    """Organisers reach their surveys from the organiser's menu."""
    from django.urls import reverse

    from events_platform import access

    if request.user.is_authenticated and access.is_organiser(request.user):
        return [(_("Surveys"), reverse("surveys:list"))]
    return []
