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

from . import ages, queries
from .models import Registration

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


def _columns(event: Event) -> list[tuple[str, object]]:
    """The export's columns for this event: (header, value of a registration). Each kind of
    event gets what its organisers work with: a camp the child's age, the parents and the
    emergency contact (not the medical notes); a fair the classes, slots and the exhibitors'
    consent; no column that stays empty for every registration of the kind."""
    camp = event.kind == Event.Kind.CAMP
    columns = [
        (_("Registered"), lambda r: timezone.localtime(r.created_at).strftime("%Y-%m-%d %H:%M")),
        (_("Status"), lambda r: r.get_status_display()),
        (_("Name"), lambda r: r.name),
        (_("E-mail address"), lambda r: r.email),
        (_("Phone"), lambda r: r.phone),
    ]
    if camp:
        columns += [
            (
                _("Date of birth"),
                lambda r: r.birth_date.strftime("%d.%m.%Y") if r.birth_date else "",
            ),
            (
                _("Age at the start"),
                lambda r: ages.age_at_event(r.birth_date, event) if r.birth_date else "",
            ),
            (_("Parent or guardian"), lambda r: r.guardian_name),
            (_("E-mail of the parent or guardian"), lambda r: r.guardian_email),
            (_("Phone of the parent or guardian"), lambda r: r.guardian_phone),
            (_("Emergency contact"), lambda r: r.emergency_contact),
        ]
    if queries.asks_postcode(event) or queries.asks_postcode(event, Registration.Kind.SCHOOL_CLASS):
        columns.append((_("Postcode"), lambda r: r.postcode))
    if not camp:
        columns.append((_("Persons"), lambda r: r.headcount))
    if queries.school_classes_allowed(event):
        columns += [(_("School"), lambda r: r.school), (_("Grade"), lambda r: r.grade)]
    if not event.slots_are_days and event.time_slots.exists():
        columns.append((_("Time slot"), lambda r: str(r.time_slot) if r.time_slot else ""))
    if event.sessions.exists():
        columns.append(
            (_("Workshops"), lambda r: ", ".join(session.title for session in r.sessions.all()))
        )
    columns.append((_("Photos allowed"), lambda r: _answer_text(r.photo_consent)))
    if queries.has_exhibitors(event):
        columns.append(
            (
                _("Contact may be shared with exhibitors"),
                lambda r: _answer_text(r.share_contact_consent),
            )
        )
    return columns


def table(registrations, questions, event: Event) -> tuple[list[str], list[list]]:
    """Header and rows of the general export (no medical notes)."""
    questions = list(questions)
    columns = _columns(event)
    header = [name for name, _value in columns] + [question.label for question in questions]
    rows = [
        [value(registration) for _name, value in columns]
        + [_answer_text(registration.answers.get(str(question.pk))) for question in questions]
        for registration in registrations
    ]
    return header, rows


def registration_export(
    event: Event, filters: queries.RegistrationFilter, file_format: str
) -> ExportFile:
    """The general export (`csv` or `xlsx`) of an event's registrations, filtered as the
    organiser's list is: the one builder of the organiser's page and the API."""
    header, rows = table(
        queries.event_registrations(event, filters), queries.event_questions(event), event
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
