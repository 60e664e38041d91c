"""The wording of each consent, as the person saw it: the forms show these texts and the
consent records keep them (with the privacy notice's version), so what was agreed to can be
shown later even after the wording changes.

Who fills in the form decides the wording (a parent consents for their child, a teacher for
themselves, not for the pupils), and the event decides which consents are asked for at all
(no contact sharing where there are no exhibitors). An organiser who enters a registration
on someone's behalf (after a phone call, from a paper form) confirms what that person agreed
to: their form and the records of that registration use ORGANISER_TEXTS, in the third person.
Every form, page and record takes its texts from here (tests/ticketing/test_audience.py
holds the templates and forms to that).
"""

from django.db.models import TextChoices
from django.utils.translation import gettext_lazy as _

from events_platform.models import Event

from . import queries
from .models import ConsentRecord, Registration

Topic = ConsentRecord.Topic


class Audience(TextChoices):
    """Who fills in a registration."""

    SELF = "self", _("The participant")
    PARENT = "parent", _("A parent or guardian for their child")
    TEACHER = "teacher", _("A teacher for a school class")


TEXTS = {
    Audience.SELF: {
        Topic.PRIVACY: _("I agree to the privacy notice: my details are used only for this event."),
        Topic.PHOTOS: _("Photos of me may be taken and published (optional)."),
        Topic.SHARE_CONTACT: _("Exhibitors I meet may receive my contact details (optional)."),
    },
    Audience.PARENT: {
        Topic.PRIVACY: _(
            "I agree to the privacy notice: my child's details and mine are used only for "
            "this event."
        ),
        Topic.PHOTOS: _("Photos of my child may be taken and published (optional)."),
        Topic.SHARE_CONTACT: _(
            "Exhibitors my child meets may receive my contact details (optional)."
        ),
        Topic.GUARDIAN: _("I agree that my child takes part and confirm the details given."),
    },
    Audience.TEACHER: {
        Topic.PRIVACY: _(
            "I agree to the privacy notice: the details I give are used only for this event."
        ),
        Topic.PHOTOS: _(
            "Photos of me as the accompanying teacher may be taken and published (optional)."
        ),
        Topic.SHARE_CONTACT: _(
            "Exhibitors my class meets may receive my contact details as the teacher (optional)."
        ),
    },
}


# What the organiser confirms, about the person who registers (or the parent or guardian of a
# camp child, or the teacher of a class): never "I" or "my", the organiser speaks for no one.
ORGANISER_TEXTS = {
    Audience.SELF: {
        Topic.PRIVACY: _(
            "The person has agreed to the privacy notice: their details are used only for this "
            "event."
        ),
        Topic.PHOTOS: _(
            "The person agrees that photos of them may be taken and published (optional)."
        ),
        Topic.SHARE_CONTACT: _(
            "The person agrees that exhibitors they meet may receive their contact details "
            "(optional)."
        ),
    },
    Audience.PARENT: {
        Topic.PRIVACY: _(
            "The parent or guardian has agreed to the privacy notice: the child's details and "
            "theirs are used only for this event."
        ),
        Topic.PHOTOS: _(
            "The parent or guardian agrees that photos of the child may be taken and published "
            "(optional)."
        ),
        Topic.SHARE_CONTACT: _(
            "The parent or guardian agrees that exhibitors the child meets may receive their "
            "contact details (optional)."
        ),
    },
    Audience.TEACHER: {
        Topic.PRIVACY: _(
            "The teacher has agreed to the privacy notice: the details given are used only for "
            "this event."
        ),
        Topic.PHOTOS: _(
            "The teacher agrees that photos of them as the accompanying teacher may be taken "
            "and published (optional)."
        ),
        Topic.SHARE_CONTACT: _(
            "The teacher agrees that exhibitors the class meets may receive the teacher's "
            "contact details (optional)."
        ),
    },
}

# The organiser's form left without the privacy box ticked.
ORGANISER_PRIVACY_REQUIRED = {
    Audience.SELF: _("Please confirm that the person has agreed to the privacy notice."),
    Audience.PARENT: _(
        "Please confirm that the parent or guardian has agreed to the privacy notice."
    ),
    Audience.TEACHER: _("Please confirm that the teacher has agreed to the privacy notice."),
}


def audience_for(event: Event, *, school_class: bool = False) -> str:
    """Who fills in the registration form of `event` (a teacher when it is for a class)."""
    if school_class:
        return Audience.TEACHER
    return Audience.PARENT if queries.registered_by_parent(event) else Audience.SELF


def audience_of(registration: Registration) -> str:
    """Who filled in `registration`."""
    if registration.kind == Registration.Kind.SCHOOL_CLASS:
        return Audience.TEACHER
    return Audience.PARENT if queries.for_child(registration) else Audience.SELF


def form_topics(event: Event) -> list[str]:
    """The consents the registration form of `event` asks for, in order."""
    topics = [Topic.PRIVACY, Topic.PHOTOS]
    if queries.has_exhibitors(event):
        topics.append(Topic.SHARE_CONTACT)
    return topics


def consent_text(topic: str, *, audience: str = Audience.SELF, by_organiser: bool = False) -> str:
    """The wording of `topic` for `audience`, in the active language: as the person reads it
    on their own form, or as the organiser confirms it for them (`by_organiser`)."""
    texts = ORGANISER_TEXTS if by_organiser else TEXTS
    return str(texts[Audience(audience)].get(topic, ""))


def privacy_required_message(*, audience: str = Audience.SELF, by_organiser: bool = False):
    """What the form says when its privacy box is left empty."""
    if by_organiser:
        return ORGANISER_PRIVACY_REQUIRED[Audience(audience)]
    return _("Please agree to the privacy notice to register.")
