"""Registration lists for organisers as CSV and XLSX, built once for the organiser's page and
the API (`registration_export`); `infra.exports` writes the files.

The general export never holds allergy and medical notes: they stay on the organiser's
screen for that event (DESIGN.md, personal data)."""

from dataclasses import dataclass

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from events_platform.models import Event
from infra import exports as file_exports

from . import queries

FORMATS = ("csv", "xlsx")


@dataclass(frozen=True)
class ExportFile:
    """One export file: its bytes, type, the name it is saved under, and its row count."""

    body: bytes
    content_type: str
    filename: str
    rows: int

    def as_attachment(self) -> HttpResponse:
        """The file as a download."""
        response = HttpResponse(self.body, content_type=self.content_type)
        response["Content-Disposition"] = f'attachment; filename="{self.filename}"'
        return response


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
        _("Postcode"),
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
                registration.postcode,
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


def registration_export(
    event: Event, filters: queries.RegistrationFilter, file_format: str
) -> ExportFile:
    """The general export (`csv` or `xlsx`) of an event's registrations, filtered as the
    organiser's list is: the one builder of the organiser's page and the API."""
    header, rows = table(
        queries.event_registrations(event, filters), queries.event_questions(event)
    )
    if file_format == "csv":
        body, content_type = file_exports.csv_bytes(header, rows), file_exports.CSV_CONTENT_TYPE
    else:
        body = file_exports.xlsx_bytes(header, rows, title=event.slug)
        content_type = file_exports.XLSX_CONTENT_TYPE
    return ExportFile(
        body=body,
        content_type=content_type,
        filename=f"anmeldungen-{event.slug}.{file_format}",
        rows=len(rows),
    )
