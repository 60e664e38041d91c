"""Forms of the programme pages: they check shape only; the services decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from surveys.models import Survey

from .models import Need, Participant, Programme, ProgrammeEvent

MAX_TEXT = 4000


class SignupForm(forms.Form):
    contact_name = forms.CharField(
        label=_("Contact person"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    contact_email = forms.EmailField(
        label=_("Contact e-mail"), widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    contact_phone = forms.CharField(
        label=_("Contact phone (optional)"),
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    international_employees = forms.IntegerField(
        label=_("Number of international employees to onboard"),
        min_value=1,
        max_value=999,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    needs = forms.MultipleChoiceField(
        label=_("Where do you need support?"),
        choices=Need.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    needs_text = forms.CharField(
        label=_("Anything else you need (optional)"),
        max_length=MAX_TEXT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ParticipantForm(forms.Form):
    role = forms.ChoiceField(
        label=_("Role"), choices=Participant.Role.choices, widget=forms.RadioSelect
    )
    name = forms.CharField(label=_("Name"), max_length=200)
    email = forms.EmailField(label=_("E-mail address (optional)"), required=False)
    job = forms.CharField(label=_("Job (optional)"), max_length=200, required=False)
    languages = forms.CharField(
        label=_("Languages spoken (optional)"), max_length=200, required=False
    )
    consent = forms.BooleanField(label="", required=True)

    def __init__(self, *args, consent_text: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["consent"].label = consent_text
        self.fields["consent"].error_messages["required"] = _(
            "Please confirm that the person has agreed."
        )


class ProgrammeForm(forms.ModelForm):
    class Meta:
        model = Programme
        fields = [
            "slug",
            "status",
            "title_de",
            "title_en",
            "title_plain",
            "offer_de",
            "offer_en",
            "offer_plain",
            "audience_de",
            "audience_en",
            "audience_plain",
            "starts_on",
            "ends_on",
            "partners",
            "survey",
            "signup_open",
        ]
        widgets = {
            "starts_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "ends_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            **{
                name: forms.Textarea(attrs={"rows": 4})
                for name in (
                    "offer_de",
                    "offer_en",
                    "offer_plain",
                    "audience_de",
                    "audience_en",
                    "audience_plain",
                    "partners",
                )
            },
        }

    def __init__(self, *args, organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisations = list(organisations or [])
        # Only a survey of the programme's organisation (or of the organiser's ones).
        owners = [self.instance.organisation_id] if self.instance.pk else self.organisations
        self.fields["survey"].queryset = Survey.objects.filter(organisation__in=owners)
        if self.instance.pk is None and len(self.organisations) > 1:
            self.fields["organisation"] = forms.ModelChoiceField(
                label=_("Organisation"), queryset=self._organisation_qs()
            )

    def _organisation_qs(self):
        from events_platform.models import Organisation

        return Organisation.objects.filter(pk__in=[o.pk for o in self.organisations])

    def clean(self):
        cleaned = super().clean()
        first, last = cleaned.get("starts_on"), cleaned.get("ends_on")
        if first and last and last < first:
            self.add_error("ends_on", _("The last day cannot be before the first day."))
        return cleaned


class EventForm(forms.Form):
    event = forms.ModelChoiceField(label=_("Event"), queryset=None)
    role = forms.ChoiceField(label=_("Role in the programme"), choices=ProgrammeEvent.Role.choices)

    def __init__(self, *args, events=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["event"].queryset = events


class PairForm(forms.Form):
    mentor = forms.ModelChoiceField(label=_("Mentor"), queryset=None)
    mentee = forms.ModelChoiceField(label=_("Mentee"), queryset=None)

    def __init__(self, *args, mentors=None, mentees=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mentor"].queryset = mentors
        self.fields["mentee"].queryset = mentees
        self.fields["mentor"].label_from_instance = _person_label
        self.fields["mentee"].label_from_instance = _person_label


def _person_label(person: Participant) -> str:
    return f"{person.name} ({person.signup.company.name})"


class MessageForm(forms.Form):
    subject = forms.CharField(label=_("Subject"), max_length=200)
    body = forms.CharField(
        label=_("Text"),
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("An empty line starts a new paragraph."),
    )
