"""A database that is briefly away (restart, failover) is a 503, not a 500.

A view that meets a lost or refused database connection answers 503 with `Retry-After`:
JSON `{"code": "database_unavailable", "detail": …}` under /api/, elsewhere a plain page in
the visitor's language that is rendered without the request (no context processors, no
session, no user: nothing on it may need the database). Nothing was committed by such a
request (its transaction failed), so the client can simply send it again.
"""

import logging

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from infra.http import request_language

from .errors import ErrorCode

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 5


def is_database_unavailable(exc: BaseException) -> bool:
    """A lost, refused or unusable database connection (or another passing database error)."""
    return isinstance(exc, OperationalError | InterfaceError)


def database_unavailable_response(request) -> HttpResponse:
    """503 with Retry-After: JSON under /api/, else the small translated page (503.html)."""
    if request.path.startswith("/api/"):
        # In the language of ?lang= or Accept-Language, like every answer of the API.
        with translation.override(request_language(request)):
            detail = _("The service is briefly unavailable. Please try again in a moment.")
        response = JsonResponse(
            {"code": ErrorCode.DATABASE_UNAVAILABLE, "detail": detail}, status=503
        )
    else:
        response = HttpResponse(render_to_string("503.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


class DatabaseUnavailableMiddleware:
    """Answer 503 instead of 500 when a view (or its template) loses the database."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not is_database_unavailable(exception):
            return None
        logger.warning(
            "database unavailable, answered 503: %s: %s",
            type(exception).__name__,
            str(exception).splitlines()[0] if str(exception) else "",
        )
        return database_unavailable_response(request)
