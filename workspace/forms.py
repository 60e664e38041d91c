"""Forms of the organiser's workspace: one event form per kind, its parts (venue, fair,
registration settings, reminders) and the formsets for slots, workshops, stops, questions."""

import re

from django import forms
from django.db.models import Q
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from events_platform.models import Event, EventSeries, Session, TargetGroup, TimeSlot, Venue
from fairs.models import Fair
from notifications.models import ReminderPlan
from notifications.reminders import EXHIBITORS, FAIR_KINDS, GUARDIANS, VISITORS
from ticketing import ages
from ticketing.models import (
    MAX_MEDICAL_NOTES_DAYS,
    ExcursionStop,
    Question,
    RegistrationSettings,
)
from ticketing.services import medical_notes_days

Kind = Event.Kind
DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


def datetime_widget() -> forms.DateTimeInput:
    return forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_FORMAT)


def _datetime_fields(form: forms.BaseForm) -> None:
    """Every date-and-time field of `form` is the browser's date-and-time picker."""
    for field in form.fields.values():
        if isinstance(field, forms.DateTimeField):
            field.widget = datetime_widget()
            field.input_formats = [DATETIME_FORMAT, "%Y-%m-%d %H:%M", "%d.%m.%Y %H:%M"]
            field.error_messages["invalid"] = _(
                "Please enter a date and time such as 27.12.2026 10:00."
            )


# The fields each kind shows beyond the ones every event has (titles, texts, series, venue,
# start and end, registration window, target groups). One place, read by the form and the
# template, so a kind never shows a field it does not use.
KIND_FIELDS: dict[str, list[str]] = {
    Kind.RETURNEE_DAY: ["capacity", "registration_required", "walk_ins_allowed"],
    Kind.APPRENTICESHIP_FAIR: ["capacity", "registration_required", "walk_ins_allowed"],
    Kind.CAMP: ["capacity", "same_hours_daily", "min_age", "max_age"],
    Kind.EXCURSION: ["capacity"],
    Kind.CONFERENCE: ["capacity"],
    Kind.COMPANY_VISIT: ["capacity"],
    Kind.WORKSHOP: ["capacity"],
}
COMMON_FIELDS = [
    "title_de",
    "title_en",
    "description_de",
    "description_en",
    "series",
    "venue",
    "starts_at",
    "ends_at",
    "registration_opens_at",
    "registration_closes_at",
    "target_groups",
]
# The parts of the page each kind has.
KIND_PARTS: dict[str, set[str]] = {
    Kind.RETURNEE_DAY: {"fair"},
    Kind.APPRENTICESHIP_FAIR: {"fair", "slots", "classes"},
    Kind.CAMP: {"guardians"},
    Kind.EXCURSION: {"excursion", "stops"},
    Kind.CONFERENCE: {"sessions"},
    Kind.COMPANY_VISIT: set(),
    Kind.WORKSHOP: set(),
}
# Hints that differ per kind (German first in the .po files).
KIND_HINTS: dict[str, dict[str, str]] = {
    Kind.RETURNEE_DAY: {
        "title_de": _("For example “Rückkehrertag 2026 in Delitzsch”: one event per site."),
        "capacity": _("Visitors who may pre-register. Walk-ins are counted at the door."),
    },
    Kind.APPRENTICESHIP_FAIR: {
        "capacity": _("Visitors in the hall at once, school classes included."),
    },
    Kind.CAMP: {
        "starts_at": _("The first day and the time the camp begins each day."),
        "ends_at": _("The last day and the time the camp ends each day."),
        "capacity": _("Places for children. When they are taken, a waiting list opens."),
        "same_hours_daily": _(
            "Tick this for a camp over several days: the times of the start and the end are "
            "then the hours of every day."
        ),
    },
    Kind.EXCURSION: {
        "capacity": _("Excursions are small: usually 8 to 15 people."),
    },
    Kind.CONFERENCE: {
        "capacity": _("Participants in total. Each workshop below has its own places."),
    },
    Kind.COMPANY_VISIT: {
        "title_de": _("Name the host company, for example “Zu Gast bei der Agrar GmbH”."),
    },
}


