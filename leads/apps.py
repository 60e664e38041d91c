from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LeadsConfig(AppConfig):
    """Contacts at the stand: stand staff scan a visitor's ticket; the visitor's details reach
    the company only with the visitor's consent.
    """

    name = "leads"
    verbose_name = _("Stand contacts")
