"""Registration lists for organisers as CSV and XLSX: pure functions, data in, bytes out.

The general export never holds allergy and medical notes: they stay on the organiser's
screen for that event (DESIGN.md, personal data)."""

import csv
import io

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

# A spreadsheet runs a cell that starts with one of these as a formula.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _safe(value) -> object:
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _answer_text(value) -> str:
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    if value is True:
        return _("Yes")
    if value is False:
        return _("No")
    return "" if value is None else str(value)


def table(registrations, questions) -> tuple[list[str], list[list]]:
    """Header and rows of the general export (no medical notes)."""
    questions = list(questions)
    header = [
        _("Registered"),
        _("Status"),
        _("Name"),
        _("E-mail address"),
        _("Phone"),
        _("Persons"),
        _("School"),
        _("Grade"),
        _("Time slot"),
        _("Workshops"),
        _("Parent or guardian"),
        _("Photos allowed"),
        _("Contact may be shared with exhibitors"),
        *[question.label for question in questions],
    ]
    rows = []
    for registration in registrations:
        rows.append(
            [
                timezone.localtime(registration.created_at).strftime("%Y-%m-%d %H:%M"),
                registration.get_status_display(),
                registration.name,
                registration.email,
                registration.phone,
                registration.headcount,
                registration.school,
                registration.grade,
                str(registration.time_slot) if registration.time_slot else "",
                ", ".join(session.title for session in registration.sessions.all()),
                registration.guardian_name,
                _answer_text(registration.photo_consent),
                _answer_text(registration.share_contact_consent),
                *[
                    _answer_text(registration.answers.get(str(question.pk)))
                    for question in questions
                ],
            ]
        )
    return header, rows


def csv_bytes(header: list[str], rows: list[list]) -> bytes:
    """CSV with a byte-order mark and semicolons, as German spreadsheet programs expect."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(header)
    for row in rows:
        writer.writerow([_safe(value) for value in row])
    return buffer.getvalue().encode("utf-8-sig")


def xlsx_bytes(header: list[str], rows: list[list], *, title: str) -> bytes:
    """An XLSX workbook with one sheet."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title[:31] or "Export"
    sheet.append(header)
    for row in rows:
        sheet.append([_safe(value) for value in row])
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
