"""The stable error codes of data-subject requests.

A refused use case raises DomainError(message, ErrorCode.X): the message is for people, the
code for programs and tests, so a code is never renamed. Each code is defined once in the
whole project (tests/test_error_codes.py) and listed in the API schema (config/openapi.py).
"""

from enum import StrEnum


class ErrorCode(StrEnum):
    DATA_LINK_INVALID = "data_link_invalid"
