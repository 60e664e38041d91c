"""The reads of programmes: what the public sees, what an organiser and a company may see,
the programme's recipients and its figures."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, QuerySet
from django.db.models.functions import Lower
from django.utils import timezone

from checkin.models import Attendance
from events_platform import access as core_access
from events_platform.models import Event

from .models import Pair, Participant, Programme, ProgrammeEvent, Signup


def published() -> QuerySet:
    return Programme.objects.filter(status=Programme.Status.PUBLISHED).select_related(
        "organisation"
    )


def organiser_programmes(user) -> QuerySet:
    """Programmes of the organisations the user organises for."""
    return core_access.scope_to_organiser(
        user, Programme.objects.select_related("organisation"), path="organisation"
    )


def open_for_signup(programme: Programme, *, now: datetime) -> bool:
    return (
        programme.status == Programme.Status.PUBLISHED
        and programme.signup_open
        and timezone.localdate(now) <= programme.ends_on
    )


def programme_events(programme: Programme, *, public: bool = True) -> list[ProgrammeEvent]:
    """The programme's events in order; the public sees only those out of draft."""
    found = programme.programme_events.select_related("event__venue", "event__organisation")
    if public:
        found = found.exclude(event__status=Event.Status.DRAFT)
    return list(found.order_by("event__starts_at", "pk"))


def active_signups(programme: Programme) -> QuerySet:
    return programme.signups.filter(status=Signup.Status.ACTIVE).select_related("company")


def participants(programme: Programme) -> QuerySet:
    return Participant.objects.filter(
        signup__programme=programme, signup__status=Signup.Status.ACTIVE
    ).select_related("signup__company", "pair__mentor")


def unpaired_mentees(programme: Programme) -> QuerySet:
    return participants(programme).filter(role=Participant.Role.MENTEE, pair__isnull=True)


@dataclass(frozen=True)
class Recipient:
    email: str
    name: str
    language: str


def recipients(programme: Programme) -> list[Recipient]:
    """Everyone a message to the programme reaches, each address once: the contacts of the
    signed-up companies and their mentors and mentees who gave an address."""
    found: dict[str, Recipient] = {}
    for signup in active_signups(programme):
        found.setdefault(
            signup.contact_email.lower(),
            Recipient(signup.contact_email, signup.contact_name, signup.language),
        )
    for person in participants(programme).exclude(email=""):
        found.setdefault(
            person.email.lower(),
            Recipient(person.email, person.name, person.signup.language),
        )
    return sorted(found.values(), key=lambda r: r.email.lower())


@dataclass(frozen=True)
class Figures:
    companies: int
    international_employees: int
    mentors: int
    mentees: int
    pairs: int
    sessions_attended: int


def figures(programme: Programme) -> Figures:
    """Companies signed up, pairs, and sessions attended: each participant (company contact,
    mentor or mentee, by e-mail address) checked in at one of the programme's events counts
    once per event."""
    signups = active_signups(programme)
    people = participants(programme)
    roles = dict(people.values_list("role").annotate(n=Count("pk")))
    emails = {e.lower() for e in signups.values_list("contact_email", flat=True)}
    emails |= {e.lower() for e in people.exclude(email="").values_list("email", flat=True)}
    attended = (
        Attendance.objects.filter(
            ticket__event__in=programme.events.all(),
        )
        .annotate(address=Lower("ticket__registration__email"))
        .filter(address__in=emails)
        .values("ticket__event", "address")
        .distinct()
        .count()
        if emails
        else 0
    )
    return Figures(
        companies=signups.count(),
        international_employees=sum(signups.values_list("international_employees", flat=True)),
        mentors=roles.get(Participant.Role.MENTOR, 0),
        mentees=roles.get(Participant.Role.MENTEE, 0),
        pairs=Pair.objects.filter(programme=programme).count(),
        sessions_attended=attended,
    )


def company_signup(programme: Programme, company) -> Signup | None:
    return Signup.objects.filter(programme=programme, company=company).first()


def programmes_of_company(company) -> QuerySet:
    return Signup.objects.filter(company=company, status=Signup.Status.ACTIVE).select_related(
        "programme"
    )
