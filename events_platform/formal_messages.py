"""Formal German for messages Django and Django REST framework share.

Both catalogues translate these msgids; DRF's German uses the informal "du" ("Gib eine gültige
E-Mail Adresse an.") and, being loaded later, wins on every HTML form too. This app comes
first in INSTALLED_APPS, so the formal wording in its catalogue wins over both. The list only
exists so that makemessages keeps these msgids in the catalogue.
"""

from django.utils.translation import gettext_noop

MESSAGES = [
    # Django's "Dieses Feld ist zwingend erforderlich." reads like an order.
    gettext_noop("This field is required."),
    gettext_noop("Enter a valid email address."),
    gettext_noop("Enter a valid URL."),
    gettext_noop(
        "Upload a valid image. The file you uploaded was either not an image or a corrupted image."
    ),
]
