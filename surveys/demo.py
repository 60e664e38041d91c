"""Demo data of needs surveys (issue 21):

- Fachkräfteallianz Mittelsachsen's anonymous company survey on onboarding international
  skilled workers (about ten minutes, open for seven weeks, closed), sent to the district's
  companies (invented, verified by the alliance) and answered by most of them, with a
  realistic spread of answers;
- Nordsachsen's quarterly needs survey, named, open now, sent to the exhibitors the alliance
  knows, with a first few answers.

Idempotent: a survey is found by its organisation and German title first. Rows are written
directly (not through the services), so loading the demo sends no mail. Company names are
invented.
"""

import random
from datetime import datetime, timedelta

from django.db import transaction

from events_platform.models import Organisation
from fairs.models import Company, CompanySize, CompanyVerification, Sector, StandBooking

from .models import Answer, Choice, Invitation, Question, Response, Section, Survey

K = Question.Kind

# (German, English) pairs; a question: (kind, German, English, options, extra)
MITTELSACHSEN = {
    "title": (
        "Einarbeitung internationaler Fachkräfte: Was braucht Ihr Unternehmen?",
        "Onboarding international skilled workers: what does your company need?",
    ),
    "intro": (
        "Mit Ihren Antworten gestalten wir ein Mentoring-Programm für Unternehmen in "
        "Mittelsachsen, die internationale Fachkräfte einarbeiten. Die Umfrage ist anonym.",
        "Your answers shape a mentoring programme for companies in Mittelsachsen that onboard "
        "international skilled workers. The survey is anonymous.",
    ),
    "sections": [
        (
            ("Ihr Unternehmen", "Your company"),
            [
                (
                    "sector",
                    K.SINGLE,
                    "In welcher Branche ist Ihr Unternehmen tätig?",
                    "Which sector is your company in?",
                    [
                        ("Handwerk", "Crafts"),
                        ("Industrie", "Industry"),
                        ("Pflege und Gesundheit", "Care and health"),
                        ("Logistik", "Logistics"),
                        ("Gastronomie und Tourismus", "Hospitality and tourism"),
                        ("Dienstleistungen", "Services"),
                    ],
                    {"required": True, "allow_other": True},
                ),
                (
                    "size",
                    K.SINGLE,
                    "Wie viele Beschäftigte hat Ihr Unternehmen?",
                    "How many employees does your company have?",
                    [
                        ("1 bis 9", "1 to 9"),
                        ("10 bis 49", "10 to 49"),
                        ("50 bis 249", "50 to 249"),
                        ("250 oder mehr", "250 or more"),
                    ],
                    {"required": True},
                ),
                (
                    "employs",
                    K.YESNO,
                    "Beschäftigen Sie bereits internationale Fachkräfte?",
                    "Do you already employ international skilled workers?",
                    None,
                    {"required": True},
                ),
                (
                    "how_many",
                    K.NUMBER,
                    "Wie viele internationale Fachkräfte beschäftigen Sie?",
                    "How many international skilled workers do you employ?",
                    None,
                    {"condition": ("employs", "Ja")},
                ),
                (
                    "plan",
                    K.SINGLE,
                    "Planen Sie, in den nächsten zwei Jahren internationale Fachkräfte "
                    "einzustellen?",
                    "Do you plan to hire international skilled workers in the next two years?",
                    [("Ja, sicher", "Yes, certainly"), ("Vielleicht", "Maybe"), ("Nein", "No")],
                    {},
                ),
            ],
        ),
        (
            ("Einarbeitung heute", "Onboarding today"),
            [
                (
                    "hurdles",
                    K.MULTIPLE,
                    "Wo sehen Sie die größten Hürden bei der Einarbeitung?",
                    "Where do you see the biggest hurdles in onboarding?",
                    [
                        ("Deutschkenntnisse", "German language skills"),
                        ("Anerkennung von Abschlüssen", "Recognition of qualifications"),
                        ("Aufenthaltsrecht und Behörden", "Residence law and authorities"),
                        ("Wohnungssuche", "Finding a flat"),
                        ("Kinderbetreuung und Schule", "Childcare and school"),
                        ("Ankommen im Team", "Settling into the team"),
                    ],
                    {"allow_other": True},
                ),
                (
                    "today",
                    K.SCALE,
                    "Wie gut gelingt die Einarbeitung in Ihrem Betrieb heute?",
                    "How well does onboarding work in your company today?",
                    None,
                    {},
                ),
                (
                    "contact_person",
                    K.YESNO,
                    "Gibt es bei Ihnen feste Ansprechpersonen für neue Kolleginnen und Kollegen?",
                    "Do new colleagues have a fixed contact person at your company?",
                    None,
                    {},
                ),
            ],
        ),
        (
            ("Das Mentoring-Programm", "The mentoring programme"),
            [
                (
                    "importance",
                    K.SCALE,
                    "Wie wichtig wäre Ihnen ein Mentoring für internationale Fachkräfte?",
                    "How important would mentoring for international skilled workers be to you?",
                    None,
                    {"required": True},
                ),
                (
                    "modules",
                    K.MULTIPLE,
                    "Welche Bausteine wünschen Sie sich?",
                    "Which parts would you like?",
                    [
                        ("Workshops für Führungskräfte", "Workshops for managers"),
                        ("Austausch mit anderen Unternehmen", "Exchange with other companies"),
                        ("Mentorinnen und Mentoren aus der Region", "Mentors from the region"),
                        ("Sprachkurs im Betrieb", "Language course at work"),
                        ("Begleitung bei Behördengängen", "Help with the authorities"),
                        ("Willkommenstreffen", "Welcome meetings"),
                    ],
                    {},
                ),
                (
                    "format",
                    K.SINGLE,
                    "Welches Format passt Ihnen am besten?",
                    "Which format suits you best?",
                    [
                        (
                            "Vor Ort in Mittweida oder Freiberg",
                            "In person in Mittweida or Freiberg",
                        ),
                        ("Online", "Online"),
                        ("Gemischt", "Mixed"),
                    ],
                    {},
                ),
                (
                    "join",
                    K.SINGLE,
                    "Würden Sie mit Ihrem Betrieb am Programm teilnehmen?",
                    "Would your company take part in the programme?",
                    [("Ja", "Yes"), ("Vielleicht", "Maybe"), ("Nein", "No")],
                    {},
                ),
                (
                    "wish",
                    K.LONG,
                    "Was sollte das Programm außerdem bieten?",
                    "What else should the programme offer?",
                    None,
                    {},
                ),
            ],
        ),
    ],
}

