"""Forms of the visitor and organiser pages: they check shape; the services decide."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from events_platform.models import Event
from events_platform.when import hours

from . import consent_texts, queries, rules
from .models import MAX_ADULTS, MAX_PUPILS, Question, Registration
from .services import RegistrationInput


def consent_checkbox(label, *, required: bool = False, message=None, **kwargs) -> forms.Field:
    """A consent checkbox; left empty when required, it says plainly what to do."""
    if required:
        kwargs["error_messages"] = {"required": message or _("Please agree to continue.")}
    return forms.BooleanField(label=label, required=required, **kwargs)


def postcode_field(initial: str = "") -> forms.Field:
    """The optional postcode of a visitor (queries.asks_postcode says where it is asked)."""
    return forms.CharField(
        label=_("Postcode (optional)"),
        max_length=5,
        required=False,
        initial=initial,
        validators=[rules.german_postcode],
        help_text=_(
            "So that we can show our funders where visitors come from. We count only the "
            "area (the first two digits)."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "postal-code", "inputmode": "numeric"}),
    )


def _places_label(label: str, left: int | None) -> str:
    if left is None:
        return label
    if left == 0:
        return _("%(label)s (full)") % {"label": label}
    return ngettext("%(label)s (%(left)s place left)", "%(label)s (%(left)s places left)", left) % {
        "label": label,
        "left": left,
    }


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
        help_text=_(
            "We send the confirmation (with the ticket once you have a place) and the link to "
            "change or cancel to this address."
        ),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    phone = forms.CharField(
        label=_("Phone (optional)"),
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}),
    )

    def __init__(
        self, *args, event: Event, school_class: bool = False, for_organiser: bool = False, **kwargs
    ):
        super().__init__(*args, **kwargs)
        self.event = event
        self.for_organiser = for_organiser
        self.school_class = school_class
        if school_class:
            self.fields["name"].label = _("Teacher's name")
            self.fields["school"] = forms.CharField(label=_("School"), max_length=200)
            self.fields["grade"] = forms.CharField(label=_("Class or grade"), max_length=20)
            self.fields["pupils"] = forms.IntegerField(
                label=_("Number of pupils"), min_value=1, max_value=MAX_PUPILS
            )
            self.fields["adults"] = forms.IntegerField(
                label=_("Accompanying adults"), min_value=0, max_value=MAX_ADULTS, initial=1
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
                            f"{session.title}, {hours(session.starts_at, session.ends_at)}",
                            left,
                        ),
                    )
                    for session, left in sessions
                ],
            )
        self.audience = consent_texts.audience_for(event, school_class=school_class)
        # An organiser typing in a paper form sees the neutral labels (the participant, the
        # parent or guardian) rather than the parent's "you".
        self.parent_fills_in = self.audience == consent_texts.Audience.PARENT and not for_organiser
        if not school_class and (
            event.kind == Event.Kind.CAMP or event.min_age is not None or event.max_age is not None
        ):
            self._add_participant_fields(event)
        if not school_class and queries.asks_postcode(event):
            self.fields["postcode"] = postcode_field()
        questions = question_fields(event)
        if for_organiser:
            self._speak_to_the_organiser(questions)
        self.fields.update(questions)
        add_consent_fields(self, event=event, audience=self.audience, by_organiser=for_organiser)
        if self.parent_fills_in:
            # The parent's details first, then the child's.
            self.order_fields(["guardian_name", "email", "phone", "name", "birth_date"])

    def _speak_to_the_organiser(self, questions: dict[str, forms.Field]) -> None:
        """The organiser enters someone else's registration: the help texts speak about that
        person, not to them. The questions are the organiser's own words, shown as the
        person sees them, with a note saying so above the first."""
        self.fields["email"].help_text = _(
            "We send the confirmation (with the ticket once the person has a place) and the "
            "link to change or cancel to this address."
        )
        if questions:
            first = next(iter(questions.values()))
            first.hint_before = _(
                "The questions below are worded as the person sees them on the registration "
                "form. Enter the person's answers."
            )

    def _add_participant_fields(self, event: Event) -> None:
        guardian = queries.guardian_required(event, None)
        if self.parent_fills_in:
            # A parent fills in the form: the e-mail address and phone are theirs, the name
            # and date of birth the child's.
            self.fields["guardian_name"] = forms.CharField(
                label=_("Your name"),
                max_length=200,
                help_text=_("You register your child as parent or guardian."),
                widget=forms.TextInput(attrs={"autocomplete": "name"}),
            )
            self.fields["email"].label = _("Your e-mail address")
            self.fields["email"].help_text = _(
                "We send the confirmation link, your child's ticket (once there is a place) and "
                "the link to change or cancel to this address."
            )
            self.fields["phone"].label = _("Your phone number")
            self.fields["phone"].required = guardian
            self.fields["phone"].help_text = _("So that we can reach you during the event.")
            self.fields["name"].label = _("Your child's name")
            self.fields["name"].help_text = _("First and last name of the child who takes part.")
            self.fields["name"].widget.attrs["autocomplete"] = "off"
            self.fields["birth_date"] = forms.DateField(
                label=_("Your child's date of birth"),
                widget=forms.DateInput(attrs={"type": "date"}),
            )
            self.fields.update(care_fields(parent=True, required=guardian))
            return
        self.fields["name"].label = _("Participant's name")
        self.fields["birth_date"] = forms.DateField(
            label=_("Participant's date of birth"),
            widget=forms.DateInput(attrs={"type": "date"}),
        )
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
        self.fields.update(care_fields(parent=False, required=guardian))

    def to_input(self) -> RegistrationInput:
        data = self.cleaned_data
        parent = self.parent_fills_in and "birth_date" in data
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
            # A parent who fills in the form gives their own address and phone once.
            guardian_email=data.get("guardian_email", data["email"] if parent else ""),
            guardian_phone=data.get("guardian_phone", data.get("phone", "") if parent else ""),
            emergency_contact=data.get("emergency_contact", ""),
            medical_notes=data.get("medical_notes", ""),
            postcode=data.get("postcode", ""),
        )


def care_fields(*, parent: bool, required: bool) -> dict[str, forms.Field]:
    """A camp participant's emergency contact and medical notes, worded for the parent who
    fills in the form or for the participant (on registering and on changing details)."""
    return {
        "emergency_contact": forms.CharField(
            label=_("Emergency contact (name and phone)"),
            max_length=200,
            required=required,
            help_text=_("Whom we call if we cannot reach you.") if parent else "",
        ),
        "medical_notes": forms.CharField(
            label=(
                _("Your child's allergies and medical notes (optional)")
                if parent
                else _("Allergies and medical notes (optional)")
            ),
            required=False,
            widget=forms.Textarea(attrs={"rows": 3}),
            help_text=_("Only the organiser of this event sees this."),
        ),
    }


class AnswersForm(forms.Form):
    """Self-service: change the answers, the phone number, the postcode, photos (where the
    registration form asked) and contact sharing; for a camp participant before the camp
    ends, also the emergency contact and the medical notes, in the words of the
    registration form."""

    phone = forms.CharField(label=_("Phone (optional)"), max_length=40, required=False)

    def __init__(self, *args, registration: Registration, now=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["phone"].initial = registration.phone
        event = registration.event
        if registration.kind == Registration.Kind.CAMP_PARTICIPANT and (
            now is None or event.ends_at > now
        ):
            parent = queries.for_child(registration)
            required = queries.guardian_required(event, registration.birth_date)
            if parent:
                self.fields["phone"].label = _("Your phone number")
                self.fields["phone"].required = required
                self.fields["phone"].help_text = _("So that we can reach you during the event.")
            for name, field in care_fields(parent=parent, required=required).items():
                field.initial = getattr(registration, name)
                self.fields[name] = field
        if queries.asks_postcode(registration.event, registration.kind):
            self.fields["postcode"] = postcode_field(registration.postcode)
        self.fields.update(question_fields(registration.event, registration.answers))
        # The consents given on the registration form, in its words, can be withdrawn (or
        # given) here as easily (GDPR Art. 7(3)).
        audience = consent_texts.audience_of(registration)
        if queries.photos_asked(event, registration.kind, registration.birth_date):
            self.fields["photo_consent"] = consent_checkbox(
                consent_texts.consent_text(consent_texts.Topic.PHOTOS, audience=audience),
                initial=registration.photo_consent,
            )
        if consent_texts.Topic.SHARE_CONTACT in consent_texts.form_topics(registration.event):
            self.fields["share_contact_consent"] = consent_checkbox(
                consent_texts.consent_text(consent_texts.Topic.SHARE_CONTACT, audience=audience),
                required=False,
                initial=registration.share_contact_consent,
            )


class GuardianConsentForm(forms.Form):
    """A parent or guardian confirms a minor's place and decides on photos."""

    guardian_name = forms.CharField(label=_("Your name"), max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        parent = consent_texts.Audience.PARENT
        self.fields["confirm"] = consent_checkbox(
            consent_texts.consent_text(consent_texts.Topic.GUARDIAN, audience=parent),
            required=True,
            message=_("Please tick the box to confirm, or decline the place below."),
        )
        self.fields["photo_consent"] = consent_checkbox(
            consent_texts.consent_text(consent_texts.Topic.PHOTOS, audience=parent)
        )


def add_consent_fields(
    form: forms.Form, *, event: Event, audience: str, by_organiser: bool = False
) -> None:
    """The consent checkboxes `event` asks for, worded for `audience`, or for the organiser
    who confirms them on the person's behalf (consent_texts.py)."""
    Topic = consent_texts.Topic
    for topic in consent_texts.form_topics(event):
        label = consent_texts.consent_text(topic, audience=audience, by_organiser=by_organiser)
        if topic == Topic.PRIVACY:
            form.fields["privacy_consent"] = consent_checkbox(
                label,
                required=True,
                message=consent_texts.privacy_required_message(
                    audience=audience, by_organiser=by_organiser
                ),
            )
        elif topic == Topic.PHOTOS:
            form.fields["photo_consent"] = consent_checkbox(label)
        elif topic == Topic.SHARE_CONTACT:
            form.fields["share_contact_consent"] = consent_checkbox(label)


class RegistrationFilterForm(forms.Form):
    """The organiser's search and filters over one event's registrations."""

    query = forms.CharField(label=_("Search"), required=False)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All")), *Registration.Status.choices]
    )

    def __init__(self, *args, event: Event, **kwargs):
        super().__init__(*args, **kwargs)
        # A camp's days are not chosen: no registration has one to filter by.
        slots = [] if event.slots_are_days else list(event.time_slots.all())
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


