"""Organiser pages: every message of the organiser's events, with its state, to read."""

import re

import nh3
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from events_platform.access import (
    is_organiser,
    organisations_for,
    organiser_events,
    organiser_series,
    scope_to_organiser,
)
from events_platform.queries import coming_first
from infra import secret_box
from infra.errors import DomainError

from . import announcements, queries
from .attachments import QR_CONTENT_ID, render_attachment
from .forms import AnnouncementForm, MessageFilterForm, ScheduleForm
from .models import Announcement
from .rendering import local_datetime

MESSAGES_PER_PAGE = 50
PREVIEW_TAGS = {
    "p", "br", "a", "strong", "em", "ul", "ol", "li", "h2", "h3", "h4", "blockquote", "code",
    "pre", "hr", "table", "tbody", "tr", "th", "td", "img", "div",
}  # fmt: skip
PREVIEW_ATTRIBUTES = {
    "a": {"href"},
    "img": {"src", "alt", "width", "height"},
    "th": {"scope"},
}


def _organiser_messages(request):
    if not is_organiser(request.user):
        raise Http404
    return queries.organiser_messages(request.user)


@login_required
@require_GET
def message_list(request):
    messages = _organiser_messages(request)
    form = MessageFilterForm(request.GET or None, events=queries.message_events(request.user))
    if form.is_valid():
        data = form.cleaned_data
        messages = queries.filter_messages(
            messages,
            event_id=data["event"].pk if data["event"] else None,
            state=data["state"],
            search=data["q"].strip(),
        )
    page = Paginator(messages, MESSAGES_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "notifications/message_list.html",
        {"form": form, "page": page, "query_string": query.urlencode()},
    )


def preview_html(message) -> str:
    """The message's HTML body for reading inside the page: body only, sanitised, with the
    inline QR image pointed at its attachment address."""
    match = re.search(r"<body[^>]*>(.*)</body>", message.body_html, re.S)
    body = match.group(1) if match else message.body_html
    for index, spec in enumerate(message.attachments):
        if spec.get("kind") == "ticket_qr":
            url = reverse(
                "notifications:message-attachment", kwargs={"pk": message.pk, "index": index}
            )
            body = body.replace(f"cid:{QR_CONTENT_ID}", url)
    return nh3.clean(
        body, tags=PREVIEW_TAGS, attributes=PREVIEW_ATTRIBUTES, link_rel="noopener noreferrer"
    )


@login_required
@require_GET
def message_detail(request, pk: int):
    message = get_object_or_404(_organiser_messages(request), pk=pk)
    attachments = [
        {"index": index, "filename": spec.get("filename", ""), "kind": spec.get("kind")}
        for index, spec in enumerate(message.attachments)
    ]
    return render(
        request,
        "notifications/message_detail.html",
        {"message": message, "preview": preview_html(message), "attachments": attachments},
    )


@login_required
@require_GET
def message_attachment(request, pk: int, index: int):
    message = get_object_or_404(_organiser_messages(request), pk=pk)
    if index >= len(message.attachments):
        raise Http404
    attachment = render_attachment(message.attachments[index], language=message.language)
    if attachment is None:
        raise Http404
    response = HttpResponse(attachment.content, content_type=attachment.mimetype)
    disposition = "inline" if attachment.mimetype.startswith("image/") else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{attachment.filename}"'
    return response


# --- Announcements ------------------------------------------------------------------------

ANNOUNCEMENT_LOG_PER_PAGE = 100


def _organiser_announcements(request):
    if not is_organiser(request.user):
        raise Http404
    return scope_to_organiser(request.user, Announcement.objects.all())


@login_required
@require_GET
def announcement_list(request):
    items = _organiser_announcements(request).select_related("series")
    return render(request, "notifications/announcement_list.html", {"announcements": items})


