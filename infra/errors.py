"""The one error base for use cases: a translated message for people, a code for programs."""

from enum import StrEnum


class ErrorCode(StrEnum):
    """Codes every app may answer with; each app's own codes live in its errors.py."""

    BAD_REQUEST = "bad_request"
    DATABASE_UNAVAILABLE = "database_unavailable"
    INVALID_PAGE = "invalid_page"
    NOT_ALLOWED = "not_allowed"
    NOT_FOUND = "not_found"
    PERMISSION_DENIED = "permission_denied"
    RATE_LIMITED = "rate_limited"
    SERVER_ERROR = "server_error"
    TOO_LARGE = "too_large"


class DomainError(Exception):
    """A use case refused: `message` is for people (translated), `code` for programs and tests.

    `status` is the HTTP status the API answers with: 409 for a conflict with the current
    state (full, taken, already done), 400 for input that can never succeed. `data` holds
    numbers a program may need beside the code (places left, places asked for); the API
    adds them to its answer.
    """

    status = 409

    def __init__(self, message, code: str, *, status: int | None = None, data: dict | None = None):
        super().__init__(str(message))
        self.message = message
        self.code = code
        self.data = data or {}
        if status is not None:
            self.status = status

    def __str__(self) -> str:
        return str(self.message)


class InvalidInput(DomainError):
    status = 400


class NotAllowed(DomainError):
    status = 403
