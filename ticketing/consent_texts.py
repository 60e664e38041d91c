"""The wording of each consent, as the person saw it: the forms show these texts and the
consent records keep them (with the privacy notice's version), so what was agreed to can be
shown later even after the wording changes.

Who fills in the form decides the wording (a parent consents for their child, a teacher for
themselves, not for the pupils), and the event decides which consents are asked for at all
(no contact sharing where there are no exhibitors). Every form, page and record takes its
texts from here (tests/ticketing/test_audience.py holds the templates and forms to that).
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


def consent_text(topic: str, *, audience: str = Audience.SELF) -> str:
    """The wording of `topic` for `audience`, in the active language."""
    return str(TEXTS[Audience(audience)].get(topic, ""))
