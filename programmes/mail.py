"""The programme's messages, each one outbox row written in the caller's transaction:
the confirmation of a company's sign-up and the organiser's message to the participants.
Texts are composed in the recipient's language (German or English)."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from notifications.models import Message, Purpose
from notifications.outbox import write_message
from notifications.rendering import LANGUAGES, absolute, compose, greeting, sender_name


def _context(*, name: str, paragraphs: list[str], facts: list, organisation, action=("", "")):
    label, url = action
    return {
        "greeting": greeting(name),
        "paragraphs": paragraphs,
        "facts": facts,
        "qr_secret": "",
        "qr_cid": "",
        "action_label": label,
        "action_url": url,
        "sender_name": sender_name(organisation=organisation),
    }


def _language(value: str) -> str:
    return value if value in LANGUAGES else "de"


def signup_received(*, signup) -> Message:
    """Confirm a company's sign-up to its contact person."""
    from django.urls import reverse

    programme = signup.programme
    language = _language(signup.language)

    def build() -> dict:
        return _context(
            name=signup.contact_name,
            paragraphs=[
                _("Thank you: %(company)s has signed up to the programme %(programme)s.")
                % {"company": signup.company.name, "programme": programme.text("title", language)},
                _(
                    "On the programme's page you can enter your mentors and mentees and "
                    "register for its events."
                ),
            ],
            facts=[
                (_("International employees to onboard"), str(signup.international_employees)),
                (_("Contact person"), signup.contact_name),
            ],
            organisation=programme.organisation,
            action=(
                _("Open the programme"),
                absolute(reverse("programmes:company", kwargs={"slug": programme.slug})),
            ),
        )

    rendered = compose(
        language=language,
        subject=gettext_noop("Sign-up received: %(programme)s"),
        subject_params={"programme": programme.text("title", language)},
        build=build,
    )
    message, _created = write_message(
        purpose=Purpose.PROGRAMME_SIGNUP,
        to_email=signup.contact_email,
        language=language,
        rendered=rendered,
        related=signup,
        organisation=programme.organisation,
        detail=signup.signed_up_at.isoformat(),
    )
    return message


def programme_message(*, message, to_email: str, name: str, language: str, now) -> Message:
    """One participant's copy of the organiser's message (once per message and address)."""
    programme = message.programme
    language = _language(language)

    def build() -> dict:
        context = _context(
            name=name,
            paragraphs=[*[p for p in message.body.split("\n\n") if p.strip()]],
            facts=[],
            organisation=programme.organisation,
        )
        context["paragraphs"].append(
            _("You receive this message because you take part in the programme %(programme)s.")
            % {"programme": programme.text("title", language)}
        )
        return context

    rendered = compose(
        language=language,
        subject="%(subject)s",
        subject_params={"subject": message.subject},
        build=build,
    )
    written, _created = write_message(
        purpose=Purpose.PROGRAMME_MESSAGE,
        to_email=to_email,
        language=language,
        rendered=rendered,
        related=message,
        organisation=programme.organisation,
        now=now,
    )
    return written
