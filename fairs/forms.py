"""Forms of the exhibitor pages: they check shape only; the services decide."""

from django import forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

from infra.errors import InvalidInput

from .images import MAX_LOGO_BYTES, clean_logo
from .models import Company, CompanyMember, JobOffer, Sector
from .services import Extras


class PasswordPairMixin(forms.Form):
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 8 characters; not only digits."),
    )
    password2 = forms.CharField(
        label=_("Repeat password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self):
        cleaned = super().clean()
        first, second = cleaned.get("password1"), cleaned.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("The two passwords differ."))
        elif first:
            try:
                password_validation.validate_password(first)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class SignupForm(PasswordPairMixin):
    name = forms.CharField(label=_("Company name"), max_length=200)
    sector = forms.ChoiceField(label=_("Sector"), choices=Sector.choices)
    contact_name = forms.CharField(label=_("Your name"), max_length=200)
    email = forms.EmailField(
        label=_("E-mail address"),
        help_text=_("We send a link to confirm this address. You sign in with it."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    field_order = ["name", "sector", "contact_name", "email", "password1", "password2"]


class ProfileForm(forms.ModelForm):
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    logo_upload = forms.FileField(
        label=_("Logo"),
        required=False,
        help_text=_("PNG, JPEG or WebP, at most 2 MB and 25 megapixels."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/png,image/jpeg,image/webp"}),
    )
    remove_logo = forms.BooleanField(label=_("Remove the logo"), required=False)

    class Meta:
        model = Company
        fields = [
            "name",
            "sector",
            "description_de",
            "description_en",
            "website",
            "contact_name",
            "contact_email",
            "contact_phone",
            "street",
            "postcode",
            "town",
            "language",
        ]
        widgets = {
            "description_de": forms.Textarea(attrs={"rows": 4}),
            "description_en": forms.Textarea(attrs={"rows": 4}),
        }

    def clean_logo_upload(self):
        upload = self.cleaned_data.get("logo_upload")
        if not upload:
            return None
        if upload.size > MAX_LOGO_BYTES:
            raise forms.ValidationError(_("The logo may be at most 2 MB."))
        data = upload.read()
        try:
            clean_logo(data)
        except InvalidInput as error:
            raise forms.ValidationError(error.message) from None
        return data


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address of your colleague"))
    role = forms.ChoiceField(
        label=_("Role"), choices=CompanyMember.Role.choices, initial=CompanyMember.Role.MEMBER
    )


class InviteAcceptForm(PasswordPairMixin):
    pass


class ExtrasForm(forms.Form):
    power_connections = forms.IntegerField(
        label=_("Power connections"), min_value=0, max_value=10, initial=0
    )
    tables = forms.IntegerField(label=_("Tables"), min_value=0, max_value=20, initial=0)
    chairs = forms.IntegerField(label=_("Chairs"), min_value=0, max_value=40, initial=0)
    parking_passes = forms.IntegerField(
        label=_("Parking passes"), min_value=0, max_value=10, initial=0
    )
    staff_passes = forms.IntegerField(
        label=_("Staff passes"),
        min_value=0,
        max_value=50,
        initial=2,
        help_text=_("Named passes for the people at your stand."),
    )
    day_contact_name = forms.CharField(label=_("Contact on the day"), max_length=200)
    day_contact_phone = forms.CharField(
        label=_("Mobile phone on the day"),
        max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )

    def extras(self) -> Extras:
        data = self.cleaned_data
        return Extras(
            power_connections=data["power_connections"],
            tables=data["tables"],
            chairs=data["chairs"],
            parking_passes=data["parking_passes"],
        )


class BookingForm(ExtrasForm):
    """Stands are checkboxes; the plan template renders them itself (with the SVG)."""

    stands = forms.TypedMultipleChoiceField(
        label=_("Stands"), coerce=int, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, stand_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["stands"].choices = [(pk, label) for pk, label in stand_choices]
        self.fields["stands"].error_messages["required"] = _("Please choose at least one stand.")
        # A stand that is no longer among the free ones was taken while the page was open.
        self.fields["stands"].error_messages["invalid_choice"] = _(
            "A stand you chose has just been taken. Please choose another one."
        )


class SeriesBookingForm(ExtrasForm):
    """One optional stand choice per site event of a series."""

    def __init__(self, *args, fairs=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fair_fields = []
        for fair, stands in fairs:
            name = f"fair_{fair.pk}"
            self.fields[name] = forms.TypedChoiceField(
                label=fair.event.venue.town,
                required=False,
                coerce=int,
                empty_value=None,
                choices=[("", _("no stand here"))]
                + [(stand.pk, stand.option_label) for stand in stands],
            )
            self.fair_fields.append(name)

    def stand_ids(self) -> list[int]:
        return [self.cleaned_data[name] for name in self.fair_fields if self.cleaned_data[name]]


class WaitlistForm(forms.Form):
    note = forms.CharField(
        label=_("Wishes (optional)"),
        required=False,
        max_length=300,
        help_text=_("For example the size of stand you need."),
    )


class StaffPassForm(forms.Form):
    name = forms.CharField(label=_("Name on the pass"), max_length=200)


class DecisionForm(forms.Form):
    action = forms.ChoiceField(
        choices=[("approve", _("Confirm")), ("reject", _("Reject")), ("cancel", _("Cancel"))]
    )
    message = forms.CharField(label=_("Message to the company"), required=False, max_length=2000)


class OfferStandForm(forms.Form):
    stand = forms.TypedChoiceField(label=_("Free stand"), coerce=int)

    def __init__(self, *args, stands=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["stand"].choices = [(stand.pk, stand.label) for stand in stands]


class JobOfferForm(forms.ModelForm):
    url = forms.URLField(label=_("Link"), required=False, assume_scheme="https")
    events = forms.ModelMultipleChoiceField(
        label=_("Show at"),
        required=False,
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Events where your company has a stand."),
    )

    class Meta:
        model = JobOffer
        fields = [
            "title",
            "kind",
            "field_of_work",
            "place_of_work",
            "starts_immediately",
            "start_date",
            "start_note",
            "contact",
            "url",
            "description",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 5}),
            "start_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args, events=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["events"].queryset = events
        self.fields["events"].label_from_instance = lambda event: event.title_with_town
        if self.instance.pk:
            self.fields["events"].initial = list(self.instance.events.all())


class DirectoryFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    sector = forms.ChoiceField(
        label=_("Sector"), required=False, choices=[("", _("all sectors")), *Sector.choices]
    )
    kind = forms.ChoiceField(
        label=_("Kind"),
        required=False,
        choices=[("", _("all kinds")), *JobOffer.Kind.choices],
    )
    site = forms.ChoiceField(label=_("Site"), required=False)

    def __init__(self, *args, sites=(), **kwargs):
        super().__init__(*args, **kwargs)
        if len(sites) < 2:
            # One site's directory: a choice between "all sites" and that one is no choice.
            del self.fields["site"]
        else:
            self.fields["site"].choices = [("", _("all sites"))] + [(t, t) for t in sites]