class RegistrationChangeForm(forms.Form):
    """Self-service: a class's pupils and adults, the time slot, the workshops."""

    def __init__(self, *args, registration: Registration, **kwargs):
        super().__init__(*args, **kwargs)
        event = registration.event
        parts = queries.changeable_parts(registration)
        current = registration.time_slot_id
        chosen = set(registration.sessions.values_list("pk", flat=True))
        # Where the registration holds places now, they count as free for it.
        own = registration.headcount if registration.status in Registration.HOLDING else 0

        def for_it(left: int | None, is_current: bool) -> int | None:
            return left + own if left is not None and is_current else left

        if "size" in parts:
            self.fields["pupils"] = forms.IntegerField(
                label=_("Number of pupils"),
                min_value=1,
                max_value=MAX_PUPILS,
                initial=registration.pupils,
            )
            self.fields["adults"] = forms.IntegerField(
                label=_("Accompanying adults"),
                min_value=0,
                max_value=MAX_ADULTS,
                initial=registration.adults or 0,
            )
        if "slot" in parts:
            self.fields["time_slot"] = forms.TypedChoiceField(
                label=_("Arrival time slot"),
                coerce=int,
                widget=forms.RadioSelect,
                initial=registration.time_slot_id,
                help_text=_("In your current choice, your own places count as free."),
                choices=[
                    (
                        slot.pk,
                        _current(
                            _places_label(str(slot), for_it(left, slot.pk == current)),
                            slot.pk == current,
                        ),
                    )
                    for slot, left in queries.slot_places(event)
                ],
            )
        if "sessions" in parts:
            self.fields["sessions"] = forms.TypedMultipleChoiceField(
                label=_("Workshops"),
                coerce=int,
                required=False,
                widget=forms.CheckboxSelectMultiple,
                initial=sorted(chosen),
                help_text=_(
                    "Workshops at the same time exclude each other. In your current choice, "
                    "your own places count as free."
                ),
                choices=[
                    (
                        session.pk,
                        _current(
                            _places_label(
                                f"{session.title}, {hours(session.starts_at, session.ends_at)}",
                                for_it(left, session.pk in chosen),
                            ),
                            session.pk in chosen,
                        ),
                    )
                    for session, left in queries.session_places(event)
                ],
            )

    def change(self) -> dict:
        """The service's keyword arguments (a part the form does not show stays as it is)."""
        data = self.cleaned_data
        return {
            "pupils": data.get("pupils"),
            "adults": data.get("adults"),
            "time_slot_id": data.get("time_slot") or None,
            "session_ids": list(data["sessions"]) if "sessions" in self.fields else None,
        }


def _current(label: str, is_current: bool) -> str:
    return _("%(label)s – your current choice") % {"label": label} if is_current else label
