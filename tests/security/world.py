"""One small world of two tenants, two companies and two visitors for the access-matrix tests.

Use it from a test module:

    from tests.security import world as world_module

    world = world_module.world  # the fixture (an import of it would trip ruff's F811)

    def test_something(world):
        url = f"/fairs/firma/buchungen/{world.ids['booking_a']}/"
        response = world.clients["company_b"].get(url)

`world` is module-scoped: it is built once per test module inside an outer transaction that
is rolled back when the module ends. Each test still needs `@pytest.mark.django_db` (its own
savepoint is rolled back after it), so a test that changes data never leaks into the next.

What is in it (everything named `*_a` belongs to organisation A or company A or visitor A):
- organisation A ("district A") and organisation B, each with a venue and a series;
- per organisation a fair event with a hall, stands and an approved booking (company A books
  at A's fair, company B at B's fair; each verified by its fair's organisation), a staff
  pass on company A's booking, a waiting-list entry of company A; a job offer per company;
  a pending company ("Gammawerk") that asked for a stand at A's fair and is not verified;
- org A: event X (on now, walk-ins allowed, in series A) where visitor A holds a ticket and
  check-in staff are assigned, event Y (on now, same organisation) where they are not,
  a camp where visitor A's child waits for a guardian's consent, a paired device for X,
  an entrance, a message to visitor A in the outbox and a draft announcement;
- org B: event B with visitor B's registration and ticket, a message and an announcement;
- users: organiser_a (organiser admin of A, staff), organiser_b (of B), checkin_x (check-in
  staff of A, assigned to X only), company_a / company_b (admins of their companies),
  platform_admin (superuser).

`world.clients` maps role -> django test Client (logged in; "anonymous", "visitor" and
"visitor_b" are anonymous clients: the visitor roles are defined by the secret links they
hold, `world.tokens["visitor"]` / `world.tokens["visitor_b"]`).
`world.ids` / `world.slugs` / `world.tokens` hold what URL kwargs need; `world.objects` the
model instances; `world.secrets_a` the strings of A that must never leak to another party,
grouped: "visitor" (visitor A's name, e-mail, links, child's medical note), "company"
(company A's contact data, its user's e-mail, its staff pass holder), "org" (a draft event
of A and its excursion stop, which nobody outside A may learn of).
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction
from django.test import Client, override_settings
from django.utils import timezone

from checkin import services as checkin_services
from events_platform.models import Event, Membership
from fairs import services as fairs_services
from fairs.models import StandBooking
from fairs.services import companies as company_services
from infra.dates import years_after
from notifications import announcements
from notifications.models import Announcement, Message
from tests.checkin.factories import DoorEventFactory, make_ticket, pair
from tests.factories import (
    EventFactory,
    EventSeriesFactory,
    MembershipFactory,
    OrganisationFactory,
    TargetGroupFactory,
    UserFactory,
)
from tests.fairs.factories import (
    CompanyFactory,
    CompanyMemberFactory,
    FairFactory,
    HallFactory,
    JobOfferFactory,
    StandBookingFactory,
    StandFactory,
    WaitlistEntryFactory,
)
from tests.ticketing.factories import CampFactory
from ticketing.models import ExcursionStop, Registration, VisitorFeed, new_token

ROLES = (
    "anonymous",
    "visitor",
    "visitor_b",
    "company_a",
    "company_b",
    "organiser_a",
    "organiser_b",
    "checkin_x",
    "platform_admin",
)

# Secret-link routes: a role that holds no link of its own tries this made-up one.
MADE_UP_TOKEN = "x7Kq2mZpL9vR4tYw8nB3cD6fHjS1aE0u"


@dataclass
class World:
    clients: dict = field(default_factory=dict)
    users: dict = field(default_factory=dict)
    objects: dict = field(default_factory=dict)
    ids: dict = field(default_factory=dict)
    slugs: dict = field(default_factory=dict)
    tokens: dict = field(default_factory=dict)
    secrets_a: dict = field(default_factory=dict)


def row_counts(models) -> list[int]:
    """The number of rows in each model's table, in one query: the matrices take these
    counts before and after thousands of cells, and one round trip per table added up."""
    from django.db import connection

    quote = connection.ops.quote_name
    # Table names of our own models, quoted: nothing from outside goes into the statement.
    tables = ", ".join(f"(SELECT COUNT(*) FROM {quote(m._meta.db_table)})" for m in models)  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {tables}")
        return list(cursor.fetchone())


def _fair(organisation, venue_series, company, *, title: str, slug: str):
    fair = FairFactory(
        event__organisation=organisation,
        event__series=venue_series,
        event__slug=slug,
        event__title_de=title,
        event__title_en=title,
        event__starts_at=timezone.now() + timedelta(days=20),
        event__ends_at=timezone.now() + timedelta(days=20, hours=6),
    )
    hall = HallFactory(fair=fair)
    stands = [StandFactory(hall=hall) for _ in range(3)]
    booking = StandBookingFactory(
        company=company,
        stand=stands[0],
        status=StandBooking.Status.APPROVED,
        decided_at=timezone.now(),
    )
    return fair, stands, booking


def build_world() -> World:
    """Create the world's rows (call inside a transaction that the caller rolls back)."""
    now = timezone.now()
    w = World()
    User = get_user_model()

    org_a = OrganisationFactory(name="Landkreis Alpha Wirtschaftsförderung", slug="district-a")
    org_b = OrganisationFactory(name="Landkreis Beta Wirtschaftsförderung", slug="district-b")
    series_a = EventSeriesFactory(organisation=org_a, slug="alpha-rueckkehrertag")
    series_b = EventSeriesFactory(organisation=org_b, slug="beta-rueckkehrertag")

    # --- users and roles -----------------------------------------------------------------
    organiser_a = UserFactory(username="organiser-a", email="orga.alpha@district-a.example")
    organiser_b = UserFactory(username="organiser-b", email="orga.beta@district-b.example")
    for user, org in ((organiser_a, org_a), (organiser_b, org_b)):
        user.is_staff = True
        user.save(update_fields=["is_staff"])
        MembershipFactory(user=user, organisation=org, role=Membership.Role.ORGANISER_ADMIN)
    checkin_x = UserFactory(username="checkin-x", email="door.x@district-a.example")
    MembershipFactory(user=checkin_x, organisation=org_a, role=Membership.Role.CHECKIN_STAFF)
    platform_admin = User.objects.create_superuser(
        "platform-admin", "platform@example.org", "correct horse battery staple"
    )

    company_a = CompanyFactory(
        name="Alphawerk Agrar GmbH",
        slug="alphawerk-agrar",
        contact_name="Adelheid Alphakontakt",
        contact_email="personal@alphawerk.example",
        contact_phone="03421 111111",
    )
    company_b = CompanyFactory(
        name="Betawerk Pflege GmbH",
        slug="betawerk-pflege",
        contact_name="Bernd Betakontakt",
        contact_email="personal@betawerk.example",
        contact_phone="03421 222222",
    )
    member_a = CompanyMemberFactory(
        company=company_a,
        user=UserFactory(username="hr-alpha", email="hr.alphawerk@alphawerk.example"),
    )
    member_b = CompanyMemberFactory(
        company=company_b,
        user=UserFactory(username="hr-beta", email="hr.betawerk@betawerk.example"),
    )
    # A colleague of company A (for the "remove member" route).
    colleague_a = CompanyMemberFactory(
        company=company_a,
        role="member",
        user=UserFactory(username="colleague-alpha", email="kollege@alphawerk.example"),
    )

    # --- fairs, bookings, passes, waiting list, job offers -------------------------------
    fair_a, stands_a, booking_a = _fair(
        org_a, series_a, company_a, title="Ausbildungsmesse Alpha", slug="messe-alpha"
    )
    fair_b, _stands_b, booking_b = _fair(
        org_b, series_b, company_b, title="Ausbildungsmesse Beta", slug="messe-beta"
    )
    staff_pass_a = fairs_services.issue_staff_pass(
        booking=booking_a, name="Anton Standdienst", now=now
    )
    waitlist_a = WaitlistEntryFactory(fair=fair_a, company=company_a, created_at=now)
    # Its start is rendered by the platform in the page's language (the language test).
    job_a = JobOfferFactory(
        company=company_a,
        title="Ausbildung Alphawerk Landwirt/in",
        start_date=date(2027, 8, 1),
        field_of_work="agriculture_food",
    )
    job_a.events.add(fair_a.event)
    job_b = JobOfferFactory(company=company_b, title="Ausbildung Betawerk Pflege")
    # A company that asked for a stand at A's fair and is not verified by A: organiser_a may
    # verify it for A; organisation B learns nothing of it (it has no dealings with B).
    pending_company = CompanyFactory(
        name="Gammawerk Handwerk GmbH",
        slug="gammawerk",
        contact_name="Gisela Gammakontakt",
        contact_email="g@gamma.example",
        contact_phone="03421 333333",
    )
    pending_booking_a = StandBookingFactory(
        company=pending_company, stand=StandFactory(hall=stands_a[0].hall), verified=False
    )

    # --- check-in: event X (assigned) and Y (not), a device, visitor A's ticket ----------
    event_x = DoorEventFactory(
        organisation=org_a, series=series_a, slug="alpha-tag-x", title_de="Rückkehrertag Alpha X"
    )
    event_y = DoorEventFactory(
        organisation=org_a, series=series_a, slug="alpha-tag-y", title_de="Rückkehrertag Alpha Y"
    )
    event_b = DoorEventFactory(
        organisation=org_b, series=series_b, slug="beta-tag", title_de="Rückkehrertag Beta"
    )
    checkin_services.assign_staff(event=event_x, user=checkin_x)
    ticket_a = make_ticket(
        event_x,
        name="Amalia Alphabesucherin",
        email="amalia.alpha@visitor-a.example",
        phone="0170 1111111",
    )
    ticket_a_y = make_ticket(
        event_y, name="Amalia Alphabesucherin", email="amalia.alpha@visitor-a.example"
    )
    ticket_b = make_ticket(event_b, name="Boris Betabesucher", email="boris.beta@visitor-b.example")
    registration_a, registration_b = ticket_a.registration, ticket_b.registration
    feed_a = VisitorFeed.objects.get_or_create(email=registration_a.email)[0]
    feed_b = VisitorFeed.objects.get_or_create(email=registration_b.email)[0]
    device_a, device_token_a = pair(event_x, "Handy Alpha", "Eingang Nord")

    # A camp of A where visitor A's child waits for the guardian's consent.
    camp_a = CampFactory(organisation=org_a, slug="alpha-camp", title_de="NaWi-Camp Alpha")
    # Written directly (what ticketing.register leaves for a minor), so the world does not
    # depend on the registration rules.
    camp_registration_a = Registration.objects.create(
        event=camp_a,
        kind=Registration.Kind.CAMP_PARTICIPANT,
        status=Registration.Status.PENDING_GUARDIAN,
        name="Alma Alphakind",
        email="amalia.alpha@visitor-a.example",
        birth_date=years_after(timezone.localdate(camp_a.starts_at), -13),
        guardian_name="Amalia Alphabesucherin",
        guardian_email="amalia.alpha@visitor-a.example",
        guardian_phone="0341 123456",
        emergency_contact="Opa Alpha, 0341 654321",
        medical_notes="Alpha-Nussallergie",
        guardian_token=new_token(),
        guardian_deadline=now + timedelta(hours=48),
        created_at=now,
    )

    # --- messages and announcements ------------------------------------------------------
    from tests.notifications.factories import write_test_message

    message_a = write_test_message(to_email=registration_a.email, event=event_x)
    message_a.attachments = [{"kind": "event_ics", "event_id": event_x.pk}]
    message_a.save(update_fields=["attachments"])
    message_b = write_test_message(to_email=registration_b.email, event=event_b)
    announcement_a = announcements.create_announcement(
        organisation=org_a,
        by=organiser_a,
        subject="Rundschreiben Alpha",
        body_markdown="Liebe Besucher von Alpha",
        events=[event_x],
        audiences=[Announcement.Audience.VISITORS],
    )
    announcement_b = announcements.create_announcement(
        organisation=org_b,
        by=organiser_b,
        subject="Rundschreiben Beta",
        body_markdown="Liebe Besucher von Beta",
        events=[event_b],
        audiences=[Announcement.Audience.VISITORS],
    )

    # A draft of A: nobody outside A may learn it exists (title in secrets_a["org"]).
    draft_a = EventFactory(
        organisation=org_a,
        status=Event.Status.DRAFT,
        slug="alpha-entwurf",
        title_de="Geheimer Entwurf Alpha",
        title_en="Secret draft Alpha",
    )
    stop_a = ExcursionStop.objects.create(event=draft_a, school="Alpha-Oberschule Entwurf")

    # --- one A-owned row for every back-office model without one yet -------------------
    from django.contrib.auth.models import Group
    from rest_framework.authtoken.models import Token

    from checkin.models import Assignment, Entrance, Scan
    from events_platform import audit
    from notifications.models import ReminderPlan, Suppression
    from ticketing.models import Question, RegistrationSettings

    audit_a = audit.record_action(
        actor=organiser_a, organisation=org_a, action="exported", target=event_x
    )
    group = Group.objects.create(name="Alpha-Gruppe")
    target_group = TargetGroupFactory(slug="alpha-zielgruppe", name_de="Alpha-Zielgruppe")
    token_a = Token.objects.create(user=member_a.user)
    settings_a = RegistrationSettings.objects.get_or_create(event=event_x)[0]
    question_a = Question.objects.create(
        event=event_x, label_de="Alpha-Frage", label_en="Alpha question"
    )
    checkin_list_a = checkin_services.ensure_checkin_lists(event=event_x)[0]
    # Visitor A is checked in at X (a scan and an attendance), and a walk-in was counted.
    checkin_services.redeem_ticket(
        device=device_a, secret=ticket_a.secret, nonce="world-scan", now=now
    )
    walk_in_a = checkin_services.count_walk_in(device=device_a, nonce="world-walk-in", now=now)
    reminder_plan_a = ReminderPlan.objects.create(event=event_x)
    suppression_a = Suppression.objects.create(
        email="abgemeldet@visitor-a.example", reason=Suppression.Reason.UNSUBSCRIBED
    )
    scan_a = Scan.objects.get(device=device_a, nonce="world-scan")

    # --- programmes: A's programme (event Y belongs to it), company A signed up with a mentor
    # and a mentee, paired, and a message written but not sent.
    from programmes.models import Pair, ProgrammeEvent, ProgrammeMessage
    from tests.programmes.factories import ParticipantFactory, ProgrammeFactory, SignupFactory

    programme_a = ProgrammeFactory(organisation=org_a, slug="mentoring-alpha")
    programme_event_a = ProgrammeEvent.objects.create(programme=programme_a, event=event_y)
    signup_a = SignupFactory(
        programme=programme_a,
        company=company_a,
        contact_name="Petra Programmkontakt",
        contact_email=company_a.contact_email,
    )
    mentor_a = ParticipantFactory(
        signup=signup_a, role="mentor", name="Martha Mentorin", email="martha@alphawerk.example"
    )
    mentee_a = ParticipantFactory(
        signup=signup_a, name="Mehmet Mentee", email="mehmet@alphawerk.example"
    )
    programme_objects = {
        "programme_a": programme_a,
        "programme_event_a": programme_event_a,
        "programme_signup_a": signup_a,
        "mentor_a": mentor_a,
        "mentee_a": mentee_a,
        "pair_a": Pair.objects.create(
            programme=programme_a, mentor=mentor_a, mentee=mentee_a, paired_at=now
        ),
        "programme_message_a": ProgrammeMessage.objects.create(
            programme=programme_a, subject="Alpha-Treffen", body="Bis bald.", created_at=now
        ),
    }

    # --- what the URL kwargs need --------------------------------------------------------
    w.users = {
        "organiser_a": organiser_a,
        "organiser_b": organiser_b,
        "checkin_x": checkin_x,
        "company_a": member_a.user,
        "company_b": member_b.user,
        "platform_admin": platform_admin,
    }
    w.objects = {
        "org_a": org_a,
        "org_b": org_b,
        "series_a": series_a,
        "series_b": series_b,
        "company_a": company_a,
        "company_b": company_b,
        "pending_company": pending_company,
        "pending_booking_a": pending_booking_a,
        "member_a": member_a,
        "member_b": member_b,
        "colleague_a": colleague_a,
        "fair_a": fair_a,
        "fair_b": fair_b,
        "stands_a": stands_a,
        "booking_a": booking_a,
        "booking_b": booking_b,
        "staff_pass_a": staff_pass_a,
        "waitlist_a": waitlist_a,
        "job_a": job_a,
        "job_b": job_b,
        "event_x": event_x,
        "event_y": event_y,
        "event_b": event_b,
        "camp_a": camp_a,
        "ticket_a": ticket_a,
        "ticket_a_y": ticket_a_y,
        "ticket_b": ticket_b,
        "registration_a": registration_a,
        "registration_b": registration_b,
        "camp_registration_a": camp_registration_a,
        "device_a": device_a,
        "message_a": message_a,
        "message_b": message_b,
        "announcement_a": announcement_a,
        "announcement_b": announcement_b,
        "audit_a": audit_a,
        "group": group,
        "target_group": target_group,
        "token_a": token_a,
        "registration_settings_a": settings_a,
        "question_a": question_a,
        "checkin_list_a": checkin_list_a,
        "entrance_a": Entrance.objects.get(event=event_x, name="Eingang Nord"),
        "assignment_x": Assignment.objects.get(event=event_x, user=checkin_x),
        "scan_a": scan_a,
        "walk_in_a": walk_in_a,
        "reminder_plan_a": reminder_plan_a,
        "suppression_a": suppression_a,
        "hall_a": stands_a[0].hall,
        "stand_a": stands_a[0],
        "membership_a": Membership.objects.get(user=organiser_a),
        "venue_a": event_x.venue,
        "draft_a": draft_a,
        "excursion_stop_a": stop_a,
    }
    w.objects.update(programme_objects)
    w.ids = {name: obj.pk for name, obj in w.objects.items() if hasattr(obj, "pk")}
    w.slugs = {
        "org_a": org_a.slug,
        "series_a": series_a.slug,
        "company_a": company_a.slug,
        "fair_event_a": fair_a.event.slug,
        "fair_event_b": fair_b.event.slug,
        "event_x": event_x.slug,
        "event_y": event_y.slug,
        "camp_a": camp_a.slug,
        "town_a": event_x.venue.town,
        "programme_a": programme_a.slug,
    }
    w.tokens = {
        # The visitor role: the links visitor A received by mail.
        "visitor": {
            "manage": registration_a.manage_token,
            "feed": feed_a.token,
            "guardian": camp_registration_a.guardian_token,
            "unsubscribe": announcements.unsubscribe_token(registration_a.email),
            "ticket_secret": ticket_a.secret,
        },
        "visitor_b": {
            "manage": registration_b.manage_token,
            "feed": feed_b.token,
            "guardian": "",  # visitor B has no camp child
            "unsubscribe": announcements.unsubscribe_token(registration_b.email),
            "ticket_secret": ticket_b.secret,
        },
        # Company A's mailed links (confirm the company address, accept an invitation).
        "company_a": {
            "confirm": company_services.company_confirmation_token(
                company=company_a, user=member_a.user
            ),
            "invite": company_services.invite_company_member(
                by=member_a, email="neu@alphawerk.example", now=now
            )
            .rstrip("/")
            .rsplit("/", 1)[-1],
        },
        "device_a": device_token_a,
        "pairing_x": checkin_services.pairing_token(event=event_x),
        "made_up": MADE_UP_TOKEN,
    }
    # Strings of A's private data: none may appear in a response to a party that is not
    # entitled to them (grouped by whose data they are).
    w.secrets_a = {
        "visitor": [
            registration_a.name,
            registration_a.email,
            registration_a.manage_token,
            feed_a.token,
            camp_registration_a.guardian_token,
            "Alma Alphakind",
            "Alpha-Nussallergie",
            ticket_a.secret,
        ],
        "org": [draft_a.title_de, draft_a.title_en, stop_a.school],
        "company": [
            company_a.contact_email,
            company_a.contact_phone,
            pending_company.contact_email,
            pending_company.contact_phone,
            member_a.user.email,
            "Anton Standdienst",
            "Petra Programmkontakt",
            "Mehmet Mentee",
            "martha@alphawerk.example",
            staff_pass_a.secret,
        ],
    }

    # --- leads: visitor A shared their contact at company A's stand at fair A -------------
    from leads import services as leads_services
    from leads.models import Contact

    contact_a = Contact.objects.create(
        event=fair_a.event,
        company=company_a,
        booking=booking_a,
        registration=registration_a,
        ticket=ticket_a,
        shared=True,
        name=registration_a.name,
        email=registration_a.email,
        note="Alpha-Standnotiz",
        created_at=now,
        updated_at=now,
    )
    w.objects["contact_a"] = contact_a
    w.ids["contact_a"] = contact_a.pk
    w.tokens["stand_a"] = leads_services.stand_code(booking_a)
    w.tokens["stand_pair_a"] = leads_services.pass_pairing_token(staff_pass_a)
    # The company's note about visitor A: the company's own and, as data about the visitor,
    # in the visitor's copy (Art. 15 GDPR); organisers see counts of contacts, never notes.
    w.secrets_a["contact_note"] = ["Alpha-Standnotiz"]

    # --- applications: visitor A applied to company A's job offer at fair A, answered ------
    from applications.demo import minimal_pdf
    from applications.models import Answer as ApplicationAnswer
    from applications.models import Application, ApplicationFile

    application_a = Application.objects.create(
        job_offer=job_a,
        company=company_a,
        event=fair_a.event,
        name="Anja Alphabewerberin",
        email=registration_a.email,
        message="Alpha-Bewerbungstext",
        consent_text="Einverstanden.",
        consent_language="de",
        consent_at=now,
        created_at=now,
    )
    cv_a = minimal_pdf(["Alpha-Lebenslauf"])
    ApplicationFile.objects.create(
        application=application_a, kind="cv", name="Lebenslauf.pdf", size=len(cv_a), pages=1,
        data=cv_a,
    )  # fmt: skip
    ApplicationAnswer.objects.create(
        application=application_a, status="invited", body="Alpha-Einladung", sent_at=now
    )
    w.objects["application_a"] = application_a
    w.ids["application_a"] = application_a.pk
    w.tokens["visitor"]["application"] = application_a.token
    w.tokens["visitor_b"]["application"] = ""  # visitor B applied nowhere
    w.secrets_a["visitor"] += ["Anja Alphabewerberin", "Alpha-Bewerbungstext", application_a.token]

    # --- surveys: A's anonymous needs survey, open, sent to a list; company A invited -------
    from surveys import services as survey_services
    from surveys.models import Question as SurveyQuestion
    from surveys.models import Survey

    survey_a = survey_services.create_survey(
        organisation=org_a,
        by=organiser_a,
        title_de="Alpha-Bedarfsumfrage",
        title_en="Alpha needs survey",
        minutes=10,
        anonymous=True,
        audience=Survey.Audience.LIST,
        emails=f"{company_a.contact_email}\nalpha-umfrageliste@alphawerk.example",
    )
    survey_section_a = survey_services.add_section(survey=survey_a, title_de="Bedarf")
    survey_question_a = survey_services.save_question(
        section=survey_section_a,
        kind=SurveyQuestion.Kind.SINGLE,
        text_de="Brauchen Sie Unterstützung?",
        required=True,
        choices=[("Sprache", "Language"), ("Wohnung", "Housing")],
    )
    survey_public_a = survey_services.create_survey(
        organisation=org_a,
        by=organiser_a,
        title_de="Alpha-Kurzumfrage",
        audience=Survey.Audience.PUBLIC,
    )
    survey_services.save_question(
        section=survey_services.add_section(survey=survey_public_a, title_de="Kurz"),
        kind=SurveyQuestion.Kind.SHORT,
        text_de="Was fehlt?",
    )
    survey_services.open_survey(survey=survey_a, by=organiser_a, now=now)
    survey_services.open_survey(survey=survey_public_a, by=organiser_a, now=now)
    for name, obj in {
        "survey_a": survey_a,
        "survey_section_a": survey_section_a,
        "survey_question_a": survey_question_a,
    }.items():
        w.objects[name] = obj
        w.ids[name] = obj.pk
    w.tokens["survey_a"] = survey_a.invitations.get(company=company_a).token
    w.tokens["survey_public"] = survey_public_a.public_token
    w.secrets_a["org"].append("alpha-umfrageliste@alphawerk.example")

    # --- clients -------------------------------------------------------------------------
    w.clients = {role: Client() for role in ROLES}
    for role, user in w.users.items():
        w.clients[role].force_login(user)
    return w


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """The world, built once per module and rolled back at its end (see the module doc)."""
    from django.core.cache import cache

    limits = override_settings(
        TICKETING_RATE_LIMITS={"ip": (100_000, 600), "email": (100_000, 3600)},
    )
    limits.enable()
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            # Public keys are cached by event id; ids repeat between rolled-back runs.
            cache.delete_many([f"ticket-public-key:{pk}" for pk in range(1, 3000)])
            built = build_world()
            yield built
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            cache.delete_many([f"ticket-public-key:{pk}" for pk in range(1, 3000)])
            limits.disable()


__all__ = ["ROLES", "MADE_UP_TOKEN", "World", "build_world", "world", "Message"]
