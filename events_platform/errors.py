"""The stable error codes of the core: events, their lifecycle, the API sign-in.

A refused use case raises DomainError(message, ErrorCode.X): the message is for people, the
code for programs and tests, so a code is never renamed. Each code is defined once in the
whole project (tests/test_error_codes.py) and listed in the API schema (config/openapi.py).
"""

from enum import StrEnum


class ErrorCode(StrEnum):
    ALREADY_PUBLISHED = "already_published"
    CAPACITY_INVALID = "capacity_invalid"
    DATE_MISSING = "date_missing"
    EVENT_CANCELLED = "event_cancelled"
    INVALID_CREDENTIALS = "invalid_credentials"
    INVALID_FILTER = "invalid_filter"
    SERIES_EMPTY = "series_empty"