class EventForm(forms.ModelForm):
    """The event itself, with the fields of its kind only."""

    organisation = forms.ModelChoiceField(label=_("Organisation"), queryset=None, required=False)

    class Meta:
        model = Event
        fields = sorted({name for names in KIND_FIELDS.values() for name in names}) + (
            COMMON_FIELDS
        )
        widgets = {
            "target_groups": forms.CheckboxSelectMultiple,
            "description_de": forms.Textarea(attrs={"rows": 5}),
            "description_en": forms.Textarea(attrs={"rows": 5}),
        }

    def __init__(self, *args, kind: str, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        wanted = set(COMMON_FIELDS) | set(KIND_FIELDS[kind])
        if self.instance.pk or organisations.count() == 1:
            del self.fields["organisation"]
        else:
            self.fields["organisation"].queryset = organisations
            self.fields["organisation"].required = True
        for name in list(self.fields):
            if name != "organisation" and name not in wanted:
                del self.fields[name]
        org_filter = Q(organisation__in=organisations)
        self.fields["series"].queryset = EventSeries.objects.filter(org_filter)
        self.fields["series"].empty_label = _("No series")
        self.fields["venue"].queryset = Venue.objects.filter(org_filter)
        self.fields["venue"].required = False
        self.fields["venue"].empty_label = _("A new venue (enter it below)")
        self.fields["venue"].label = _("Pick a venue")
        self.fields["venue"].help_text = _("Pick a venue, or leave this and enter a new one.")
        self.fields["target_groups"].queryset = TargetGroup.objects.all()
        self.fields["target_groups"].required = False
        if not self.fields["target_groups"].queryset.exists():
            del self.fields["target_groups"]  # none defined on the platform yet
        self.fields["title_en"].help_text = _("Empty: the German title is shown.")
        if kind == Kind.CAMP:
            self.fields["same_hours_daily"].initial = True
        for name, hint in KIND_HINTS.get(kind, {}).items():
            if name in self.fields:
                self.fields[name].help_text = hint
        _datetime_fields(self)

    def clean(self):
        data = super().clean()
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if starts and ends and ends < starts:
            self.add_error("ends_at", _("The end must not be before the start."))
        opens, closes = data.get("registration_opens_at"), data.get("registration_closes_at")
        if opens and closes and closes < opens:
            self.add_error(
                "registration_closes_at", _("Registration must not close before it opens.")
            )
        # Series and venue belong to the event's organisation (an organiser of several
        # organisations sees the choices of all of them).
        organisation = data.get("organisation") or (
            self.instance.organisation if self.instance.organisation_id else None
        )
        for name in ("series", "venue"):
            chosen = data.get(name)
            if organisation and chosen and chosen.organisation_id != organisation.pk:
                self.add_error(name, _("This belongs to another of your organisations."))
        low, high = data.get("min_age"), data.get("max_age")
        if low is not None and high is not None and high < low:
            self.add_error("max_age", _("The maximum age must not be below the minimum age."))
        return data

    def save(self, commit=True):
        event = super().save(commit=False)
        event.kind = self.kind
        if not event.slug:
            event.slug = unique_slug(event.title_de, starts=event.starts_at)
        if commit:
            event.save()
            self.save_m2m()
        return event


def unique_slug(title: str, *, starts) -> str:
    """A short name for the address from the title and the year, unique among events."""
    base = slugify(title)[:140] or "veranstaltung"
    if starts and str(starts.year) not in base:
        base = f"{base}-{starts.year}"
    slug, number = base, 2
    while Event.objects.filter(slug=slug).exists():
        slug, number = f"{base}-{number}", number + 1
    return slug


def _decimal_comma(field: forms.DecimalField) -> None:
    """A number with decimals shown and read in the page's language (7,50 in German); a dot
    is read too, as people copy coordinates and prices."""
    field.localize = True
    field.widget.is_localized = True
    field.widget.input_type = "text"
    field.widget.attrs["inputmode"] = "decimal"
    field.widget.attrs.pop("step", None)


class VenueForm(forms.ModelForm):
    """A new venue typed on the event page (used only when no venue is picked)."""

    class Meta:
        model = Venue
        fields = ["name", "street", "postcode", "town", "latitude", "longitude"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["latitude"].help_text = _("For the map, for example 51.5262 (Delitzsch).")
        self.fields["longitude"].help_text = _("For the map, for example 12.3425.")
        for name in ("latitude", "longitude"):
            _decimal_comma(self.fields[name])
        for field in self.fields.values():
            field.required = False

    def is_empty(self) -> bool:
        return not any(self.data.get(self.add_prefix(name), "").strip() for name in self.fields)

    def clean(self):
        data = super().clean()
        for name in ("name", "town"):
            if not data.get(name):
                self.add_error(name, _("Please fill in this field."))
        typed_well = "latitude" not in self.errors and "longitude" not in self.errors
        if typed_well and (data.get("latitude") is None) != (data.get("longitude") is None):
            self.add_error("longitude", _("Please enter both coordinates, or neither."))
        return data


class FairForm(forms.ModelForm):
    """The exhibitor side: booking window, set-up and tear-down, extras and their prices."""

    class Meta:
        model = Fair
        fields = [
            "booking_opens_at",
            "booking_closes_at",
            "cancellation_deadline",
            "setup_starts_at",
            "setup_ends_at",
            "teardown_starts_at",
            "teardown_ends_at",
            "max_exhibitors",
            "max_staff_passes_per_stand",
            "power_price",
            "table_price",
            "chair_price",
            "parking_pass_price",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _datetime_fields(self)
        self.fields["max_exhibitors"].help_text = _("Empty: as many as there are stands.")
        for field in self.fields.values():
            if isinstance(field, forms.DecimalField):
                _decimal_comma(field)

    def clean(self):
        data = super().clean()
        for first, last in (
            ("setup_starts_at", "setup_ends_at"),
            ("teardown_starts_at", "teardown_ends_at"),
            ("booking_opens_at", "booking_closes_at"),
        ):
            if data.get(first) and data.get(last) and data[last] < data[first]:
                self.add_error(last, _("This must not be before the start above."))
        return data


class RegistrationSettingsForm(forms.ModelForm):
    """The registration rules of the kind: guardians for a camp, classes for a fair, the
    meeting point of an excursion."""

    PART_FIELDS = {
        "guardians": ["guardian_required_under", "medical_notes_retention_days", "offer_hours"],
        "classes": ["allow_school_classes", "offer_hours"],
        "excursion": ["meeting_point", "departure_at", "offer_hours"],
    }

    class Meta:
        model = RegistrationSettings
        fields = [
            "guardian_required_under",
            "medical_notes_retention_days",
            "allow_school_classes",
            "meeting_point",
            "departure_at",
            "offer_hours",
        ]

    def __init__(self, *args, parts: set[str], **kwargs):
        super().__init__(*args, **kwargs)
        wanted = {name for part in parts for name in self.PART_FIELDS.get(part, [])}
        wanted.add("offer_hours")
        for name in list(self.fields):
            if name not in wanted:
                del self.fields[name]
        if "guardian_required_under" in self.fields:
            self.fields["guardian_required_under"].help_text = _(
                "Age in years, for example 16. Empty: a guardian confirms for every child under "
                "%(age)s."
            ) % {"age": ages.AGE_OF_MAJORITY}
        if "medical_notes_retention_days" in self.fields:
            days = medical_notes_days()
            field = self.fields["medical_notes_retention_days"]
            field.label = _("Erase medical notes and emergency contacts after (days)")
            field.help_text = ngettext(
                "Days after the camp ends, at most %(max)s. Empty: after %(days)s day, as "
                "set for the platform.",
                "Days after the camp ends, at most %(max)s. Empty: after %(days)s days, as "
                "set for the platform.",
                days,
            ) % {"days": days, "max": MAX_MEDICAL_NOTES_DAYS}
            field.widget.attrs["placeholder"] = str(days)
        if "allow_school_classes" in self.fields:
            self.fields["allow_school_classes"] = forms.BooleanField(
                label=_("School classes may register with their teacher"),
                required=False,
            )
            # Empty on the model means "yes" for a fair: show it ticked, so saving keeps it.
            if self.instance.allow_school_classes is None:
                self.initial["allow_school_classes"] = True
        if "meeting_point" in self.fields:
            self.fields["meeting_point"].help_text = _(
                "Where the group meets, for example “Leipzig Hauptbahnhof, Gleis 5”."
            )
        self.fields["offer_hours"].help_text = _(
            "When a place becomes free, the next person on the waiting list has this long "
            "to accept it."
        )
        _datetime_fields(self)


# A reminder before the start, in either language's words: "1 Tag", "3 Tage", "1t", "2 Std.",
# "2 Stunden", "1d", "2h", "1 day", "2 hours". Stored as "1d" / "2h" (ReminderPlan.offsets).
OFFSET = re.compile(
    r"^(?P<number>\d{1,3})\s*(?:(?P<days>d|t|tag|tage|day|days)|"
    r"(?P<hours>h|std\.?|stunde|stunden|hour|hours))$"
)


def parse_offset(text: str) -> str | None:
    """ "2 Stunden" → "2h"; None when it is neither days nor hours."""
    match = OFFSET.match(text.strip().lower())
    if match is None:
        return None
    return f"{int(match['number'])}{'d' if match['days'] else 'h'}"


def describe_offset(offset: str) -> str:
    """ "2h" → "2 Stunden" / "2 hours", in the active language."""
    number = int(offset[:-1])
    if offset.endswith("d"):
        return ngettext("%(n)d day", "%(n)d days", number) % {"n": number}
    return ngettext("%(n)d hour", "%(n)d hours", number) % {"n": number}


class ReminderForm(forms.Form):
    """The reminders before the start, per audience of the kind, and what to bring."""

    visitors = forms.CharField(label=_("Reminders to participants"), required=False)
    exhibitors = forms.CharField(label=_("Reminders to exhibitors"), required=False)
    guardians = forms.CharField(label=_("Reminders to parents and guardians"), required=False)
    what_to_bring_de = forms.CharField(
        label=_("What to bring (German)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    what_to_bring_en = forms.CharField(
        label=_("What to bring (English)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, kind: str, plan: ReminderPlan | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        audiences = self.audiences(kind)
        for name in (VISITORS, EXHIBITORS, GUARDIANS):
            if name not in audiences:
                del self.fields[name]
            else:
                self.fields[name].help_text = _(
                    "Days or hours before the start, separated by commas, for example "
                    "“1 day, 2 hours”. Empty: the usual reminders for this kind of event."
                )
        if plan is not None:
            for name in audiences:
                self.fields[name].initial = ", ".join(
                    describe_offset(offset) for offset in plan.offsets.get(name, [])
                )
            self.fields["what_to_bring_de"].initial = plan.what_to_bring_de
            self.fields["what_to_bring_en"].initial = plan.what_to_bring_en

    @staticmethod
    def audiences(kind: str) -> list[str]:
        if kind == Kind.CAMP:
            return [GUARDIANS]
        if kind in FAIR_KINDS:
            return [VISITORS, EXHIBITORS]
        return [VISITORS]

    def _clean_offsets(self, name: str) -> list[str]:
        raw = self.cleaned_data.get(name, "")
        parts = [part.strip() for part in raw.split(",") if part.strip()]
        offsets = [parse_offset(part) for part in parts]
        if None in offsets:
            raise forms.ValidationError(
                _("Please write each reminder as days or hours, for example “1 day, 2 hours”.")
            )
        return offsets

    def clean_visitors(self):
        return self._clean_offsets(VISITORS)

    def clean_exhibitors(self):
        return self._clean_offsets(EXHIBITORS)

    def clean_guardians(self):
        return self._clean_offsets(GUARDIANS)

    def offsets(self) -> dict[str, list[str]]:
        return {
            name: self.cleaned_data[name]
            for name in (VISITORS, EXHIBITORS, GUARDIANS)
            if name in self.fields and self.cleaned_data.get(name)
        }


def _ends_after_start(form: forms.BaseForm, data: dict) -> dict:
    if data.get("starts_at") and data.get("ends_at") and data["ends_at"] < data["starts_at"]:
        form.add_error("ends_at", _("The end must not be before the start."))
    return data


class TimeSlotForm(forms.ModelForm):
    class Meta:
        model = TimeSlot
        fields = ["label", "starts_at", "ends_at", "capacity"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _datetime_fields(self)
        self.fields["label"].help_text = _("For example “Arrival 9 o'clock”.")

    def clean(self):
        return _ends_after_start(self, super().clean())


class SessionForm(forms.ModelForm):
    class Meta:
        model = Session
        fields = ["title_de", "title_en", "speaker", "room", "starts_at", "ends_at", "capacity"]
        # The event page shows the room as typed here.
        help_texts = {"room": _("As it is called on site, for example “Raum 3” or “Aula”.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _datetime_fields(self)

    def clean(self):
        return _ends_after_start(self, super().clean())


class ExcursionStopForm(forms.ModelForm):
    class Meta:
        model = ExcursionStop
        fields = ["position", "school", "town", "arrives_at"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _datetime_fields(self)


class QuestionForm(forms.ModelForm):
    class Meta:
        model = Question
        fields = [
            "position",
            "kind",
            "label_de",
            "label_en",
            "choices_de",
            "choices_en",
            "required",
        ]
        widgets = {
            "choices_de": forms.Textarea(attrs={"rows": 3}),
            "choices_en": forms.Textarea(attrs={"rows": 3}),
        }

    def clean(self):
        data = super().clean()
        needs_choices = data.get("kind") in (Question.Kind.CHOICE, Question.Kind.MULTIPLE)
        if needs_choices and not (data.get("choices_de") or "").strip():
            self.add_error("choices_de", _("Please enter the choices, one per line."))
        return data


def _formset(form, model, label):
    formset = forms.inlineformset_factory(
        Event, model, form=form, extra=1, can_delete=True, max_num=60, validate_max=True
    )
    formset.part_label = label
    return formset


FORMSETS = {
    "slots": _formset(TimeSlotForm, TimeSlot, _("Time slots for school classes")),
    "sessions": _formset(SessionForm, Session, _("Workshops")),
    "stops": _formset(ExcursionStopForm, ExcursionStop, _("Stops (schools visited)")),
    "questions": _formset(QuestionForm, Question, _("Questions at registration")),
}


def formset_names(kind: str) -> list[str]:
    """The formsets the page of `kind` shows, in order."""
    return [name for name in ("slots", "sessions", "stops") if name in KIND_PARTS[kind]] + [
        "questions"
    ]


class EventFilterForm(forms.Form):
    """The organiser's event list: search by name, filter by date, kind and status."""

    UPCOMING, PAST, ALL = "upcoming", "past", "all"

    q = forms.CharField(label=_("Search"), max_length=100, required=False)
    when = forms.ChoiceField(
        label=_("When"),
        required=False,
        initial=UPCOMING,
        choices=[(UPCOMING, _("Today and coming up")), (PAST, _("Past")), (ALL, _("All dates"))],
    )
    kind = forms.ChoiceField(
        label=_("Kind of event"), required=False, choices=[("", _("All kinds")), *Kind.choices]
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Every status")), *Event.Status.choices],
    )


class SeriesForm(forms.ModelForm):
    organisation = forms.ModelChoiceField(label=_("Organisation"), queryset=None, required=False)

    def __init__(self, *args, organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk or organisations is None or organisations.count() < 2:
            del self.fields["organisation"]
        else:
            self.fields["organisation"].queryset = organisations
            self.fields["organisation"].required = True

    class Meta:
        model = EventSeries
        fields = ["title_de", "title_en", "description_de", "description_en"]
        widgets = {
            "description_de": forms.Textarea(attrs={"rows": 4}),
            "description_en": forms.Textarea(attrs={"rows": 4}),
        }
