from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .models import EditionReport

# The title page names at most this many funders, each on one line of this length.
MAX_FUNDERS = 8
MAX_FUNDER_LENGTH = 150


class EditionReportForm(forms.ModelForm):
    """The funders and the text of an edition's report."""

    class Meta:
        model = EditionReport
        fields = ["funders", "text"]
        labels = {
            "funders": _("Funders (one per line)"),
            "text": _("Your text for the funders"),
        }
        help_texts = {
            "funders": _("Named on the title page of the report."),
            "text": _("A few sentences about the edition, at the end of the report."),
        }
        widgets = {
            "funders": forms.Textarea(attrs={"rows": 3, "maxlength": 1000}),
            "text": forms.Textarea(attrs={"rows": 6, "maxlength": 4000}),
        }

    def clean_funders(self) -> str:
        funders = self.cleaned_data["funders"]
        names = [line.strip() for line in funders.splitlines() if line.strip()]
        if len(names) > MAX_FUNDERS:
            raise forms.ValidationError(
                ngettext(
                    "Please name at most %(max)s funder, one per line.",
                    "Please name at most %(max)s funders, one per line.",
                    MAX_FUNDERS,
                )
                % {"max": MAX_FUNDERS}
            )
        if any(len(name) > MAX_FUNDER_LENGTH for name in names):
            raise forms.ValidationError(
                _("Please keep each funder's name under %(max)s characters.")
                % {"max": MAX_FUNDER_LENGTH}
            )
        return "\n".join(names)
