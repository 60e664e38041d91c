"""The organiser's forms (survey, section, question) and the answering form of one section."""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from events_platform.models import EventSeries

from . import services
from .models import Choice, Question, Section, Survey

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class SurveyForm(forms.ModelForm):
    class Meta:
        model = Survey
        fields = list(services.SURVEY_FIELDS)
        widgets = {
            "opens_at": DATETIME,
            "closes_at": DATETIME,
            "intro_de": forms.Textarea(attrs={"rows": 4}),
            "intro_en": forms.Textarea(attrs={"rows": 4}),
            "emails": forms.Textarea(attrs={"rows": 4}),
        }

    minutes = forms.IntegerField(label=gettext_lazy("Minutes it takes"), min_value=1, max_value=120)

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["series"].queryset = EventSeries.objects.filter(organisation=organisation)
        self.fields["series"].required = False
        self.fields["audience"].widget = forms.RadioSelect(choices=Survey.Audience.choices)
        state = self.instance.state if self.instance.pk else Survey.State.DRAFT
        if state != Survey.State.DRAFT:
            for name in list(self.fields):
                if name not in services.OPEN_FIELDS:
                    del self.fields[name]

    def clean_emails(self):
        lines = [line.strip() for line in self.cleaned_data["emails"].splitlines()]
        bad = []
        validator = forms.EmailField()
        for line in lines:
            if line:
                try:
                    validator.clean(line)
                except forms.ValidationError:
                    bad.append(line)
        if bad:
            raise forms.ValidationError(
                _("These are not e-mail addresses: %(lines)s") % {"lines": ", ".join(bad[:5])}
            )
        return "\n".join(line for line in lines if line)

    def clean(self):
        data = super().clean()
        opens, closes = data.get("opens_at"), data.get("closes_at")
        if opens and closes and closes <= opens:
            self.add_error("closes_at", _("The survey must close after it opens."))
        audience = data.get("audience")
        if audience == Survey.Audience.SERIES and not data.get("series"):
            self.add_error("series", _("Please choose the series whose exhibitors are asked."))
        if audience == Survey.Audience.LIST and not data.get("emails"):
            self.add_error("emails", _("Please enter at least one e-mail address."))
        return data


class SectionForm(forms.ModelForm):
    class Meta:
        model = Section
        fields = ["title_de", "title_en"]


class SectionEditForm(forms.ModelForm):
    class Meta:
        model = Section
        fields = ["title_de", "title_en", "position"]


