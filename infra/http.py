"""Answers that need no model: the language a request asks for, and a plain error answer.

Used by the core's API and calendar feeds and by infra's own middleware (database outage,
NUL bytes), so they live below all of them.
"""

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import translation


def request_language(request: HttpRequest) -> str:
    """The language asked for by ?lang=, else the cookie or Accept-Language, else German."""
    requested = request.GET.get("lang", "")
    if requested:
        try:
            return translation.get_supported_language_variant(requested)
        except LookupError:
            pass
    return translation.get_language_from_request(request)


def error_response(request, status: int, code: str, detail: str, page=None):
    """An error answer outside any API view: `{"code", "detail"}` JSON under /api/ (what the
    schema documents), else the page `page(request)` or a plain text answer."""
    if request.path.startswith("/api/"):
        return JsonResponse({"code": code, "detail": str(detail)}, status=status)
    if page is not None:
        return page(request)
    return HttpResponse(str(detail), status=status, content_type="text/plain; charset=utf-8")
