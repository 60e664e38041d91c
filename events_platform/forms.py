"""Forms of the public site."""

from django import forms
from django.utils.translation import gettext_lazy as _

from infra.input_limits import EARLIEST, LATEST

from . import queries
from .models import Event


class EventFilterForm(forms.Form):
    """The calendar's filters, read from the query string; every field may stay empty."""

    q = forms.CharField(
        label=_("Search"), max_length=100, required=False, widget=forms.SearchInput()
    )
    town = forms.ChoiceField(
        label=_("Town"),
        required=False,
        error_messages={"invalid_choice": _("There are no events in this town.")},
    )
    kind = forms.ChoiceField(
        label=_("Kind of event"),
        required=False,
        choices=[("", _("All kinds")), *Event.Kind.choices],
        error_messages={"invalid_choice": _("This kind of event does not exist.")},
    )
    target_group = forms.ChoiceField(
        label=_("For whom"),
        required=False,
        error_messages={"invalid_choice": _("This target group does not exist.")},
    )
    date_from = forms.DateField(
        label=_("From"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Please enter a date such as 27.12.2026.")},
    )
    date_to = forms.DateField(
        label=_("Until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Please enter a date such as 27.12.2026.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["town"].choices = [("", _("All towns"))] + [
            (town, town) for town in queries.public_towns()
        ]
        self.fields["target_group"].choices = [("", _("Everyone"))] + [
            (group.slug, group.name) for group in queries.public_target_groups()
        ]
        for field in self.fields.values():
            is_select = isinstance(field.widget, forms.Select)
            field.widget.attrs["class"] = (
                "kern-form-input__select" if is_select else "kern-form-input__input"
            )

    def full_clean(self):
        super().full_clean()
        # Tie each message to its field, so screen readers read it with the field.
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                base = widget.attrs["class"].split()[0]
                widget.attrs["class"] = f"{base} {base}--error"
                widget.attrs["aria-describedby"] = f"id_{name}_error"
                widget.attrs["aria-invalid"] = "true"

    def _clean_day(self, name):
        day = self.cleaned_data.get(name)
        if day and not (EARLIEST <= day <= LATEST):
            raise forms.ValidationError(
                _("Please choose a date between %(first)s and %(last)s."),
                params={"first": EARLIEST.year, "last": LATEST.year},
                code="out_of_range",
            )
        return day

    def clean_date_from(self):
        return self._clean_day("date_from")

    def clean_date_to(self):
        return self._clean_day("date_to")

    def clean(self):
        cleaned = super().clean()
        date_from, date_to = cleaned.get("date_from"), cleaned.get("date_to")
        if date_from and date_to and date_to < date_from:
            self.add_error("date_to", _("The end date must not be before the start date."))
        return cleaned

    def to_filter(self) -> queries.EventFilter:
        """The valid filters only: a wrong value is reported and left out, never fatal."""
        data = getattr(self, "cleaned_data", {})
        return queries.EventFilter(
            town=data.get("town") or "",
            kind=data.get("kind") or "",
            target_group=data.get("target_group") or "",
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            query=(data.get("q") or "").strip(),
        )
