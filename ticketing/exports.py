"""Registration lists for organisers as CSV and XLSX: pure functions, data in, rows out
(`infra.exports` writes the files).

The general export never holds allergy and medical notes: they stay on the organiser's
screen for that event (DESIGN.md, personal data)."""

from django.utils import timezone
from django.utils.translation import gettext as _


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
