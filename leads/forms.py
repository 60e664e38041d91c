"""The forms of the stand contacts: pairing a phone from a staff pass, searching contacts."""

from django import forms
from django.utils.translation import gettext_lazy as _


class PairForm(forms.Form):
    code = forms.CharField(
        label=_("Code of your staff pass"),
        max_length=200,
        help_text=_("The letters and digits under the QR code on your staff pass."),
        error_messages={"required": _("Please enter the code of your staff pass.")},
    )


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search by name, e-mail, note or tag"), required=False)
    event = forms.TypedChoiceField(label=_("Fair and site"), required=False, coerce=int)

    def __init__(self, *args, events=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["event"].choices = [("", _("All fairs and sites"))] + [
            (event.pk, str(event)) for event in events
        ]