NORDSACHSEN = {
    "title": ("Bedarfsabfrage Unternehmen, 1. Quartal", "Company needs, first quarter"),
    "intro": (
        "Viermal im Jahr fragen wir Unternehmen im Landkreis nach ihrem Bedarf an Fachkräften "
        "und Azubis. So planen wir Messen, Rückkehrertage und Camps passend.",
        "Four times a year we ask the district's companies about their need for skilled "
        "workers and apprentices, so fairs, returnee days and camps fit it.",
    ),
    "sections": [
        (
            ("Ihr Bedarf", "Your needs"),
            [
                (
                    "apprentices",
                    K.NUMBER,
                    "Wie viele Ausbildungsplätze sind bei Ihnen noch frei?",
                    "How many apprenticeships are still open at your company?",
                    None,
                    {},
                ),
                (
                    "skilled",
                    K.NUMBER,
                    "Wie viele Fachkräfte suchen Sie derzeit?",
                    "How many skilled workers are you looking for at present?",
                    None,
                    {},
                ),
                (
                    "channels",
                    K.MULTIPLE,
                    "Wo finden Sie Bewerberinnen und Bewerber?",
                    "Where do you find applicants?",
                    [
                        ("Ausbildungsmessen", "Apprenticeship fairs"),
                        ("Rückkehrertag", "Returnee day"),
                        ("Praktika", "Internships"),
                        ("Jobportale", "Job portals"),
                        ("Empfehlungen", "Recommendations"),
                    ],
                    {"allow_other": True},
                ),
                (
                    "fair",
                    K.YESNO,
                    "Möchten Sie auf der nächsten Ausbildungsmesse ausstellen?",
                    "Would you like to exhibit at the next apprenticeship fair?",
                    None,
                    {},
                ),
                (
                    "note",
                    K.SHORT,
                    "Was sollen wir noch wissen?",
                    "Anything else we should know?",
                    None,
                    {},
                ),
            ],
        ),
    ],
}

