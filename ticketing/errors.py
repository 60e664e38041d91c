"""The stable error codes of registrations, waiting lists, tickets and guardians' confirmations.

A refused use case raises DomainError(message, ErrorCode.X): the message is for people, the
code for programs and tests, so a code is never renamed. Each code is defined once in the
whole project (tests/test_error_codes.py) and listed in the API schema (config/openapi.py).
"""

from enum import StrEnum


class ErrorCode(StrEnum):
    AGE_OUT_OF_RANGE = "age_out_of_range"
    ALREADY_CANCELLED = "already_cancelled"
    ALREADY_CHECKED_IN = "already_checked_in"
    ALREADY_REGISTERED = "already_registered"
    ANSWER_INVALID = "answer_invalid"
    ANSWER_REQUIRED = "answer_required"
    BIRTH_DATE_REQUIRED = "birth_date_required"
    CAPACITY_BELOW_HELD = "capacity_below_held"
    EVENT_FULL = "event_full"
    GROUP_TOO_LARGE = "group_too_large"
    GUARDIAN_LINK_EXPIRED = "guardian_link_expired"
    GUARDIAN_LINK_INVALID = "guardian_link_invalid"
    GUARDIAN_REQUIRED = "guardian_required"
    INVALID_TICKET = "invalid_ticket"
    NO_OFFER = "no_offer"
    NOT_A_SCHOOL_CLASS = "not_a_school_class"
    OFFER_EXPIRED = "offer_expired"
    PRIVACY_CONSENT_REQUIRED = "privacy_consent_required"
    PUPILS_REQUIRED = "pupils_required"
    REGISTRATION_CLOSED = "registration_closed"
    REGISTRATION_NOT_OFFERED = "registration_not_offered"
    REGISTRATION_NOT_OPEN = "registration_not_open"
    SCHOOL_CLASS_INCOMPLETE = "school_class_incomplete"
    SCHOOL_CLASS_NOT_ALLOWED = "school_class_not_allowed"
    SESSION_FULL = "session_full"
    SESSION_INVALID = "session_invalid"
    SESSIONS_OVERLAP = "sessions_overlap"
    SLOT_FULL = "slot_full"
    SLOT_INVALID = "slot_invalid"
    SLOT_REQUIRED = "slot_required"
    TICKET_REVOKED = "ticket_revoked"
    UNKNOWN_TICKET = "unknown_ticket"
