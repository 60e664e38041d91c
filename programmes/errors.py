"""The stable error codes of programmes: sign-ups, mentors and mentees, pairs, messages.

A refused use case raises DomainError(message, ErrorCode.X); each code is defined once in the
whole project (tests/test_error_codes.py), so they carry the programme prefix.
"""

from enum import StrEnum


class ErrorCode(StrEnum):
    PROGRAMME_CLOSED = "programme_closed"
    PROGRAMME_NOT_SIGNED_UP = "programme_not_signed_up"
    PROGRAMME_PAIR_INVALID = "programme_pair_invalid"
    PROGRAMME_MESSAGE_SENT = "programme_message_sent"
    PROGRAMME_NO_RECIPIENTS = "programme_no_recipients"
