"""The public "Your data" pages: ask for a link by e-mail, see the data, download it, erase it.

Thin: the form checks shape, `subject_requests` does the work. The link pages carry the
encrypted token in their path; they are never cached, never indexed and send no Referer.
"""

import json
from datetime import date, datetime

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language, gettext_lazy, ngettext, pgettext
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dataprotection import registry, subject_requests
from events_platform import when
from events_platform.models import Organisation
from infra import ratelimit
from infra.errors import DomainError

WINDOW_SECONDS = 3600
# The version of the privacy notice below; registrations record the version agreed to
# (ticketing's RegistrationSettings.privacy_text_version, which defaults to the same).
PRIVACY_NOTICE_VERSION = "2026-01"


class DataLinkForm(forms.Form):
    email = forms.EmailField(
        label=gettext_lazy("E-mail address"),
        max_length=254,
        error_messages={
            "required": gettext_lazy("Please enter your e-mail address."),
            "invalid": gettext_lazy("Please enter a valid e-mail address, e.g. name@example.org."),
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email", "class": "kern-form-input__input"}),
    )

    def full_clean(self):
        super().full_clean()
        if "email" in self.errors:
            widget = self.fields["email"].widget
            widget.attrs["class"] = "kern-form-input__input kern-form-input__input--error"
            widget.attrs["aria-describedby"] = "id_email_error"
            widget.attrs["aria-invalid"] = "true"


class EraseForm(forms.Form):
    confirm = forms.BooleanField(
        label=gettext_lazy("I understand that my data will be erased and cannot be restored."),
        error_messages={"required": gettext_lazy("Please confirm that you want the erasure.")},
        widget=forms.CheckboxInput(attrs={"class": "kern-form-check__checkbox"}),
    )


def _limited(request, email: str) -> bool:
    per_email = settings.DATA_REQUEST_LIMIT_PER_EMAIL
    per_ip = settings.DATA_REQUEST_LIMIT_PER_IP
    key = subject_requests.email_hash(email)
    ip = ratelimit.client_ip(request)
    over_email = ratelimit.hit("data-link-email", key, limit=per_email, window=WINDOW_SECONDS)
    over_ip = ratelimit.hit("data-link-ip", ip, limit=per_ip, window=WINDOW_SECONDS)
    return over_email or over_ip


def _private(response: HttpResponse) -> HttpResponse:
    # As secret_links.SecretLinkMiddleware does for every secret-link page.
    response["Referrer-Policy"] = "no-referrer"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@require_GET
def privacy_notice(request):
    """The privacy notice people agree to when they register, with its version."""
    return render(
        request,
        "dataprotection/privacy_notice.html",
        {
            "version": PRIVACY_NOTICE_VERSION,
            "visitor_days": Organisation._meta.get_field("visitor_data_retention_days").default,
            # Each app says how long it keeps what (its privacy.py), so this names none.
            "retention": registry.retention_notice(),
        },
    )


@never_cache
@require_http_methods(["GET", "POST"])
def data_request(request):
    """Ask for the link to one's data; the answer is the same for known and unknown addresses."""
    form = DataLinkForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if not form.is_valid():
            status = 400
        elif _limited(request, form.cleaned_data["email"]):
            form.add_error(
                None,
                _("Too many requests. Please wait an hour and try again."),
            )
            status = 429
        else:
            subject_requests.queue_data_link(
                email=form.cleaned_data["email"],
                language=(get_language() or "de")[:2],
                now=timezone.now(),
            )
            return render(
                request,
                "dataprotection/data_request_sent.html",
                {"hours": subject_requests.link_hours()},
            )
    return render(
        request,
        "dataprotection/data_request.html",
        {"form": form, "hours": subject_requests.link_hours()},
        status=status,
    )


def _email_or_error(request, token: str):
    try:
        return subject_requests.email_from_token(token), None
    except DomainError as error:
        response = render(
            request,
            "dataprotection/data_link_invalid.html",
            {"message": error.message},
            status=404,
        )
        return None, _private(response)


@never_cache
@require_http_methods(["GET"])
def data_overview(request, token):
    """What is stored about the person, readable, with download and erasure."""
    email, error = _email_or_error(request, token)
    if error:
        return error
    return _overview(request, token=token, email=email, erase_form=EraseForm())


def _overview(request, *, token: str, email: str, erase_form: EraseForm):
    if erase_form.is_bound:
        # The same page again after a missing confirmation: shown, not logged a second time.
        sections = subject_requests.collect(subject_requests.normalise(email))
    else:
        sections = subject_requests.export_subject_data(email=email, now=timezone.now()).sections
    rows = [
        {
            "title": section.title,
            "kept_note": section.kept_note,
            "records": [
                [
                    _row(section.labels.get(name, name), value)
                    for name, value in item.items()
                    if not _empty(value)
                ]
                for item in section.records
            ],
        }
        for section in sections
    ]
    response = render(
        request,
        "dataprotection/data_overview.html",
        {
            "token": token,
            "email": email,
            "sections": rows,
            "has_data": bool(sections),
            "erase_form": erase_form,
        },
        status=400 if erase_form.errors else 200,
    )
    return _private(response)


def _empty(value) -> bool:
    """A field without a value: left out of the page (a returnee has no school, no guardian),
    kept in the download, which has every field."""
    return value is None or (isinstance(value, str | list | tuple | dict) and not value)


def _row(label: str, value) -> dict:
    """One line of a record as the page shows it: a link, a list of answers, or text."""
    if isinstance(value, subject_requests.Link):
        return {"label": label, "url": value.url, "text": value.text}
    if isinstance(value, dict) and value:
        return {"label": label, "pairs": [(str(key), _shown(item)) for key, item in value.items()]}
    return {"label": label, "text": _shown(value)}


def _shown(value) -> str:
    """A value as people read it, in the active language; times in Europe/Berlin."""
    if value is True:
        return _("Yes")
    if value is False:
        return _("No")
    if value in (None, "", [], {}):
        return "–"
    if isinstance(value, datetime):
        return when.moment(value) if timezone.is_aware(value) else str(value)
    if isinstance(value, date):
        return date_format(value, pgettext("event date", "j F Y"))
    if isinstance(value, list | tuple):
        return ", ".join(_shown(item) for item in value)
    if isinstance(value, dict):
        return "; ".join(f"{key}: {_shown(item)}" for key, item in value.items())
    return str(value)


@never_cache
@require_http_methods(["GET"])
def data_download(request, token):
    """The copy as a JSON file (machine-readable, GDPR Art. 20)."""
    email, error = _email_or_error(request, token)
    if error:
        return error
    copy = subject_requests.export_subject_data(email=email, now=timezone.now())
    response = HttpResponse(
        json.dumps(copy.as_json(), ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = 'attachment; filename="meine-daten.json"'
    return _private(response)


# The token in the address is the key (no session, no cookie), so a foreign site cannot forge
# this post without it; and with no-referrer the browser sends "Origin: null", which the CSRF
# check would refuse (see infra/secret_links.py).
@csrf_exempt
@never_cache
@require_POST
def data_erase(request, token):
    """Erase the person's data after they confirmed it."""
    email, error = _email_or_error(request, token)
    if error:
        return error
    form = EraseForm(request.POST)
    if not form.is_valid():
        # The page again, the error beside the box and in the summary above the form.
        return _overview(request, token=token, email=email, erase_form=form)
    counts = subject_requests.erase_subject_data(email=email, now=timezone.now())
    cancelled = counts.get("registrations_cancelled", 0)
    messages.success(request, _("Your data has been erased."))
    if cancelled:
        messages.info(
            request,
            ngettext(
                "%(count)s registration for a coming event was cancelled.",
                "%(count)s registrations for coming events were cancelled.",
                cancelled,
            )
            % {"count": cancelled},
        )
    return redirect("dataprotection:data-overview", token=token)
