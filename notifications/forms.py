"""Forms of the organiser's message pages."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Message


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
