"""Organiser pages: every message of the organiser's events, with its state, to read."""

import re

import nh3
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from events_platform.access import is_organiser

from . import queries
from .attachments import QR_CONTENT_ID, render_attachment
from .forms import MessageFilterForm

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
