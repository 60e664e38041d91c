"""The wording of the consent a visitor gives at a stand, and of its withdrawal, as the
visitor saw it (ticketing's ConsentRecord keeps the text, its version and the time)."""

from django.utils import translation
from django.utils.translation import gettext as _

VERSION = "stand-2026-1"


def share_with_company(company, language: str) -> tuple[str, str]:
    """The consent to share one's contact with one company, in `language`, and its version."""
    with translation.override(language):
        text = _(
            "I share my name, my e-mail address and my answers to the registration questions "
            "with %(company)s. The company may contact me about jobs and training. I can "
            "withdraw this at any time on my ticket page or on “Your data”."
        ) % {"company": company.name}
    return text, VERSION


def withdraw_from_company(company, language: str) -> tuple[str, str]:
    """The withdrawal of that consent, in `language`, and its version."""
    with translation.override(language):
        text = _("I withdraw my contact from %(company)s. The company's copy is erased.") % {
            "company": company.name
        }
    return text, VERSION


def share_button(company) -> str:
    """The button on the stand page and the ticket page."""
    return _("Share my contact with %(company)s") % {"company": company.name}
