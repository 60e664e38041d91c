"""Forms of the organiser's message pages."""

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from events_platform.when import describe_event_time

from .models import Announcement, Message


class MessageFilterForm(forms.Form):
    """Filter the message list by event, state and a search term."""

    event = forms.ModelChoiceField(
        label=_("Event"), queryset=None, required=False, empty_label=_("All events")
    )
    state = forms.ChoiceField(
        label=_("State"), required=False, choices=[("", _("All states")), *Message.State.choices]
    )
    q = forms.CharField(label=_("Recipient or subject"), required=False, max_length=200)

    def __init__(self, *args, events=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["event"].queryset = events


# A first line that is only a salutation ("Liebe Besucherinnen und Besucher," "Dear all,"):
# the mail already starts with one, so the recipient would be greeted twice.
GREETING = re.compile(
    r"^\W*(liebe[rs]?|sehr geehrte[rs]?|hallo|guten tag|guten morgen|moin|servus|"
    r"dear|hello|hi|good (morning|afternoon|evening))\b[^.?:]*[,!]?\s*$",
    re.IGNORECASE,
)


class AnnouncementForm(forms.Form):
    """What an organiser writes and whom it goes to."""

    subject = forms.CharField(label=_("Subject"), max_length=200)
    body_markdown = forms.CharField(
        label=_("Text"),
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_(
            "Start with your message: the greeting with each recipient's name is added "
            "automatically. Separate paragraphs with an empty line; **bold**, *italic*, "
            "lists with - at the start of a line, links as [text](https://…)."
        ),
    )
    series = forms.ModelChoiceField(
        label=_("Series"), queryset=None, required=False, empty_label=_("No series")
    )
    events = forms.ModelMultipleChoiceField(
        label=_("Events"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )
    audiences = forms.MultipleChoiceField(
        label=_("Recipients"),
        choices=Announcement.Audience.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    language = forms.ChoiceField(
        label=_("Language of the recipients"),
        required=False,
        choices=[("", _("All languages")), ("de", _("German")), ("en", _("English"))],
    )

    checked_in = forms.ChoiceField(
        label=_("Check-in (visitors and waiting list)"),
        required=False,
        choices=[
            ("", _("Checked in or not")),
            ("yes", _("Only those checked in")),
            ("no", _("Only those not checked in")),
        ],
    )

    def __init__(self, *args, series=None, events=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["series"].queryset = series
        self.fields["events"].queryset = events
        self.fields["events"].label_from_instance = lambda event: (
            f"{event.title_with_town} ({describe_event_time(event)})"
        )

    def clean_body_markdown(self):
        body = self.cleaned_data["body_markdown"]
        first_line = body.strip().splitlines()[0] if body.strip() else ""
        if len(first_line) <= 80 and GREETING.match(first_line):
            raise forms.ValidationError(
                _(
                    "Please remove the greeting “%(line)s”: every recipient is greeted with "
                    "their own name automatically."
                )
                % {"line": first_line}
            )
        return body

    def clean(self):
        data = super().clean()
        if not data.get("series") and not data.get("events"):
            raise forms.ValidationError(_("Please choose a series or at least one event."))
        return data


class ScheduleForm(forms.Form):
    """Send now, or at a set time (Europe/Berlin)."""

    send_at = forms.DateTimeField(
        label=_("Send at (leave empty to send now)"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M"],
    )
