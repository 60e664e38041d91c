"""Demo data of programmes: Mittelsachsen's "Mentoring für internationale Fachkräfte", with
the kick-off workshop in Mittweida (a core demo event), two sessions and a closing event,
companies signed up (among them the demo company login), mentors and mentees, two pairs.
Idempotent: a second run adds nothing."""

from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from events_platform.models import Event, Organisation
from fairs.models import Company, Sector

from . import consent_texts
from .models import Pair, Participant, Programme, ProgrammeEvent, Signup

SLUG = "mentoring-internationale-fachkraefte"

# slug, name, sector, town: companies of the district (the demo company joins them).
COMPANIES = [
    ("zschopautal-metall", "Zschopautal Metallbau GmbH", Sector.INDUSTRY, "Mittweida"),
    ("pflege-freiberg", "Pflegedienst Am Schlossplatz Freiberg", Sector.CARE, "Freiberg"),
    ("spedition-doebeln", "Spedition Muldental Döbeln GmbH", Sector.LOGISTICS, "Döbeln"),
]
# company slug, employees to onboard, needs, mentors, mentees (name, job, languages)
SIGNUPS = [
    ("zschopautal-metall", 4, ["language", "recognition", "team"],
     [("Katrin Oehme", "Meisterin Schweißtechnik", "Deutsch, Englisch")],
     [("Rahul Desai", "Schweißer", "Englisch, Hindi"), ("Ana Lima", "Zerspanungsmechanikerin", "Portugiesisch, Englisch")]),  # noqa: E501
    ("pflege-freiberg", 3, ["language", "authorities", "housing"],
     [("Sabine Kretzschmar", "Pflegedienstleitung", "Deutsch")],
     [("Maria Santos", "Pflegefachkraft", "Tagalog, Englisch")]),
    ("spedition-doebeln", 2, ["authorities", "family"],
     [("Thomas Wendler", "Disponent", "Deutsch, Polnisch")],
     [("Oleksandr Koval", "Berufskraftfahrer", "Ukrainisch, Russisch")]),
    ("agrar-elbaue", 1, ["housing"], [], []),
]  # fmt: skip

OFFER_DE = (
    "Das Mentoring-Programm unterstützt Unternehmen in Mittelsachsen dabei, internationale "
    "Fachkräfte gut einzuarbeiten. Erfahrene Beschäftigte begleiten neue Kolleginnen und "
    "Kollegen als Mentorinnen und Mentoren durch die ersten Monate.\n"
    "Dazu gehören ein Auftakt-Workshop, zwei Austauschtreffen und eine Abschlussveranstaltung. "
    "Die Bausteine beruhen auf den Ergebnissen der Unternehmensumfrage."
)
OFFER_EN = (
    "The mentoring programme helps companies in Mittelsachsen onboard international skilled "
    "workers well. Experienced employees accompany new colleagues through their first months "
    "as mentors.\n"
    "It includes a kick-off workshop, two exchange sessions and a closing event. Its parts are "
    "based on the results of the company survey."
)
OFFER_PLAIN = (
    "Viele Menschen aus anderen Ländern arbeiten in Mittelsachsen.\n"
    "Am Anfang ist vieles neu.\n"
    "Ein Mentor hilft dabei.\n"
    "Ein Mentor ist ein Kollege oder eine Kollegin aus der Firma.\n"
    "Der Mentor beantwortet Fragen.\n"
    "Es gibt auch Treffen für alle Firmen."
)
AUDIENCE_DE = (
    "Unternehmen aus dem Landkreis Mittelsachsen, die Fachkräfte aus dem Ausland beschäftigen "
    "oder einstellen wollen, und ihre Beschäftigten."
)
AUDIENCE_EN = (
    "Companies in the district of Mittelsachsen that employ or want to hire skilled workers "
    "from abroad, and their employees."
)
AUDIENCE_PLAIN = (
    "Das Programm ist für Firmen in Mittelsachsen.\n"
    "Die Firmen haben Mitarbeiter aus anderen Ländern.\n"
    "Oder sie wollen Mitarbeiter aus anderen Ländern einstellen."
)
PARTNERS = (
    "Nestbau-Zentrale Mittelsachsen\n"
    "ARBEIT UND LEBEN Sachsen e. V.\n"
    "Fachkräfteallianz Mittelsachsen"
)


