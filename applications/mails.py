"""The four messages of an application, each one outbox row written in the sender's
transaction (notifications sends it after commit), in the recipient's language.

The company's mail never carries the PDFs nor the applicant's message: only that an
application arrived and a button to the company area, where its people sign in.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from notifications.models import Message, Purpose
from notifications.outbox import write_message
from notifications.rendering import (
    absolute_url,
    compose,
    greeting,
    language_of,
    sender_name,
)


def applicant_url(application) -> str:
    """The applicant's secret link to their application."""
    return absolute_url("applications:mine", token=application.token)


def _facts(application) -> list[tuple[str, str]]:
    offer = application.job_offer
    return [
        (_("Job offer"), offer.title),
        (_("Company"), application.company.name),
        (_("Event"), application.event.title),
    ]


def _write(*, purpose, to_email, language, subject, params, build, application, detail=""):
    rendered = compose(language=language, subject=subject, subject_params=params, build=build)
    message, _created = write_message(
        purpose=purpose,
        to_email=to_email,
        language=language,
        rendered=rendered,
        related=application,
        event=application.event,
        detail=detail,
    )
    return message


def _notice(*, name: str, paragraphs: list[str], facts, sender: str, action=("", "")) -> dict:
    label, url = action
    return {
        "greeting": greeting(name),
        "paragraphs": paragraphs,
        "facts": facts,
        "qr_secret": "",
        "qr_cid": "",
        "action_label": label,
        "action_url": url,
        "sender_name": sender,
    }


def application_sent(*, application) -> Message:
    """The applicant's receipt with the secret link to the application."""

    def build() -> dict:
        return _notice(
            name=application.name,
            paragraphs=[
                _("Thank you. Your application has been passed to %(company)s.")
                % {"company": application.company.name},
                _(
                    "The link below shows your application and the company's answers. There "
                    "you can also withdraw it; the company's copy is then deleted."
                ),
                _("Please keep this e-mail. Anyone with the link can see your application."),
            ],
            facts=_facts(application),
            sender=sender_name(application.event),
            action=(_("See your application"), applicant_url(application)),
        )

    return _write(
        purpose=Purpose.APPLICATION_SENT,
        to_email=application.email,
        language=language_of(application),
        subject=gettext_noop("Your application: %(offer)s"),
        params={"offer": application.job_offer.title},
        build=build,
        application=application,
    )


def application_received(*, application) -> Message:
    """Tell the company that an application arrived (no attachment, no content)."""
    company = application.company

    def build() -> dict:
        return _notice(
            name=company.contact_name,
            paragraphs=[
                _("You have received an application for “%(offer)s”.")
                % {"offer": application.job_offer.title},
                _(
                    "For data protection this e-mail carries neither the documents nor the "
                    "message. Please read them in your company area."
                ),
            ],
            facts=_facts(application),
            sender=sender_name(application.event),
            action=(
                _("Open the application"),
                absolute_url("applications:company-detail", pk=application.pk),
            ),
        )

    return _write(
        purpose=Purpose.APPLICATION_RECEIVED,
        to_email=company.contact_email,
        language=language_of(company),
        subject=gettext_noop("New application: %(offer)s"),
        params={"offer": application.job_offer.title},
        build=build,
        application=application,
    )


def application_answered(*, application, answer) -> Message:
    """The company's answer to the applicant, with the link to their application."""

    def build() -> dict:
        status = application.Status(answer.status).label
        return _notice(
            name=application.name,
            paragraphs=[
                _("%(company)s has answered your application for “%(offer)s”.")
                % {"company": application.company.name, "offer": application.job_offer.title},
                _("Status: %(status)s") % {"status": status},
                *[line for line in answer.body.splitlines() if line.strip()],
            ],
            facts=_facts(application),
            sender=sender_name(application.event),
            action=(_("See your application"), applicant_url(application)),
        )

    return _write(
        purpose=Purpose.APPLICATION_ANSWERED,
        to_email=application.email,
        language=language_of(application),
        subject=gettext_noop("Answer to your application: %(offer)s"),
        params={"offer": application.job_offer.title},
        build=build,
        application=application,
        detail=f"answer:{answer.pk}",
    )


def application_withdrawn(*, application) -> Message:
    """Tell the company that an applicant withdrew (the name only, the rest is erased)."""
    company = application.company

    def build() -> dict:
        return _notice(
            name=company.contact_name,
            paragraphs=[
                _("%(name)s has withdrawn the application for “%(offer)s”.")
                % {"name": application.name, "offer": application.job_offer.title},
                _(
                    "The application and its documents have been deleted from the company "
                    "area. Please also delete any copies you downloaded or printed."
                ),
            ],
            facts=_facts(application),
            sender=sender_name(application.event),
        )

    return _write(
        purpose=Purpose.APPLICATION_WITHDRAWN,
        to_email=company.contact_email,
        language=language_of(company),
        subject=gettext_noop("Application withdrawn: %(offer)s"),
        params={"offer": application.job_offer.title},
        build=build,
        application=application,
    )
