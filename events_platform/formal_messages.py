"""Formal German for messages Django and Django REST framework share.

Both catalogues translate these msgids; DRF's German uses the informal "du" ("Gib eine gültige
E-Mail Adresse an.") and, being loaded later, wins on every HTML form too. This app comes
first in INSTALLED_APPS, so the formal wording in its catalogue wins over both. The list only
exists so that makemessages keeps these msgids in the catalogue.
"""

from django import forms
from django.utils.translation import gettext_lazy, gettext_noop

MESSAGES = [
    # Django's "Dieses Feld ist zwingend erforderlich." reads like an order.
    gettext_noop("This field is required."),
    gettext_noop("Enter a valid email address."),
    gettext_noop("Enter a valid URL."),
    gettext_noop(
        "Upload a valid image. The file you uploaded was either not an image or a corrupted image."
    ),
]


# A choice left empty is not a field to "fill in": "Bitte wählen Sie …" (radio buttons, check
# boxes, drop-down lists), and a box to tick is ticked. Set on the fields' classes once
# (events_platform.apps), so every form has it; a field with a message of its own keeps it.
CHOICE_REQUIRED = {
    forms.BooleanField: gettext_lazy("Please tick this box."),
    forms.ChoiceField: gettext_lazy("Please choose one of the options."),
    forms.MultipleChoiceField: gettext_lazy("Please choose at least one option."),
    forms.ModelMultipleChoiceField: gettext_lazy("Please choose at least one option."),
}


def ask_to_choose() -> None:
    for field_class, message in CHOICE_REQUIRED.items():
        field_class.default_error_messages = {
            **field_class.default_error_messages,
            "required": message,
        }
