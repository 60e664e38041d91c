"""Forms of the door pages and the organiser's check-in view."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from ticketing.forms import consent_checkbox
from ticketing.services import RegistrationInput

INPUT = {"class": "kern-form-input__input"}


class DoorRegistrationForm(forms.Form):
    """A walk-in registers at the door tablet: name, e-mail, consent; nothing more."""

    name = forms.CharField(
        label=_("Name"), max_length=200, widget=forms.TextInput(INPUT | {"autocomplete": "name"})
    )
    email = forms.EmailField(
        label=_("E-mail address"), widget=forms.EmailInput(INPUT | {"autocomplete": "email"})
    )
    privacy_consent = consent_checkbox(
        _("The visitor agrees to the privacy notice."),
        required=True,
        message=_("Please tick the box once the visitor has agreed to the privacy notice."),
        widget=forms.CheckboxInput({"class": "kern-form-check__checkbox"}),
    )

    def registration_input(self) -> RegistrationInput:
        data = self.cleaned_data
        return RegistrationInput(
            name=data["name"], email=data["email"], privacy_consent=data["privacy_consent"]
        )


class EntranceForm(forms.Form):
    name = forms.CharField(label=_("New entrance"), max_length=80, widget=forms.TextInput(INPUT))


class AssignStaffForm(forms.Form):
    username = forms.CharField(
        label=_("User name of the check-in staff member"),
        max_length=150,
        widget=forms.TextInput(INPUT),
    )

    def clean_username(self):
        user = get_user_model().objects.filter(username=self.cleaned_data["username"]).first()
        if user is None:
            raise forms.ValidationError(_("There is no user with this name."))
        return user


class PairingForm(forms.Form):
    entrance = forms.ModelChoiceField(
        label=_("Entrance"),
        queryset=None,
        required=False,
        empty_label=_("No particular entrance"),
        widget=forms.Select({"class": "kern-form-input__select"}),
    )

    def __init__(self, *args, event, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["entrance"].queryset = event.entrances.all()