class QuestionForm(forms.ModelForm):
    class Meta:
        model = Question
        fields = [
            "kind", "text_de", "text_en", "help_de", "help_en", "required", "allow_other",
            "condition_choice", "position",
        ]  # fmt: skip

    choices_text = forms.CharField(
        label=gettext_lazy("Answer options"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=gettext_lazy(
            "For single and multiple choice: one option per line, German first, then "
            "“|” and English (Handwerk | Crafts)."
        ),
    )

    def __init__(self, *args, survey, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["position"].required = False
        if not self.instance.pk:
            del self.fields["position"]
        earlier = Choice.objects.filter(question__section__survey=survey).select_related("question")
        if self.instance.pk:
            earlier = earlier.exclude(question=self.instance)
        self.fields["condition_choice"].queryset = earlier
        self.fields["condition_choice"].label_from_instance = lambda choice: (
            f"{choice.question.text_de} → {choice.label_de}"
        )
        self.fields["condition_choice"].empty_label = _("Always show this question")
        if self.instance.pk and not self.is_bound:
            self.initial["choices_text"] = "\n".join(
                f"{c.label_de} | {c.label_en}" if c.label_en else c.label_de
                for c in self.instance.choices.all()
            )

    def clean(self):
        data = super().clean()
        choices = []
        for line in (data.get("choices_text") or "").splitlines():
            if line.strip():
                german, _bar, english = line.partition("|")
                choices.append((german.strip()[:200], english.strip()[:200]))
        data["choices"] = choices
        kind = data.get("kind")
        if kind in (Question.Kind.SINGLE, Question.Kind.MULTIPLE) and len(choices) < 2:
            self.add_error("choices_text", _("Please enter at least two answer options."))
        return data


class AnswerForm(forms.Form):
    """The questions of one section that are shown (conditions met), as fields named by
    question id; an "other" option brings a text field of its own."""

    OTHER = "other"

    def __init__(self, *args, questions, draft, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions
        for question in questions:
            self._add(question, draft.get(str(question.pk), {}))

    def _add(self, question: Question, value: dict) -> None:
        name = f"q{question.pk}"
        common = {
            # Required questions say so in their label; the check is the form's own (clean).
            "label": f"{question.text} ({_('required')})" if question.required else question.text,
            "required": False,
            "help_text": question.help,
        }
        kind = question.kind
        if question.has_choices:
            options = [(str(c.pk), c.label) for c in question.choices.all()]
            if question.allow_other:
                options.append((self.OTHER, _("Other")))
            chosen = [str(pk) for pk in value.get("choices", [])]
            if value.get("other"):
                chosen.append(self.OTHER)
            if kind == Question.Kind.MULTIPLE:
                field = forms.MultipleChoiceField(
                    choices=options, widget=forms.CheckboxSelectMultiple, **common
                )
                self.initial[name] = chosen
            else:
                field = forms.ChoiceField(choices=options, widget=forms.RadioSelect, **common)
                self.initial[name] = chosen[0] if chosen else None
            self.fields[name] = field
            if question.allow_other:
                self.fields[f"{name}_other"] = forms.CharField(
                    label=_("Other, namely"), required=False, max_length=500
                )
                self.initial[f"{name}_other"] = value.get("other", "")
        elif kind == Question.Kind.SCALE:
            self.fields[name] = forms.TypedChoiceField(
                choices=[(str(n), str(n)) for n in range(1, 6)],
                coerce=int,
                widget=forms.RadioSelect,
                **{**common, "help_text": question.help or _("1 = not at all, 5 = very much")},
            )
            self.initial[name] = str(value["number"]) if value.get("number") else None
        elif kind == Question.Kind.NUMBER:
            self.fields[name] = forms.IntegerField(min_value=0, max_value=1_000_000, **common)
            self.initial[name] = value.get("number")
        else:
            widget = forms.Textarea(attrs={"rows": 5}) if kind == Question.Kind.LONG else None
            self.fields[name] = forms.CharField(
                max_length=2000 if widget else 300, widget=widget, **common
            )
            self.initial[name] = value.get("text", "")
        self.fields[name].question = question

    def clean(self):
        data = super().clean()
        for question in self.questions:
            name = f"q{question.pk}"
            value = data.get(name)
            other = (data.get(f"{name}_other") or "").strip()
            chose_other = value == self.OTHER or (isinstance(value, list) and self.OTHER in value)
            if chose_other and not other:
                self.add_error(f"{name}_other", _("Please say what “other” means here."))
            empty = value in (None, "", []) and not other
            if question.required and empty and name not in self.errors:
                self.add_error(name, _("Please answer this question."))
        return data

    def values(self) -> dict:
        """What was answered, by question id, in the draft's shape."""
        found = {}
        for question in self.questions:
            name = f"q{question.pk}"
            value = self.cleaned_data.get(name)
            entry: dict = {}
            if question.has_choices:
                chosen = value if isinstance(value, list) else ([value] if value else [])
                entry["choices"] = [int(pk) for pk in chosen if pk != self.OTHER]
                other = (self.cleaned_data.get(f"{name}_other") or "").strip()
                if other and (self.OTHER in chosen or not chosen):
                    entry["other"] = other
                if not entry["choices"]:
                    del entry["choices"]
            elif question.kind in (Question.Kind.SCALE, Question.Kind.NUMBER):
                if value is not None and value != "":
                    entry["number"] = int(value)
            elif value:
                entry["text"] = value.strip()
            if entry:
                found[question.pk] = entry
        return found
