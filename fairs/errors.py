"""The stable error codes of companies, stand bookings, the stand waiting list, staff passes,
job offers, plans.

A refused use case raises DomainError(message, ErrorCode.X): the message is for people, the
code for programs and tests, so a code is never renamed. Each code is defined once in the
whole project (tests/test_error_codes.py) and listed in the API schema (config/openapi.py).
"""

from enum import StrEnum


class ErrorCode(StrEnum):
    ALREADY_MEMBER = "already_member"
    ALREADY_WAITING = "already_waiting"
    BOOKING_CLOSED = "booking_closed"
    BOOKING_NOT_CONFIRMED = "booking_not_confirmed"
    BOOKING_NOT_OPEN = "booking_not_open"
    COMPANY_NOT_VERIFIED = "company_not_verified"
    CONTACT_REQUIRED = "contact_required"
    DIFFERENT_SERIES = "different_series"
    EMAIL_NOT_CONFIRMED = "email_not_confirmed"
    EMAIL_TAKEN = "email_taken"
    FAIR_FULL = "fair_full"
    INVALID_TOKEN = "invalid_token"  # noqa: S105
    LAST_ADMIN = "last_admin"
    LOGO_BAD_FORMAT = "logo_bad_format"
    LOGO_SVG_REFUSED = "logo_svg_refused"
    LOGO_TOO_LARGE = "logo_too_large"
    LOGO_TOO_MANY_PIXELS = "logo_too_many_pixels"
    LOGO_UNREADABLE = "logo_unreadable"
    NAME_REQUIRED = "name_required"
    NO_FREE_STAND = "no_free_stand"
    NO_POWER_AT_STAND = "no_power_at_stand"
    NO_STANDS = "no_stands"
    NOT_ACTIVE = "not_active"
    NOT_COMPANY_ADMIN = "not_company_admin"
    NOT_EXHIBITING = "not_exhibiting"
    NOT_REQUESTED = "not_requested"
    NOT_WAITING = "not_waiting"
    REASON_REQUIRED = "reason_required"
    STAFF_PASS_LIMIT = "staff_pass_limit"  # noqa: S105
    STAND_BLOCKED = "stand_blocked"
    STAND_HAS_BOOKINGS = "stand_has_bookings"
    STAND_IMPORT_INVALID = "stand_import_invalid"
    STAND_KIND_INVALID = "stand_kind_invalid"
    STAND_LABEL_INVALID = "stand_label_invalid"
    STAND_LABEL_TAKEN = "stand_label_taken"
    STAND_OUTSIDE_HALL = "stand_outside_hall"
    STAND_OVERLAP = "stand_overlap"
    STAND_PRICE_NEGATIVE = "stand_price_negative"
    STAND_TAKEN = "stand_taken"
    STAND_TOO_SMALL = "stand_too_small"
    STANDS_AVAILABLE = "stands_available"
    TOKEN_EXPIRED = "token_expired"  # noqa: S105
    TOO_MANY_STAFF_PASSES = "too_many_staff_passes"
    WITHDRAWAL_DEADLINE_PASSED = "withdrawal_deadline_passed"
    WRONG_EMAIL = "wrong_email"
    WRONG_FAIR = "wrong_fair"
