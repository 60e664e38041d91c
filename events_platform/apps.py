from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def admin_start_page(user) -> str | None:
    """Platform administrators start in the admin."""
    from django.urls import reverse

    return reverse("admin:index") if user.is_superuser else None


class EventsPlatformConfig(AppConfig):
    name = "events_platform"
    verbose_name = _("Events")

    def ready(self) -> None:
        from django.urls import register_converter

        from infra.input_limits import TokenConverter

        from . import formal_messages, privacy
        from .extensions import personal_data, start_pages

        formal_messages.ask_to_choose()
        # `<token:…>` in the routes of secret links (before any URLconf is loaded).
        register_converter(TokenConverter, "token")

        start_pages.register("admin", admin_start_page, order=10)
        personal_data.register(self.label, privacy)
