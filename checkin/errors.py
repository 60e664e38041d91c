"""The stable error codes of the door: devices, entrances and walk-ins.

A refused use case raises DomainError(message, ErrorCode.X): the message is for people, the
code for programs and tests, so a code is never renamed. Each code is defined once in the
whole project (tests/test_error_codes.py) and listed in the API schema (config/openapi.py).
"""

from enum import StrEnum


class ErrorCode(StrEnum):
    ENTRANCE_INVALID = "entrance_invalid"
    ENTRANCE_NAME_REQUIRED = "entrance_name_required"
    PAIRING_INVALID = "pairing_invalid"
    PERSONS_INVALID = "persons_invalid"
    WALK_INS_NOT_ALLOWED = "walk_ins_not_allowed"
