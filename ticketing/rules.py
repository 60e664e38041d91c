"""The rules a registration must meet before it competes for a place: the registration
window, the organiser's questions, time slots and workshops, and each event kind's own
rules (school classes, camps with minors). Pure checks: they read, never write."""

from datetime import datetime

from django.core.validators import RegexValidator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from events_platform.errors import ErrorCode as CoreErrorCode
from events_platform.models import Event, Session, TimeSlot
from infra.errors import DomainError, InvalidInput

from . import ages, queries
from .errors import ErrorCode
from .models import Registration

#: A German postcode: five digits. The form, the edit page and the API check it.
german_postcode = RegexValidator(
    r"^[0-9]{5}\Z",
    message=gettext_lazy("Please enter a German postcode of five digits, for example 04860."),
    code="postcode_invalid",
)


def check_window(event: Event, now: datetime) -> None:
    """Raise DomainError unless the event takes registrations at `now`."""
    state = queries.registration_state(event, now=now)
    if state == queries.State.CANCELLED:
        raise DomainError(_("This event has been cancelled."), CoreErrorCode.EVENT_CANCELLED)
    if state == queries.State.NOT_REQUIRED:
        raise DomainError(
            _("This event needs no registration: just come along."),
            ErrorCode.REGISTRATION_NOT_OFFERED,
        )
    if state == queries.State.NOT_YET_OPEN:
        raise DomainError(_("Registration has not opened yet."), ErrorCode.REGISTRATION_NOT_OPEN)
    if state != queries.State.OPEN:
        raise DomainError(_("Registration is closed."), ErrorCode.REGISTRATION_CLOSED)


def clean_answers(event: Event, answers: dict) -> dict:
    """The answers to the event's questions, checked; raises InvalidInput."""
    cleaned = {}
    if getattr(event, "_has_questions", None) is False:  # read with the event: none
        return cleaned
    for question in queries.event_questions(event):
        key = str(question.pk)
        value = answers.get(key, answers.get(question.pk))
        allowed = {stored for stored, _shown in question.choice_pairs}
        if question.kind == question.Kind.MULTIPLE:
            value = [str(item) for item in (value or [])]
            if any(item not in allowed for item in value):
                raise InvalidInput(
                    _("Please choose from the answers offered."), ErrorCode.ANSWER_INVALID
                )
        elif question.kind == question.Kind.YES_NO:
            value = None if value in (None, "") else value in (True, "yes", "true", "1", 1)
        else:
            value = str(value or "").strip()
            if question.kind == question.Kind.CHOICE and value and value not in allowed:
                raise InvalidInput(
                    _("Please choose from the answers offered."), ErrorCode.ANSWER_INVALID
                )
        if question.required and value in (None, "", []):
            raise InvalidInput(
                _("Please answer: %(question)s") % {"question": question.label},
                ErrorCode.ANSWER_REQUIRED,
            )
        if value not in (None, "", []):
            cleaned[key] = value
    return cleaned


def resolve_parts(event: Event, data) -> tuple[TimeSlot | None, list[Session]]:
    """The chosen time slot and workshops, checked; raises InvalidInput."""
    time_slot = None
    if data.time_slot_id and queries.slots_are_choices(event):
        time_slot = queries.chosen_time_slot(event, data.time_slot_id)
        if time_slot is None:
            raise InvalidInput(_("Please choose one of the time slots."), ErrorCode.SLOT_INVALID)
    elif queries.slots_are_choices(event):
        raise InvalidInput(_("Please choose a time slot."), ErrorCode.SLOT_REQUIRED)
    sessions = queries.chosen_sessions(event, data.session_ids or [])
    if len(sessions) != len(set(data.session_ids or [])):
        raise InvalidInput(
            _("Please choose from the workshops offered."), ErrorCode.SESSION_INVALID
        )
    for index, first in enumerate(sessions):
        for second in sessions[index + 1 :]:
            if first.overlaps(second):
                raise InvalidInput(
                    _("“%(first)s” and “%(second)s” take place at the same time.")
                    % {"first": first.title, "second": second.title},
                    ErrorCode.SESSIONS_OVERLAP,
                )
    return time_slot, sessions


def kind_and_headcount(event: Event, data) -> tuple[str, int]:
    """The registration kind and persons it counts for; raises InvalidInput."""
    if data.pupils is not None or data.school:
        if not queries.school_classes_allowed(event):
            raise InvalidInput(
                _("School classes cannot register for this event."),
                ErrorCode.SCHOOL_CLASS_NOT_ALLOWED,
            )
        if not data.school.strip() or not data.grade.strip() or not data.pupils:
            raise InvalidInput(
                _("Please enter the school, the grade and the number of pupils."),
                ErrorCode.SCHOOL_CLASS_INCOMPLETE,
            )
        return Registration.Kind.SCHOOL_CLASS, data.pupils + (data.adults or 0)
    if event.kind == Event.Kind.CAMP or event.min_age is not None or event.max_age is not None:
        if data.birth_date is None:
            raise InvalidInput(_("Please enter the date of birth."), ErrorCode.BIRTH_DATE_REQUIRED)
        age = ages.age_at_event(data.birth_date, event)
        if (event.min_age is not None and age < event.min_age) or (
            event.max_age is not None and age > event.max_age
        ):
            raise InvalidInput(
                _("This event is for participants aged %(min)s to %(max)s.")
                % {"min": event.min_age or 0, "max": event.max_age or "–"},
                ErrorCode.AGE_OUT_OF_RANGE,
            )
        if queries.guardian_required(event, data.birth_date):
            guardian = [
                data.guardian_name,
                data.guardian_email,
                data.guardian_phone,
                data.emergency_contact,
            ]
            if not all(part.strip() for part in guardian):
                raise InvalidInput(
                    _(
                        "Please enter the parent or guardian's name, e-mail address and phone, "
                        "and an emergency contact."
                    ),
                    ErrorCode.GUARDIAN_REQUIRED,
                )
        return Registration.Kind.CAMP_PARTICIPANT, 1
    return Registration.Kind.INDIVIDUAL, 1
