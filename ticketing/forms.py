"""Forms of the visitor and organiser pages: they check shape; the services decide."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from events_platform.models import Event

from . import queries
from .models import Question, Registration
from .services import RegistrationInput


def _places_label(label: str, left: int | None) -> str:
    if left is None:
        return label
    if left == 0:
        return _("%(label)s (full)") % {"label": label}
    return _("%(label)s (%(left)s places left)") % {"label": label, "left": left}


def question_fields(event: Event, initial: dict | None = None) -> dict[str, forms.Field]:
    """One form field per organiser question, named `q_<id>`."""
    fields = {}
    initial = initial or {}
    for question in queries.event_questions(event):
        name = f"q_{question.pk}"
        common = {"label": question.label, "required": question.required}
        value = initial.get(str(question.pk))
        if question.kind == Question.Kind.CHOICE:
            field = forms.ChoiceField(
                choices=[("", "—"), *question.choice_pairs], **common, initial=value
            )
        elif question.kind == Question.Kind.MULTIPLE:
            field = forms.MultipleChoiceField(
                choices=question.choice_pairs,
                widget=forms.CheckboxSelectMultiple,
                initial=value,
                **common,
            )
        elif question.kind == Question.Kind.YES_NO:
            field = forms.TypedChoiceField(
                choices=[("", "—"), ("yes", _("Yes")), ("no", _("No"))],
                initial={True: "yes", False: "no"}.get(value, ""),
                **common,
            )
        else:
            field = forms.CharField(max_length=1000, initial=value, **common)
        fields[name] = field
    return fields


def collected_answers(cleaned_data: dict) -> dict:
    """The answers of the `q_<id>` fields, keyed by question id."""
    answers = {}
    for name, value in cleaned_data.items():
        if name.startswith("q_"):
            if value == "yes":
                value = True
            elif value == "no":
                value = False
            answers[name[2:]] = value
    return answers


class RegistrationForm(forms.Form):
    """Register for one event; the fields depend on the event's kind and settings."""

    name = forms.CharField(
        label=_("Name"), max_length=200, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    email = forms.EmailField(
        label=_("E-mail address"),
        help_text=_("Your ticket and the link to change or cancel are sent here."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    phone = forms.CharField(
        label=_("Phone (optional)"),
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}),
    )

    def __init__(self, *args, event: Event, school_class: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.event = event
        self.school_class = school_class
        if school_class:
            self.fields["name"].label = _("Teacher's name")
            self.fields["school"] = forms.CharField(label=_("School"), max_length=200)
            self.fields["grade"] = forms.CharField(label=_("Class or grade"), max_length=20)
            self.fields["pupils"] = forms.IntegerField(
                label=_("Number of pupils"), min_value=1, max_value=500
            )
            self.fields["adults"] = forms.IntegerField(
                label=_("Accompanying adults"), min_value=0, max_value=50, initial=1
            )
        slots = queries.slot_places(event) if queries.slots_are_choices(event) else []
        if slots:
            self.fields["time_slot"] = forms.TypedChoiceField(
                label=_("Arrival time slot"),
                coerce=int,
                widget=forms.RadioSelect,
                choices=[(slot.pk, _places_label(str(slot), left)) for slot, left in slots],
            )
        sessions = queries.session_places(event)
        if sessions:
            self.fields["sessions"] = forms.TypedMultipleChoiceField(
                label=_("Workshops"),
                coerce=int,
                required=False,
                widget=forms.CheckboxSelectMultiple,
                help_text=_("Workshops at the same time exclude each other."),
                choices=[
                    (
                        session.pk,
                        _places_label(
                            f"{session.title}, {_local_time(session.starts_at)}–"
                            f"{_local_time(session.ends_at)}",
                            left,
                        ),
                    )
                    for session, left in sessions
                ],
            )
        if not school_class and (
            event.kind == Event.Kind.CAMP or event.min_age is not None or event.max_age is not None
        ):
            self.fields["name"].label = _("Participant's name")
            self.fields["birth_date"] = forms.DateField(
                label=_("Participant's date of birth"),
                widget=forms.DateInput(attrs={"type": "date"}),
            )
            guardian = queries.guardian_required(event, None)
            self.fields["guardian_name"] = forms.CharField(
                label=_("Parent or guardian"), max_length=200, required=guardian
            )
            self.fields["guardian_email"] = forms.EmailField(
                label=_("Parent or guardian's e-mail address"),
                required=guardian,
                help_text=_("The parent or guardian must confirm within 72 hours."),
            )
            self.fields["guardian_phone"] = forms.CharField(
                label=_("Parent or guardian's phone"), max_length=40, required=guardian
            )
            self.fields["emergency_contact"] = forms.CharField(
                label=_("Emergency contact (name and phone)"), max_length=200, required=guardian
            )
            self.fields["medical_notes"] = forms.CharField(
                label=_("Allergies and medical notes (optional)"),
                required=False,
                widget=forms.Textarea(attrs={"rows": 3}),
                help_text=_("Only the organiser of this event sees this."),
            )
        self.fields.update(question_fields(event))
        self.fields["privacy_consent"] = forms.BooleanField(
            label=_("I agree to the privacy notice: my details are used only for this event."),
            required=True,
            error_messages={"required": _("Please agree to the privacy notice to register.")},
        )
        self.fields["photo_consent"] = forms.BooleanField(
            label=_("Photos of me may be taken and published (optional)."), required=False
        )
        self.fields["share_contact_consent"] = forms.BooleanField(
            label=_("Exhibitors I meet may receive my contact details (optional)."),
            required=False,
        )

    def to_input(self) -> RegistrationInput:
        data = self.cleaned_data
        return RegistrationInput(
            name=data["name"],
            email=data["email"],
            phone=data.get("phone", ""),
            privacy_consent=data["privacy_consent"],
            photo_consent=data.get("photo_consent", False),
            share_contact_consent=data.get("share_contact_consent", False),
            answers=collected_answers(data),
            time_slot_id=data.get("time_slot") or None,
            session_ids=list(data.get("sessions") or []),
            school=data.get("school", ""),
            grade=data.get("grade", ""),
            pupils=data.get("pupils"),
            adults=data.get("adults"),
            birth_date=data.get("birth_date"),
            guardian_name=data.get("guardian_name", ""),
            guardian_email=data.get("guardian_email", ""),
            guardian_phone=data.get("guardian_phone", ""),
            emergency_contact=data.get("emergency_contact", ""),
            medical_notes=data.get("medical_notes", ""),
        )


def _local_time(value) -> str:
    return timezone.localtime(value).strftime("%H:%M")


class AnswersForm(forms.Form):
    """Self-service: change the answers, the phone number and contact sharing."""

    phone = forms.CharField(label=_("Phone (optional)"), max_length=40, required=False)

    def __init__(self, *args, registration: Registration, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["phone"].initial = registration.phone
        self.fields.update(question_fields(registration.event, registration.answers))
        self.fields["share_contact_consent"] = forms.BooleanField(
            label=_("Exhibitors I meet may receive my contact details (optional)."),
            required=False,
            initial=registration.share_contact_consent,
        )


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


class RegistrationFilterForm(forms.Form):
    """The organiser's search and filters over one event's registrations."""

    query = forms.CharField(label=_("Search"), required=False)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All")), *Registration.Status.choices]
    )

    def __init__(self, *args, event: Event, **kwargs):
        super().__init__(*args, **kwargs)
        slots = list(event.time_slots.all())
        if slots:
            self.fields["time_slot"] = forms.TypedChoiceField(
                label=_("Time slot"),
                required=False,
                coerce=int,
                empty_value=None,
                choices=[("", _("All")), *[(s.pk, str(s)) for s in slots]],
            )
        sessions = list(event.sessions.all())
        if sessions:
            self.fields["session"] = forms.TypedChoiceField(
                label=_("Workshop"),
                required=False,
                coerce=int,
                empty_value=None,
                choices=[("", _("All")), *[(s.pk, s.title) for s in sessions]],
            )

    def filters(self) -> queries.RegistrationFilter:
        data = self.cleaned_data if self.is_valid() else {}
        return queries.RegistrationFilter(
            query=data.get("query", ""),
            status=data.get("status", ""),
            time_slot=data.get("time_slot"),
            session=data.get("session"),
        )
