"""Demo registrations and tickets (BRIEF.md, demo data). Idempotent: a second run finds
what the first made and creates nothing new. Called by `manage.py load_demo_data`."""

from datetime import date, datetime, timedelta

from django.utils import timezone

from events_platform.demo import DOOR_DEMO_PREFIX
from events_platform.models import Event
from infra.dates import years_after

from . import services
from .models import ExcursionStop, Question, Registration, RegistrationSettings
from .services import RegistrationInput

RETURNEES = [
    ("Anne Krüger", "anne.krueger@example.org", "Pflege"),
    ("Martin Schöne", "martin.schoene@example.org", "Industrie"),
    ("Julia Weißbach", "julia.weissbach@example.org", "Handwerk"),
    ("Sebastian Große", "sebastian.grosse@example.org", "Logistik"),
]
SECTORS = [
    "Landwirtschaft und Ernährung",
    "Pflege",
    "Handwerk",
    "Industrie",
    "Logistik",
    "Tourismus",
]
SECTORS_EN = ["Agriculture and food", "Care", "Crafts", "Industry", "Logistics", "Tourism"]


def _find(events_by_slug: dict, prefix: str, kind: str | None = None) -> list[Event]:
    return [
        event
        for slug, event in sorted(events_by_slug.items())
        if slug.startswith(prefix) and (kind is None or event.kind == kind)
    ]


def _register(event: Event, data: RegistrationInput, now: datetime) -> Registration:
    existing = Registration.objects.filter(
        event=event, email=data.email.lower(), name=data.name
    ).first()
    return existing or services.register(event=event, data=data, now=now, by_organiser=True)


def _returnee_questions(event: Event) -> tuple[Question, Question]:
    sector, _ = Question.objects.get_or_create(
        event=event,
        position=1,
        defaults={
            "kind": Question.Kind.CHOICE,
            "label_de": "In welcher Branche suchen Sie eine Stelle?",
            "label_en": "In which sector are you looking for a job?",
            "choices_de": "\n".join(SECTORS),
            "choices_en": "\n".join(SECTORS_EN),
        },
    )
    partner, _ = Question.objects.get_or_create(
        event=event,
        position=2,
        defaults={
            "kind": Question.Kind.YES_NO,
            "label_de": "Sucht Ihre Partnerin oder Ihr Partner auch eine Stelle?",
            "label_en": "Is your partner looking for a job too?",
        },
    )
    return sector, partner


def _birth_date(event: Event, age: int) -> date:
    start = timezone.localdate(event.starts_at)
    return years_after(start, -age) - timedelta(days=40)


def load_demo(*, events_by_slug: dict, now: datetime) -> None:
    """Visitors with tickets at the Rückkehrertag sites, a school class, camp participants
    (one confirmed by the guardian, one pending), workshop picks and an excursion."""
    for index, event in enumerate(
        _find(events_by_slug, "rueckkehrertag-", Event.Kind.RETURNEE_DAY)
    ):
        sector, partner = _returnee_questions(event)
        for offset, (name, email, branch) in enumerate(RETURNEES[: 2 + index % 3]):
            _register(
                event,
                RegistrationInput(
                    name=name,
                    email=email,
                    privacy_consent=True,
                    answers={str(sector.pk): branch, str(partner.pk): offset % 2 == 0},
                    share_contact_consent=offset % 2 == 0,
                ),
                now,
            )

    # The company visit that is on today: every returnee holds a ticket nobody scanned yet.
    for event in _find(events_by_slug, DOOR_DEMO_PREFIX):
        for name, email, _branch in RETURNEES:
            _register(
                event,
                RegistrationInput(name=name, email=email, privacy_consent=True),
                now,
            )

    for fair in _find(events_by_slug, "ausbildungsmesse-", Event.Kind.APPRENTICESHIP_FAIR)[:1]:
        slot = fair.time_slots.order_by("starts_at").first()
        _register(
            fair,
            RegistrationInput(
                name="Katrin Vogel",
                email="k.vogel@oberschule-oschatz.example.org",
                privacy_consent=True,
                school="Oberschule Oschatz",
                grade="9b",
                pupils=22,
                adults=2,
                time_slot_id=slot.pk if slot else None,
            ),
            now,
        )

    for camp in _find(events_by_slug, "nawi-camp-", Event.Kind.CAMP):
        for number, (name, parent, confirmed) in enumerate(
            [("Lena Hoffmann", "Petra Hoffmann", True), ("Tim Neumann", "Jens Neumann", False)]
        ):
            registration = _register(
                camp,
                RegistrationInput(
                    name=name,
                    email=f"familie.{parent.split()[1].lower()}@example.org",
                    privacy_consent=True,
                    birth_date=_birth_date(camp, 12 + number),
                    guardian_name=parent,
                    guardian_email=f"familie.{parent.split()[1].lower()}@example.org",
                    guardian_phone="03421 7788" + str(number),
                    emergency_contact=f"{parent}, 0170 1234567",
                    medical_notes="Allergie gegen Haselnüsse" if number == 0 else "",
                ),
                now,
            )
            if confirmed and registration.status == Registration.Status.PENDING_GUARDIAN:
                services.confirm_guardian_consent(
                    token=registration.guardian_token,
                    photo_consent=False,
                    guardian_name=parent,
                    now=now,
                )

    for fachtag in _find(events_by_slug, "fachtag-fachkraefte-", Event.Kind.CONFERENCE):
        sessions = list(fachtag.sessions.order_by("title_de"))
        people = [
            ("Dr. Ulrike Sommer", "u.sommer@example.org"),
            ("Thomas Lehmann", "t.lehmann@example.org"),
            ("Sandra Fuchs", "s.fuchs@example.org"),
        ]
        for number, (name, email) in enumerate(people):
            picks = [sessions[number % len(sessions)].pk] if sessions else []
            _register(
                fachtag,
                RegistrationInput(name=name, email=email, privacy_consent=True, session_ids=picks),
                now,
            )

    for excursion in _find(events_by_slug, "lehrer-aufs-land-", Event.Kind.EXCURSION):
        RegistrationSettings.objects.get_or_create(
            event=excursion,
            defaults={
                "meeting_point": "Leipzig Hauptbahnhof, Westhalle",
                "departure_at": excursion.starts_at,
            },
        )
        for position, (school, town, hours) in enumerate(
            [("Grundschule Dahlen", "Dahlen", 2), ("Oberschule Mügeln", "Mügeln", 5)], start=1
        ):
            ExcursionStop.objects.get_or_create(
                event=excursion,
                position=position,
                defaults={
                    "school": school,
                    "town": town,
                    "arrives_at": excursion.starts_at + timedelta(hours=hours),
                },
            )
        _register(
            excursion,
            RegistrationInput(
                name="Clara Richter", email="clara.richter@example.org", privacy_consent=True
            ),
            now,
        )


# The name the lead's brief used.
load_ticketing_demo = load_demo
