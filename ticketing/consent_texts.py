"""The wording of each consent, as the person saw it: the forms show these texts and the
consent records keep them (with the privacy notice's version), so what was agreed to can be
shown later even after the wording changes."""

from django.utils.translation import gettext_lazy as _

from .models import ConsentRecord

Topic = ConsentRecord.Topic

# The same texts as the checkboxes of the registration and guardian forms (a test holds them
# together).
VISITOR_TEXTS = {
    Topic.PRIVACY: _("I agree to the privacy notice: my details are used only for this event."),
    Topic.PHOTOS: _("Photos of me may be taken and published (optional)."),
    Topic.SHARE_CONTACT: _("Exhibitors I meet may receive my contact details (optional)."),
}
GUARDIAN_TEXTS = {
    Topic.GUARDIAN: _("I agree that my child takes part and confirm the details given."),
    Topic.PHOTOS: _("Photos of my child may be taken and published."),
}


def consent_text(topic: str, *, by_guardian: bool = False) -> str:
    """The wording of `topic` in the active language (the guardian's wording if theirs)."""
    texts = GUARDIAN_TEXTS if by_guardian else VISITOR_TEXTS
    return str(texts.get(topic, ""))
