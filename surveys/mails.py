"""The survey's two mails, in the recipient's language, written to the outbox.

One invitation per address and survey, one reminder: the outbox's dedup key
(purpose, address, invitation) makes a second write a no-op, and the invitation's flags
say what was written.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from events_platform import when
from notifications.models import Purpose
from notifications.outbox import write_message
from notifications.rendering import absolute_url, compose, greeting

from .models import Invitation


def answer_url(invitation: Invitation) -> str:
    return absolute_url("surveys:answer", token=invitation.token)


def _context(invitation: Invitation, *, reminder: bool) -> dict:
    survey = invitation.survey
    company = invitation.company
    paragraphs = []
    if reminder:
        paragraphs.append(
            _(
                "We have not yet received your answers. The survey is still open; "
                "we would be glad to hear from you."
            )
        )
    else:
        paragraphs.append(
            _("%(organisation)s asks companies about their needs, so that its offers fit them.")
            % {"organisation": survey.organisation.name}
        )
    if survey.intro:
        paragraphs.append(survey.intro)
    paragraphs.append(
        _(
            "It takes about %(minutes)s minutes. Your answers are saved after each page; "
            "the link brings you back to where you left off."
        )
        % {"minutes": survey.minutes}
    )
    if survey.anonymous:
        paragraphs.append(
            _(
                "The survey is anonymous: your answers are stored without your name "
                "or your company's."
            )
        )
    else:
        paragraphs.append(
            _("The survey is not anonymous: the organiser sees which company gave which answers.")
        )
    facts = [(_("Survey"), survey.title)]
    if company is not None:
        facts.append((_("Company"), company.name))
    if survey.closes_at:
        facts.append((_("Open until"), when.moment(survey.closes_at)))
    return {
        "greeting": greeting(company.contact_name if company else ""),
        "paragraphs": paragraphs,
        "facts": facts,
        "qr_secret": "",
        "qr_cid": "",
        "action_label": _("Answer the survey"),
        "action_url": answer_url(invitation),
        "sender_name": survey.organisation.name,
    }


def _write(invitation: Invitation, *, purpose: str, subject: str, reminder: bool, now=None):
    survey = invitation.survey
    language = invitation.language if invitation.language in ("de", "en") else "de"

    def title() -> str:
        from django.utils import translation

        with translation.override(language):
            return survey.title

    rendered = compose(
        language=language,
        subject=subject,
        subject_params={"survey": title()},
        build=lambda: _context(invitation, reminder=reminder),
    )
    message, _created = write_message(
        purpose=purpose,
        to_email=invitation.email,
        language=language,
        rendered=rendered,
        related=invitation,
        organisation=survey.organisation,
        now=now,
    )
    return message


def invitation_mail(invitation: Invitation, *, now=None):
    """The invitation to answer (written in the caller's transaction)."""
    return _write(
        invitation,
        purpose=Purpose.SURVEY_INVITATION,
        subject=gettext_noop("Survey: %(survey)s"),
        reminder=False,
        now=now,
    )


def reminder_mail(invitation: Invitation, *, now=None):
    """The one reminder to an address that has not answered."""
    return _write(
        invitation,
        purpose=Purpose.SURVEY_REMINDER,
        subject=gettext_noop("Reminder: %(survey)s"),
        reminder=True,
        now=now,
    )
