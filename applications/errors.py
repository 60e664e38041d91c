"""The stable error codes of applications to job offers (see fairs/errors.py for the rules)."""

from enum import StrEnum


class ErrorCode(StrEnum):
    APPLICATION_CLOSED = "application_closed"
    PDF_ACTIVE_CONTENT = "pdf_active_content"
    PDF_NOT_A_PDF = "pdf_not_a_pdf"
    PDF_TOO_LARGE = "pdf_too_large"
    PDF_TOO_MANY_PAGES = "pdf_too_many_pages"
    PDF_UNREADABLE = "pdf_unreadable"
