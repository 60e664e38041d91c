"""The application form of the job wall and the company's answer form."""

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from infra.errors import InvalidInput

from .models import Application
from .pdfcheck import check_pdf

PDF_WIDGET = {"accept": "application/pdf,.pdf"}


class ApplicationForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Your name"), max_length=200)
    email = forms.EmailField(
        label=gettext_lazy("E-mail address"),
        help_text=gettext_lazy("The company answers to this address; you get a receipt there."),
    )
    phone = forms.CharField(label=gettext_lazy("Phone (optional)"), max_length=40, required=False)
    message = forms.CharField(
        label=gettext_lazy("Your message to the company"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    cv = forms.FileField(label=gettext_lazy("CV (PDF)"), widget=forms.FileInput(attrs=PDF_WIDGET))
    letter = forms.FileField(
        label=gettext_lazy("Cover letter (PDF)"), widget=forms.FileInput(attrs=PDF_WIDGET)
    )
    consent = forms.BooleanField(label="")

    def __init__(self, *args, consent_text: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["consent"].label = consent_text
        self.fields["consent"].error_messages["required"] = _(
            "Please agree, so that we may pass your application to the company."
        )
        hint = _("A PDF of at most %(size)s and %(pages)s pages, without scripts.") % {
            "size": filesizeformat(settings.APPLICATIONS_MAX_PDF_BYTES),
            "pages": settings.APPLICATIONS_MAX_PDF_PAGES,
        }
        for name in ("cv", "letter"):
            self.fields[name].help_text = hint
        self.checked = {}

    def _pdf(self, name: str):
        upload = self.cleaned_data.get(name)
        if not upload:
            return upload
        if upload.size > settings.APPLICATIONS_MAX_PDF_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(limit)s. Please choose a smaller PDF.")
                % {"limit": filesizeformat(settings.APPLICATIONS_MAX_PDF_BYTES)}
            )
        try:
            self.checked[name] = check_pdf(upload.read())
        except InvalidInput as error:
            raise forms.ValidationError(
                _("%(reason)s Please choose another file.") % {"reason": error.message},
                code=str(error.code),
            ) from None
        return upload

    def clean_cv(self):
        return self._pdf("cv")

    def clean_letter(self):
        return self._pdf("letter")

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            # A browser never fills a file input again: say so, next to the fields and on top.
            again = _(
                "Your browser does not keep chosen files after an error: please choose your "
                "CV and cover letter again."
            )
            self.add_error(None, again)
            for name in ("cv", "letter"):
                self.fields[name].help_text = again
        return cleaned


class AnswerForm(forms.Form):
    status = forms.ChoiceField(
        label=gettext_lazy("Status"),
        choices=[
            (value, label)
            for value, label in Application.Status.choices
            if value != Application.Status.RECEIVED
        ],
    )
    body = forms.CharField(
        label=gettext_lazy("Message to the applicant"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=gettext_lazy("Sent by e-mail and shown on the applicant's page."),
    )


class SearchForm(forms.Form):
    q = forms.CharField(label=gettext_lazy("Search by name or e-mail"), required=False)
