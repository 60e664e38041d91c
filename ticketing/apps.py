from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TicketingConfig(AppConfig):
    name = "ticketing"
    verbose_name = _("Registrations and tickets")

    def ready(self) -> None:
        from events_platform.extensions import event_panels

        from .views.visitor import render_registration_panel

        event_panels.register("ticketing", render_registration_panel, order=10)
