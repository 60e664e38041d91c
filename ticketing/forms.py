"""Forms of the visitor pages: they check shape; the services decide."""

from django import forms
from django.utils.translation import gettext_lazy as _


class GuardianConsentForm(forms.Form):
    """A parent or guardian confirms a minor's place and decides on photos."""

    guardian_name = forms.CharField(label=_("Your name"), max_length=200)
    confirm = forms.BooleanField(
        label=_("I agree that my child takes part and confirm the details given."),
        required=True,
    )
    photo_consent = forms.BooleanField(
        label=_("Photos of my child may be taken and published."), required=False
    )
