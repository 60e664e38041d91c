from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def nav_items(request) -> list[tuple[str, str]]:
    """The organiser's link to messages and announcements in the main navigation."""
    from django.urls import reverse

    from events_platform import access

    if request.user.is_authenticated and access.is_organiser(request.user):
        return [(_("Messages"), reverse("notifications:message-list"))]
    return []


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Messages")

    def ready(self) -> None:
        from events_platform.extensions import nav_links

        from . import receivers

        receivers.connect()
        nav_links.register("notifications", nav_items, order=40)
