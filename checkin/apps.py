from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CheckinConfig(AppConfig):
    """Check-in at the door: the second half of ticketing, with its own models and migrations."""

    name = "checkin"
    label = "checkin"
    verbose_name = _("Check-in")

    def ready(self) -> None:
        from events_platform.extensions import organiser_menu, personal_data, start_pages

        from . import privacy

        start_pages.register("door-staff", door_staff_start_page, order=40)
        organiser_menu.register("checkin", nav_items, order=50)
        personal_data.register(self.label, privacy)
        from events_platform.extensions import edition_copiers

        from . import editions

        edition_copiers.register("checkin", editions.copy_edition, order=50)


def nav_items(request) -> list[tuple[str, str]]:
    """Organisers reach the check-in and the live door view of their events from the menu."""
    from django.urls import reverse

    from events_platform import access

    if request.user.is_authenticated and access.is_organiser(request.user):
        return [(_("Check-in and live view"), reverse("checkin:home"))]
    return []


def door_staff_start_page(user) -> str | None:
    """Check-in staff start at the list of events they let people in for."""
    from django.urls import reverse

    from events_platform.models import Membership

    is_door_staff = Membership.objects.filter(
        user=user, role=Membership.Role.CHECKIN_STAFF
    ).exists()
    return reverse("checkin:home") if is_door_staff else None