# Invented companies of Mittelsachsen: (name, sector, size)
TRADES = [
    ("Tischlerei", Sector.CRAFTS),
    ("Elektrotechnik", Sector.CRAFTS),
    ("Metallbau", Sector.INDUSTRY),
    ("Maschinenbau", Sector.INDUSTRY),
    ("Pflegedienst", Sector.CARE),
    ("Seniorenheim", Sector.CARE),
    ("Spedition", Sector.LOGISTICS),
    ("Landhotel", Sector.TOURISM),
    ("Steuerbüro", Sector.SERVICES),
    ("Präzisionsteile", Sector.INDUSTRY),
    ("Bäckerei", Sector.AGRICULTURE_FOOD),
    ("Dachdeckerei", Sector.CRAFTS),
]
TOWNS = [
    "Mittweida",
    "Freiberg",
    "Döbeln",
    "Flöha",
    "Frankenberg",
    "Hainichen",
    "Rochlitz",
    "Burgstädt",
    "Brand-Erbisdorf",
    "Oederan",
    "Leisnig",
    "Penig",
]
SIZES = [
    CompanySize.MICRO,
    CompanySize.SMALL,
    CompanySize.SMALL,
    CompanySize.MEDIUM,
    CompanySize.MEDIUM,
    CompanySize.LARGE,
]
INVITED = 42
ANSWERED = 31
WISHES = [
    "Eine feste Ansprechperson im Landratsamt für Aufenthaltsfragen.",
    "Hilfe bei der Wohnungssuche vor der Ankunft.",
    "Sprachkurse, die zu Schichtarbeit passen.",
    "Austausch mit Betrieben, die schon Erfahrung haben.",
    "Material in einfacher Sprache für das Team.",
    "Unterstützung für Familien: Kita und Schule.",
    "Kurze Termine, höchstens zwei Stunden.",
]


def _build(survey: Survey, spec: dict) -> dict[str, Question]:
    questions: dict[str, Question] = {}
    for position, ((title_de, title_en), items) in enumerate(spec["sections"], start=1):
        section = Section.objects.create(
            survey=survey, position=position, title_de=title_de, title_en=title_en
        )
        for number, (key, kind, text_de, text_en, options, extra) in enumerate(items, 1):
            condition = None
            if "condition" in extra:
                other, label = extra["condition"]
                condition = questions[other].choices.get(label_de=label)
            question = Question.objects.create(
                section=section,
                position=number,
                kind=kind,
                text_de=text_de,
                text_en=text_en,
                required=extra.get("required", False),
                allow_other=extra.get("allow_other", False),
                condition_choice=condition,
            )
            if kind == K.YESNO:
                options = [("Ja", "Yes"), ("Nein", "No")]
            for place, (label_de, label_en) in enumerate(options or [], start=1):
                Choice.objects.create(
                    question=question, position=place, label_de=label_de, label_en=label_en
                )
            questions[key] = question
    return questions


def _pick(rng: random.Random, question: Question, weights: list[float]) -> Choice:
    return rng.choices(list(question.choices.all()), weights=weights)[0]


def _answers_mittelsachsen(rng: random.Random, q: dict[str, Question], response: Response):
    rows = []

    def choose(key, weights):
        rows.append(Answer(response=response, question=q[key], choice=_pick(rng, q[key], weights)))

    choose("sector", [5, 6, 4, 2, 2, 2])
    choose("size", [3, 6, 4, 1])
    employs = rng.random() < 0.58
    rows.append(
        Answer(
            response=response,
            question=q["employs"],
            choice=q["employs"].choices.get(label_de="Ja" if employs else "Nein"),
        )
    )
    if employs:
        rows.append(
            Answer(
                response=response,
                question=q["how_many"],
                number=rng.choice([1, 1, 2, 2, 3, 4, 6, 12]),
            )
        )
    choose("plan", [5, 4, 2] if employs else [2, 5, 3])
    for choice, chance in zip(
        q["hurdles"].choices.all(), [0.8, 0.55, 0.65, 0.45, 0.25, 0.3], strict=True
    ):
        if rng.random() < chance:
            rows.append(Answer(response=response, question=q["hurdles"], choice=choice))
    if rng.random() < 0.12:
        rows.append(Answer(response=response, question=q["hurdles"], text="Führerschein"))
    rows.append(
        Answer(
            response=response,
            question=q["today"],
            number=rng.choices([1, 2, 3, 4, 5], [1, 4, 6, 3, 1])[0],
        )
    )
    choose("contact_person", [4, 5])
    rows.append(
        Answer(
            response=response,
            question=q["importance"],
            number=rng.choices([1, 2, 3, 4, 5], [1, 1, 4, 7, 6])[0],
        )
    )
    for choice, chance in zip(
        q["modules"].choices.all(), [0.35, 0.6, 0.55, 0.5, 0.6, 0.3], strict=True
    ):
        if rng.random() < chance:
            rows.append(Answer(response=response, question=q["modules"], choice=choice))
    choose("format", [3, 2, 5])
    choose("join", [5, 6, 2])
    if rng.random() < 0.4:
        rows.append(Answer(response=response, question=q["wish"], text=rng.choice(WISHES)))
    rng.shuffle(rows)
    return rows


