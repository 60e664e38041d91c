"""What a request may carry before any view sees it: the one place for hostile-input limits.

- Bodies: JSON is parsed by `parse_json` (the API's default parser, `BoundedJSONParser`, and
  any view reading `request.body` itself), which refuses nesting deeper than
  `MAX_JSON_DEPTH`; the size limit is Django's `DATA_UPLOAD_MAX_MEMORY_SIZE` (its
  `RequestDataTooBig` is answered with 413 by the error handlers in api.py).
- Addresses: `RejectNulMiddleware` answers 400 to a NUL byte anywhere in the path or the
  query string (PostgreSQL refuses NUL in text, so it must never reach a query), and the
  `token` path converter takes only the characters our secret links are made of.
- Dates: `EARLIEST`/`LATEST` bound every date filter (a day past 9999 cannot be added to).
- Paging: `BoundedLimitOffsetPagination` caps the page size and the offset.
Numbers people type (pupils, adults) are bounded on their model fields (ticketing/models.py).
"""

import json
from datetime import date
from urllib.parse import unquote_plus

from django.utils.translation import gettext as _
from django.views.defaults import bad_request
from rest_framework.exceptions import ParseError
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.parsers import JSONParser

from infra.errors import InvalidInput
from infra.http import error_response

from .errors import ErrorCode

# No body of the API nests deeper than a few levels (a scan batch: object, list, object).
MAX_JSON_DEPTH = 20
# Bounds of every date a filter takes (the calendar's own range).
EARLIEST = date(2000, 1, 1)
LATEST = date(2100, 12, 31)
MAX_PAGE_SIZE = 100
MAX_OFFSET = 1_000_000


def within_calendar(day: date) -> None:
    """Validator of a date filter: refuses days outside EARLIEST..LATEST (a typing error)."""
    from django.core.exceptions import ValidationError

    if not (EARLIEST <= day <= LATEST):
        raise ValidationError(
            _("Please choose a date between %(first)s and %(last)s.")
            % {"first": EARLIEST.year, "last": LATEST.year},
            code="out_of_range",
        )


class TooDeep(ValueError):
    """A JSON body nested deeper than MAX_JSON_DEPTH."""


def parse_json(raw: bytes | str):
    """The parsed JSON; raises ValueError if it is not JSON or nests too deep."""
    try:
        data = json.loads(raw)
    except RecursionError as error:
        raise TooDeep("nested too deeply") from error
    # Walk without recursion, so the check itself cannot overflow the stack.
    stack = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict):
            value = value.values()
        elif not isinstance(value, list):
            continue
        if depth > MAX_JSON_DEPTH:
            raise TooDeep("nested too deeply")
        stack.extend((item, depth + 1) for item in value)
    return data


class BoundedJSONParser(JSONParser):
    """DRF's JSON parser with the nesting limit (the default parser in REST_FRAMEWORK)."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return parse_json(stream.read())
        except TooDeep as error:
            raise ParseError(_("The JSON body is nested too deeply.")) from error
        except ValueError as error:
            raise ParseError(_("The body is not valid JSON.")) from error


def has_nul(request) -> bool:
    """True when the path or a query parameter holds a NUL byte (raw or %00)."""
    query = request.META.get("QUERY_STRING", "")
    return "\x00" in request.path_info or "\x00" in unquote_plus(query)


class RejectNulMiddleware:
    """Answer 400 to a NUL byte in the address before any view or query sees it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if has_nul(request):
            return error_response(
                request,
                400,
                ErrorCode.BAD_REQUEST,
                _("The address contains a character that is not allowed."),
                lambda request: bad_request(request, None),
            )
        return self.get_response(request)


class TokenConverter:
    """A secret link's token: URL-safe base64 (with `=` padding), `:` of signed values."""

    regex = r"[A-Za-z0-9_\-:=.]{1,300}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


class BoundedLimitOffsetPagination(LimitOffsetPagination):
    """Limit/offset paging with a maximum page size and a maximum offset."""

    max_limit = MAX_PAGE_SIZE

    def get_offset(self, request):
        offset = super().get_offset(request)
        if offset > MAX_OFFSET:
            raise InvalidInput(
                _("The offset must not exceed %(max)s.") % {"max": MAX_OFFSET},
                ErrorCode.INVALID_PAGE,
            )
        return offset
