"""The stable error codes of announcements and messages.

A refused use case raises DomainError(message, ErrorCode.X): the message is for people, the
code for programs and tests, so a code is never renamed. Each code is defined once in the
whole project (tests/test_error_codes.py) and listed in the API schema (config/openapi.py).
"""

from enum import StrEnum


class ErrorCode(StrEnum):
    ALREADY_SENT = "already_sent"
    FOREIGN_EVENT = "foreign_event"
    NO_AUDIENCE = "no_audience"
    NO_EXHIBITORS = "no_exhibitors"
    NO_EVENTS = "no_events"
    NOT_PUBLISHED_YET = "not_published_yet"
