from django import forms
from django.utils.translation import gettext_lazy as _

from .models import EditionReport


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