def _at(day, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def _session(kickoff: Event, slug: str, days: int, title_de: str, title_en: str, text: tuple):
    day = timezone.localdate(kickoff.starts_at) + timedelta(days=days)
    event, _created = Event.objects.get_or_create(
        slug=slug,
        defaults={
            "organisation": kickoff.organisation,
            "kind": Event.Kind.WORKSHOP,
            "status": Event.Status.PUBLISHED,
            "title_de": title_de,
            "title_en": title_en,
            "description_de": text[0],
            "description_en": text[1],
            "venue": kickoff.venue,
            "starts_at": _at(day, 14),
            "ends_at": _at(day, 16),
            "capacity": 30,
        },
    )
    return event


@transaction.atomic
def load_demo(*, events_by_slug: dict, now: datetime) -> None:
    kickoff = next(
        (event for slug, event in events_by_slug.items() if slug.startswith("mentoring-auftakt-")),
        None,
    )
    if kickoff is None:
        return
    year = kickoff.starts_at.year
    organisation = Organisation.objects.get(slug="fka-mittelsachsen")
    exchange = (
        "Mentorinnen, Mentoren und ihre Mentees tauschen sich aus; dazu ein Impuls.",
        "Mentors and their mentees meet to exchange experience, with a short talk.",
    )
    events = [
        (kickoff, ProgrammeEvent.Role.KICKOFF),
        (
            _session(kickoff, f"mentoring-treffen-1-{year}", 42, "Mentoring-Programm: erstes "
                     "Austauschtreffen", "Mentoring programme: first exchange session", exchange),
            ProgrammeEvent.Role.SESSION,
        ),
        (
            _session(kickoff, f"mentoring-treffen-2-{year}", 98, "Mentoring-Programm: zweites "
                     "Austauschtreffen", "Mentoring programme: second exchange session", exchange),
            ProgrammeEvent.Role.SESSION,
        ),
    ]  # fmt: skip
    programme, _created = Programme.objects.get_or_create(
        slug=SLUG,
        defaults={
            "organisation": organisation,
            "status": Programme.Status.PUBLISHED,
            "title_de": "Mentoring für internationale Fachkräfte",
            "title_en": "Mentoring for international skilled workers",
            "title_plain": "Mentoring: Hilfe für neue Kollegen aus dem Ausland",
            "offer_de": OFFER_DE,
            "offer_en": OFFER_EN,
            "offer_plain": OFFER_PLAIN,
            "audience_de": AUDIENCE_DE,
            "audience_en": AUDIENCE_EN,
            "audience_plain": AUDIENCE_PLAIN,
            "starts_on": timezone.localdate(kickoff.starts_at),
            "ends_on": timezone.localdate(kickoff.starts_at) + timedelta(days=180),
            "partners": PARTNERS,
        },
    )
    if programme.survey_id is None:
        from surveys.models import Survey

        survey = Survey.objects.filter(organisation=organisation).order_by("pk").first()
        if survey is not None:
            programme.survey = survey
            programme.save(update_fields=["survey"])
    for event, role in events:
        ProgrammeEvent.objects.get_or_create(
            programme=programme, event=event, defaults={"role": role}
        )
    companies = {
        slug: Company.objects.get_or_create(
            slug=slug,
            defaults={
                "name": name,
                "sector": sector,
                "town": town,
                "contact_name": "Personalabteilung",
                "contact_email": f"personal@{slug}.example",
            },
        )[0]
        for slug, name, sector, town in COMPANIES
    }
    companies.update({c.slug: c for c in Company.objects.filter(slug="agrar-elbaue")})
    mentors, mentees = [], []
    for slug, employees, needs, mentor_rows, mentee_rows in SIGNUPS:
        company = companies.get(slug)
        if company is None:
            continue
        signup, created = Signup.objects.get_or_create(
            programme=programme,
            company=company,
            defaults={
                "contact_name": company.contact_name or "Personalabteilung",
                "contact_email": company.contact_email,
                "international_employees": employees,
                "needs": needs,
                "signed_up_at": now - timedelta(days=20),
            },
        )
        for role, rows, found in (
            (Participant.Role.MENTOR, mentor_rows, mentors),
            (Participant.Role.MENTEE, mentee_rows, mentees),
        ):
            for name, job, languages in rows:
                person, _new = Participant.objects.get_or_create(
                    signup=signup,
                    name=name,
                    defaults={
                        "role": role,
                        "job": job,
                        "languages": languages,
                        "email": f"{name.split()[0].lower()}@{slug}.example",
                        "consent_text": consent_texts.text_in("de"),
                        "consent_language": "de",
                        "consent_version": consent_texts.VERSION,
                        "consent_given_at": now - timedelta(days=19),
                    },
                )
                found.append(person)
    # Two pairs; the other mentees wait for the organiser (the browser test pairs one).
    for mentor, mentee in list(zip(mentors, mentees, strict=False))[:2]:
        Pair.objects.get_or_create(
            mentee=mentee,
            defaults={"programme": programme, "mentor": mentor, "paired_at": now},
        )
