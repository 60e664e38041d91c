"""The stable error codes of the stand scanner and the stand contacts.

A refused use case raises DomainError(message, ErrorCode.X): the message is for people, the
code for programs and tests, so a code is never renamed. The answers to a scanned ticket
are the door's codes (checkin.services.Code), not these.
"""

from enum import StrEnum


class ErrorCode(StrEnum):
    STAND_PAIRING_INVALID = "stand_pairing_invalid"
    STAND_CODE_INVALID = "stand_code_invalid"
    RATING_INVALID = "rating_invalid"
    CONTACT_UNKNOWN = "contact_unknown"
    NO_TICKET_FOR_STAND = "no_ticket_for_stand"
