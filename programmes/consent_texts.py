"""The wording of the consent a mentor or mentee gives, as the company's form shows it and
the record keeps it (with its version and language), so what was agreed to can be shown
later even after the wording changes. Every form, page and record takes its text from here.
"""

from django.utils import translation
from django.utils.translation import gettext_lazy as _

VERSION = "2026-12"

TEXT = _(
    "The person named here agrees that the organiser stores their name, job, languages and "
    "e-mail address for this programme, pairs them with a mentor or mentee and passes their "
    "name and e-mail address to that person. They may withdraw this consent at any time; "
    "their details are then erased."
)


def text_in(language: str) -> str:
    """The consent text in `language`, as the record keeps it."""
    with translation.override(language):
        return str(TEXT)