@login_required
@require_http_methods(["GET", "POST"])
def announcement_create(request):
    _organiser_announcements(request)
    organisations = organisations_for(request.user)
    form = AnnouncementForm(
        request.POST or None,
        series=organiser_series(request.user),
        events=coming_first(
            organiser_events(request.user).select_related("venue"), now=timezone.now()
        ),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        organisation = (
            data["series"].organisation
            if data["series"]
            else data["events"][0].organisation
            if data["events"]
            else organisations.first()
        )
        try:
            announcement = announcements.create_announcement(
                organisation=organisation,
                by=request.user,
                subject=data["subject"],
                body_markdown=data["body_markdown"],
                series=data["series"],
                events=list(data["events"]),
                audiences=data["audiences"],
                language=data["language"],
                filters=({"checked_in": data["checked_in"] == "yes"} if data["checked_in"] else {}),
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            return redirect("notifications:announcement-detail", pk=announcement.pk)
    return render(request, "notifications/announcement_form.html", {"form": form})


def _announcement_context(request, announcement) -> dict:
    people = (
        announcements.audience(announcement)
        if announcement.state in ("draft", "scheduled")
        else None
    )
    # The preview shows what a recipient gets (their greeting and footer), not the organiser.
    sample = announcements.sample_recipient(announcement, people if people is not None else [])
    preview = announcements.render_announcement(
        announcement,
        language=sample.language,
        person=sample,
        email=sample.email or "recipient@example.org",
    )
    # The log shows addresses and states: rows not yet composed are not composed for it.
    log = Paginator(
        announcement.messages.defer("context").order_by("to_email"), ANNOUNCEMENT_LOG_PER_PAGE
    ).get_page(request.GET.get("page"))
    return {
        "announcement": announcement,
        "recipient_count": len(people) if people is not None else announcement.recipient_count,
        "preview": _clean_preview(preview.html),
        "preview_for": sample,
        "progress": announcements.progress(announcement),
        "schedule_form": ScheduleForm(),
        "log": log,
        "events": announcements.audience_events(announcement).select_related("venue"),
    }


def _clean_preview(html: str) -> str:
    match = re.search(r"<body[^>]*>(.*)</body>", html, re.S)
    body = match.group(1) if match else html
    return nh3.clean(
        body, tags=PREVIEW_TAGS, attributes=PREVIEW_ATTRIBUTES, link_rel="noopener noreferrer"
    )


@login_required
@require_GET
def announcement_detail(request, pk: int):
    announcement = get_object_or_404(_organiser_announcements(request), pk=pk)
    return render(
        request,
        "notifications/announcement_detail.html",
        _announcement_context(request, announcement),
    )


@login_required
@require_POST
def announcement_test(request, pk: int):
    announcement = get_object_or_404(_organiser_announcements(request), pk=pk)
    if not request.user.email:
        messages.error(request, _("Your account has no e-mail address for the test."))
    else:
        announcements.send_test_announcement(
            announcement=announcement,
            to_email=request.user.email,
            now=timezone.now(),
            by=request.user,
        )
        messages.success(
            request, _("A test was sent to %(email)s.") % {"email": request.user.email}
        )
    return redirect("notifications:announcement-detail", pk=pk)


@login_required
@require_POST
def announcement_send(request, pk: int):
    announcement = get_object_or_404(_organiser_announcements(request), pk=pk)
    form = ScheduleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please enter a valid date and time."))
        return redirect("notifications:announcement-detail", pk=pk)
    now = timezone.now()
    try:
        announcement = announcements.schedule_announcement(
            announcement=announcement,
            send_at=form.cleaned_data["send_at"],
            now=now,
            by=request.user,
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        if announcement.send_at > now:
            messages.success(
                request,
                _("The announcement will be sent on %(when)s.")
                % {"when": local_datetime(announcement.send_at)},
            )
        else:
            messages.success(request, _("The announcement is being sent."))
    return redirect("notifications:announcement-detail", pk=pk)


@login_required
@require_GET
def announcement_progress(request, pk: int):
    announcement = get_object_or_404(_organiser_announcements(request), pk=pk)
    return render(
        request,
        "notifications/_announcement_progress.html",
        {"announcement": announcement, "progress": announcements.progress(announcement)},
    )


# --- Unsubscribe (no login: a signed token) -----------------------------------------------


@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token: str):
    """GET: a page that asks to confirm. POST: unsubscribe (RFC 8058 one-click, no CSRF)."""
    try:
        email = announcements.email_from_token(token)
    except secret_box.InvalidToken:
        raise Http404 from None
    if request.method == "POST":
        announcements.unsubscribe(email=email)
        return render(request, "notifications/unsubscribed.html", {"email": email})
    return render(
        request, "notifications/unsubscribe_confirm.html", {"email": email, "token": token}
    )