def _mittelsachsen_companies(organisation: Organisation, now: datetime) -> list[Company]:
    companies = []
    for number in range(INVITED):
        trade, sector = TRADES[number % len(TRADES)]
        town = TOWNS[(number * 5) % len(TOWNS)]
        slug = f"ms-{trade.lower()}-{town.lower()}-{number}".replace("ä", "ae").replace("ö", "oe")
        company, _created = Company.objects.get_or_create(
            slug=slug,
            defaults={
                "name": f"{trade} {town} {'GmbH' if number % 3 else 'GmbH & Co. KG'}",
                "sector": sector,
                "size": SIZES[number % len(SIZES)],
                "town": town,
                "contact_email": f"personal@{slug}.example",
                "email_confirmed_at": now,
            },
        )
        CompanyVerification.objects.get_or_create(
            organisation=organisation, company=company, defaults={"verified_at": now}
        )
        companies.append(company)
    return companies


@transaction.atomic
def load_demo(*, events_by_slug: dict, now: datetime) -> None:
    rng = random.Random(21)  # noqa: S311 - invented answers, not secrets
    mittelsachsen = Organisation.objects.filter(slug="fka-mittelsachsen").first()
    if (
        mittelsachsen
        and not Survey.objects.filter(
            organisation=mittelsachsen, title_de=MITTELSACHSEN["title"][0]
        ).exists()
    ):
        opened = now - timedelta(days=130)
        survey = Survey.objects.create(
            organisation=mittelsachsen,
            title_de=MITTELSACHSEN["title"][0],
            title_en=MITTELSACHSEN["title"][1],
            intro_de=MITTELSACHSEN["intro"][0],
            intro_en=MITTELSACHSEN["intro"][1],
            minutes=10,
            anonymous=True,
            audience=Survey.Audience.DISTRICT,
            opens_at=opened,
            closes_at=opened + timedelta(weeks=7),
            remind_days_before=7,
            reminded_at=opened + timedelta(weeks=6),
            state=Survey.State.CLOSED,
        )
        questions = _build(survey, MITTELSACHSEN)
        companies = _mittelsachsen_companies(mittelsachsen, now)
        answered = set(rng.sample(range(len(companies)), ANSWERED))
        for index, company in enumerate(companies):
            Invitation.objects.create(
                survey=survey,
                email=company.contact_email,
                company=company,
                invited=True,
                reminded=index not in answered or rng.random() < 0.3,
                answered=index in answered,
            )
        answers = []
        for _number in range(ANSWERED):
            response = Response.objects.create(survey=survey)
            answers += _answers_mittelsachsen(rng, questions, response)
        answers.sort(key=lambda answer: answer.pk)
        Answer.objects.bulk_create(answers)

    nordsachsen = Organisation.objects.filter(slug="fka-nordsachsen").first()
    if (
        nordsachsen
        and not Survey.objects.filter(
            organisation=nordsachsen, title_de=NORDSACHSEN["title"][0]
        ).exists()
    ):
        survey = Survey.objects.create(
            organisation=nordsachsen,
            title_de=NORDSACHSEN["title"][0],
            title_en=NORDSACHSEN["title"][1],
            intro_de=NORDSACHSEN["intro"][0],
            intro_en=NORDSACHSEN["intro"][1],
            minutes=5,
            anonymous=False,
            audience=Survey.Audience.DISTRICT,
            opens_at=now - timedelta(days=10),
            closes_at=now + timedelta(days=21),
            remind_days_before=7,
            state=Survey.State.OPEN,
        )
        q = _build(survey, NORDSACHSEN)
        exhibitors = Company.objects.filter(
            pk__in=StandBooking.objects.filter(
                fair__event__organisation__slug__in=["fka-nordsachsen", "wfg-nordsachsen"]
            ).values("company")
        ).order_by("name")
        for index, company in enumerate(exhibitors):
            invitation = Invitation.objects.create(
                survey=survey,
                email=company.contact_email,
                company=company,
                language=company.language,
                invited=True,
                answered=index % 3 == 0,
            )
            if not invitation.answered:
                continue
            response = Response.objects.create(
                survey=survey,
                company=company,
                submitted_on=(now - timedelta(days=index % 9)).date(),
            )
            rows = [
                Answer(
                    response=response, question=q["apprentices"], number=rng.choice([0, 1, 2, 3, 5])
                ),
                Answer(response=response, question=q["skilled"], number=rng.choice([0, 1, 2, 4])),
                Answer(response=response, question=q["fair"], choice=_pick(rng, q["fair"], [4, 1])),
            ]
            for choice, chance in zip(
                q["channels"].choices.all(), [0.7, 0.4, 0.6, 0.5, 0.5], strict=True
            ):
                if rng.random() < chance:
                    rows.append(Answer(response=response, question=q["channels"], choice=choice))
            Answer.objects.bulk_create(rows)
