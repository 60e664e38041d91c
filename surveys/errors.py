"""The stable error codes of needs surveys.

A refused use case raises DomainError(message, ErrorCode.X): the message is for people, the
code for programs and tests, so a code is never renamed.
"""

from enum import StrEnum


class ErrorCode(StrEnum):
    SURVEY_NOT_DRAFT = "survey_not_draft"
    SURVEY_EMPTY = "survey_empty"
    SURVEY_NOT_OPEN = "survey_not_open"
    SURVEY_NO_AUDIENCE = "survey_no_audience"
    SURVEY_ALREADY_ANSWERED = "survey_already_answered"
