from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FiguresConfig(AppConfig):
    """The figures for funders: every count defined once (figures/definitions.py). It sits
    above ticketing, check-in and fairs and reads them through their models; nothing below
    imports it."""

    name = "figures"
    verbose_name = _("Figures")

    def ready(self) -> None:
        from events_platform.extensions import personal_data

        from . import privacy, receivers  # noqa: F401  (receivers keep what retention erases)

        personal_data.register(self.label, privacy)

        from events_platform.extensions import organiser_menu

        from .views import menu_items

        organiser_menu.register("figures", menu_items, order=60)
