from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def company_links(request) -> list[tuple[str, str]]:
    """The company's link to its stand contacts (in its company area)."""
    from django.urls import reverse

    return [(str(_("Stand contacts")), reverse("leads:company-contacts"))]


def organiser_links(request) -> list[tuple[str, str]]:
    from django.urls import reverse

    from events_platform import access as core_access

    if not (request.user.is_authenticated and core_access.is_organiser(request.user)):
        return []
    return [(str(_("Stand contacts")), reverse("leads:organiser-fairs"))]


class LeadsConfig(AppConfig):
    """Contacts at the stand: stand staff scan a visitor's ticket; the visitor's details reach
    the company only with the visitor's consent.
    """

    name = "leads"
    verbose_name = _("Stand contacts")

    def ready(self) -> None:
        from events_platform import audit, extensions
        from events_platform.extensions import (
            booking_panels,
            organiser_menu,
            personal_data,
            ticket_panels,
        )

        # The provider of a person's data copy and erasure registers itself on import.
        from . import privacy, subject_data  # noqa: F401
        from .views import booking_panel, ticket_panel

        personal_data.register(self.label, privacy)
        ticket_panels.register("leads", ticket_panel, order=30)
        booking_panels.register("leads", booking_panel, order=30)
        extensions.company_links.register("leads", company_links, order=40)
        organiser_menu.register("leads", organiser_links, order=45)
        audit.register_action_labels(
            {
                "stand_device_paired": _("Stand scanner paired"),
                "stand_contacts_exported": _("Stand contacts downloaded"),
            }
        )
