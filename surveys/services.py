"""The use cases of needs surveys: build, open and close, invite and remind, answer.

Each runs in one transaction; mails are outbox rows written in it (surveys/mails.py).
"""

from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext as _

from events_platform import audit
from fairs.models import Company, CompanyVerification, StandBooking
from infra.errors import DomainError

from . import mails
from .errors import ErrorCode
from .models import Answer, Choice, Invitation, Question, Response, Section, Survey

SURVEY_FIELDS = (
    "title_de", "title_en", "intro_de", "intro_en", "minutes", "anonymous", "opens_at",
    "closes_at", "audience", "series", "emails", "remind_days_before",
)  # fmt: skip
# What may still change once the survey is open (its questions and who is asked may not).
OPEN_FIELDS = ("title_de", "title_en", "intro_de", "intro_en", "minutes", "closes_at",
               "remind_days_before")  # fmt: skip


def _lock(survey: Survey) -> Survey:
    """Lock the survey's row and bring the caller's object up to date (inside a transaction)."""
    list(Survey.objects.select_for_update().filter(pk=survey.pk).values_list("pk"))
    survey.refresh_from_db()
    return survey


def _require_draft(survey: Survey) -> None:
    if survey.state != Survey.State.DRAFT:
        raise DomainError(
            _("The questions of an open or closed survey cannot be changed."),
            ErrorCode.SURVEY_NOT_DRAFT,
        )


@transaction.atomic
def create_survey(*, organisation, by, **fields) -> Survey:
    survey = Survey.objects.create(
        organisation=organisation, **{k: v for k, v in fields.items() if k in SURVEY_FIELDS}
    )
    audit.record_action(actor=by, organisation=organisation, action="survey_created", target=survey)
    return survey


@transaction.atomic
def update_survey(*, survey: Survey, by, **fields) -> Survey:
    allowed = SURVEY_FIELDS if survey.state == Survey.State.DRAFT else OPEN_FIELDS
    changed = []
    for name, value in fields.items():
        if name in allowed and getattr(survey, name) != value:
            setattr(survey, name, value)
            changed.append(name)
    if changed:
        survey.save()
        audit.record_action(
            actor=by,
            organisation=survey.organisation,
            action="survey_changed",
            target=survey,
            details={"fields": changed},
        )
    return survey


@transaction.atomic
def add_section(*, survey: Survey, title_de: str, title_en: str = "") -> Section:
    _require_draft(survey)
    last = survey.sections.order_by("-position").values_list("position", flat=True).first()
    return Section.objects.create(
        survey=survey, title_de=title_de, title_en=title_en, position=(last or 0) + 1
    )


@transaction.atomic
def update_section(*, section: Section, title_de: str, title_en: str, position: int) -> Section:
    _require_draft(section.survey)
    section.title_de, section.title_en, section.position = title_de, title_en, position
    section.save()
    return section


@transaction.atomic
def delete_section(*, section: Section) -> None:
    _require_draft(section.survey)
    section.delete()


YES_NO = (("Ja", "Yes"), ("Nein", "No"))


@transaction.atomic
def save_question(
    *,
    section: Section,
    question: Question | None = None,
    choices: list[tuple[str, str]] | None = None,
    **fields,
) -> Question:
    """Add or change a question; `choices` (German, English) replace the options of a
    single or multiple choice question (kept where the German label stays the same, so a
    condition pointing at one survives). A yes/no question has the options Ja/Yes, Nein/No."""
    _require_draft(section.survey)
    if question is None:
        last = section.questions.order_by("-position").values_list("position", flat=True).first()
        question = Question(section=section, position=(last or 0) + 1)
    for name, value in fields.items():
        setattr(question, name, value)
    if question.kind not in (Question.Kind.SINGLE, Question.Kind.MULTIPLE):
        question.allow_other = False
    question.save()
    if question.kind == Question.Kind.YESNO:
        choices = list(YES_NO)
    elif question.kind not in Question.CHOICE_KINDS:
        choices = []
    if choices is not None:
        existing = {choice.label_de: choice for choice in question.choices.all()}
        keep = []
        for position, (label_de, label_en) in enumerate(choices, start=1):
            choice = existing.get(label_de) or Choice(question=question, label_de=label_de)
            choice.label_en, choice.position = label_en, position
            choice.save()
            keep.append(choice.pk)
        question.choices.exclude(pk__in=keep).delete()
    return question


@transaction.atomic
def delete_question(*, question: Question) -> None:
    _require_draft(question.section.survey)
    question.delete()


def questions_of(survey: Survey):
    return (
        Question.objects.filter(section__survey=survey)
        .select_related("section", "condition_choice")
        .prefetch_related("choices")
    )


# --- Opening, closing, who is asked ------------------------------------------------------


def audience_addresses(survey: Survey) -> list[tuple[str, Company | None, str]]:
    """(address, company, language) of everyone the survey's audience names, one per address.

    Companies of the district: those the organisation has checked (verified) or that had a
    stand at one of its events (the platform knows no company's district otherwise).
    """
    found: dict[str, tuple[str, Company | None, str]] = {}
    if survey.audience == Survey.Audience.LIST:
        addresses = [line.strip() for line in survey.emails.splitlines() if line.strip()]
        # An address that is a company's contact address is that company's invitation.
        known = {
            company.email_key: company
            for company in Company.objects.annotate(email_key=Lower("contact_email")).filter(
                email_key__in=[address.lower() for address in addresses]
            )
        }
        for address in addresses:
            company = known.get(address.lower())
            language = company.language if company else "de"
            found.setdefault(address.lower(), (address, company, language))
        return list(found.values())
    if survey.audience == Survey.Audience.DISTRICT:
        verified = CompanyVerification.objects.filter(organisation=survey.organisation)
        booked = StandBooking.objects.filter(fair__event__organisation=survey.organisation)
        companies = Company.objects.filter(
            Q(pk__in=verified.values("company")) | Q(pk__in=booked.values("company"))
        )
    elif survey.audience == Survey.Audience.SERIES and survey.series_id:
        companies = Company.objects.filter(
            pk__in=StandBooking.objects.filter(
                fair__event__series=survey.series, status=StandBooking.Status.APPROVED
            ).values("company")
        )
    else:
        companies = Company.objects.none()
    for company in companies.order_by("name", "pk"):
        if company.contact_email:
            found.setdefault(
                company.contact_email.lower(), (company.contact_email, company, company.language)
            )
    return list(found.values())


@transaction.atomic
def open_survey(*, survey: Survey, by, now: datetime) -> int:
    """Open the survey for answers and invite its audience; returns the invitations written.

    With a start in the future the survey is only scheduled (no invitation yet): `open_due`
    opens it at its start. A scheduled survey opened again opens now."""
    survey = _lock(survey)
    if survey.state != Survey.State.SCHEDULED:
        _require_draft(survey)
    if not questions_of(survey).exists():
        raise DomainError(
            _("Add at least one question before opening the survey."), ErrorCode.SURVEY_EMPTY
        )
    if survey.closes_at and survey.closes_at <= now:
        raise DomainError(
            _("The closing date has passed. Please choose a later one."),
            ErrorCode.SURVEY_NOT_OPEN,
        )
    if survey.audience != Survey.Audience.PUBLIC and not audience_addresses(survey):
        raise DomainError(
            _("Nobody would be invited: the audience holds no e-mail address."),
            ErrorCode.SURVEY_NO_AUDIENCE,
        )
    if survey.state == Survey.State.DRAFT and survey.opens_at and survey.opens_at > now:
        survey.state = Survey.State.SCHEDULED
        survey.save(update_fields=["state"])
        audit.record_action(actor=by, organisation=survey.organisation,
                            action="survey_scheduled", target=survey)  # fmt: skip
        return 0
    survey.state = Survey.State.OPEN
    if survey.opens_at is None or survey.opens_at > now:
        survey.opens_at = now
    survey.save(update_fields=["state", "opens_at"])
    audit.record_action(actor=by, organisation=survey.organisation, action="survey_opened",
                        target=survey)  # fmt: skip
    return invite(survey=survey, by=by, now=now)


@transaction.atomic
def close_survey(*, survey: Survey, by, now: datetime) -> None:
    survey = _lock(survey)
    if survey.state != Survey.State.OPEN:
        raise DomainError(_("Only an open survey can be closed."), ErrorCode.SURVEY_NOT_OPEN)
    survey.state = Survey.State.CLOSED
    if survey.closes_at is None or survey.closes_at > now:
        survey.closes_at = now
    survey.save(update_fields=["state", "closes_at"])
    audit.record_action(actor=by, organisation=survey.organisation, action="survey_closed",
                        target=survey)  # fmt: skip


@transaction.atomic
def invite(*, survey: Survey, by, now: datetime) -> int:
    """One invitation per address of the audience not yet invited; returns how many."""
    if survey.state != Survey.State.OPEN:
        raise DomainError(_("Please open the survey first."), ErrorCode.SURVEY_NOT_OPEN)
    if survey.audience == Survey.Audience.PUBLIC:
        return 0
    known = {
        email.lower()
        for email in Invitation.objects.filter(survey=survey).values_list("email", flat=True)
    }
    written = 0
    for address, company, language in audience_addresses(survey):
        if address.lower() in known:
            continue
        invitation = Invitation.objects.create(
            survey=survey, email=address, company=company, language=language, invited=True
        )
        mails.invitation_mail(invitation, now=now)
        written += 1
    if written:
        audit.record_action(
            actor=by,
            organisation=survey.organisation,
            action="survey_invited",
            target=survey,
            details={"invitations": written},
        )
    return written


@transaction.atomic
def remind(*, survey: Survey, by, now: datetime) -> int:
    """The one reminder to each invited address that has not answered; returns how many."""
    survey = _lock(survey)
    if survey.state != Survey.State.OPEN:
        raise DomainError(_("Please open the survey first."), ErrorCode.SURVEY_NOT_OPEN)
    due = survey.invitations.select_for_update().filter(
        invited=True, answered=False, reminded=False, public=False
    )
    written = 0
    for invitation in due:
        mails.reminder_mail(invitation, now=now)
        invitation.reminded = True
        invitation.save(update_fields=["reminded"])
        written += 1
    survey.reminded_at = now
    survey.save(update_fields=["reminded_at"])
    audit.record_action(
        actor=by,
        organisation=survey.organisation,
        action="survey_reminded",
        target=survey,
        details={"reminders": written},
    )
    return written


def remind_due(*, now: datetime) -> int:
    """Send the automatic reminder of each open survey whose day for it has come."""
    sent = 0
    for survey in Survey.objects.filter(
        state=Survey.State.OPEN,
        reminded_at__isnull=True,
        remind_days_before__isnull=False,
        closes_at__isnull=False,
    ):
        if survey.closes_at - timedelta(days=survey.remind_days_before) <= now < survey.closes_at:
            sent += remind(survey=survey, by=None, now=now)
    return sent


def open_due(*, now: datetime) -> int:
    """Open the scheduled surveys whose start has come and invite their audience; returns
    how many opened."""
    opened = 0
    for survey in Survey.objects.filter(state=Survey.State.SCHEDULED, opens_at__lte=now):
        try:
            open_survey(survey=survey, by=None, now=now)
        except DomainError:
            continue  # e.g. its closing date passed meanwhile: it stays scheduled, visibly
        opened += 1
    return opened


def close_due(*, now: datetime) -> int:
    """Close the open surveys whose closing time has passed."""
    closed = 0
    for survey in Survey.objects.filter(state=Survey.State.OPEN, closes_at__lte=now):
        close_survey(survey=survey, by=None, now=now)
        closed += 1
    return closed


# --- Answering ---------------------------------------------------------------------------


def is_answerable(survey: Survey, now: datetime) -> bool:
    return (
        survey.state == Survey.State.OPEN
        and (survey.opens_at is None or survey.opens_at <= now)
        and (survey.closes_at is None or survey.closes_at > now)
    )


def chosen_ids(draft: dict) -> set[int]:
    """The option ids chosen anywhere in a draft (what conditions look at)."""
    found = set()
    for value in draft.values():
        found.update(int(pk) for pk in value.get("choices", []))
    return found


def is_shown(question: Question, draft: dict) -> bool:
    """A question with a condition is shown only when its option was chosen."""
    return question.condition_choice_id is None or question.condition_choice_id in chosen_ids(draft)


@transaction.atomic
def start_public(*, survey: Survey, language: str, now: datetime) -> Invitation:
    """A visitor of the public link gets an invitation of their own (no address): its link
    resumes their answers."""
    if not is_answerable(survey, now) or survey.audience != Survey.Audience.PUBLIC:
        raise DomainError(_("This survey is not open."), ErrorCode.SURVEY_NOT_OPEN)
    return Invitation.objects.create(survey=survey, public=True, language=language)


@transaction.atomic
def save_section(
    *, invitation: Invitation, section: Section, values: dict, now: datetime, last: bool
) -> Invitation:
    """Keep what was typed in one section (by question id) in the draft; on the last
    section send the answers."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.answered:
        raise DomainError(
            _("Your answers have already been sent. Thank you!"),
            ErrorCode.SURVEY_ALREADY_ANSWERED,
        )
    if not is_answerable(invitation.survey, now):
        raise DomainError(_("This survey is not open."), ErrorCode.SURVEY_NOT_OPEN)
    draft = dict(invitation.draft)
    for question in section.questions.all():
        draft.pop(str(question.pk), None)
    draft.update({str(pk): value for pk, value in values.items()})
    invitation.draft = draft
    invitation.section_reached = max(invitation.section_reached, section.position)
    invitation.save(update_fields=["draft", "section_reached"])
    if last:
        _submit(invitation, now=now)
    return invitation


def _submit(invitation: Invitation, *, now: datetime) -> Response:
    """Move the draft into a Response: for an anonymous survey without company, date or any
    link to the invitation; the invitation keeps only that it has answered."""
    survey = invitation.survey
    named = not survey.anonymous
    response = Response.objects.create(
        survey=survey,
        company=invitation.company if named else None,
        submitted_on=now.date() if named else None,
    )
    draft = invitation.draft
    answers = []
    for question in questions_of(survey):
        value = draft.get(str(question.pk))
        if not value or not is_shown(question, draft):
            continue
        valid = {choice.pk for choice in question.choices.all()}
        for pk in value.get("choices", []):
            if int(pk) in valid:
                answers.append(Answer(response=response, question=question, choice_id=int(pk)))
        if value.get("other"):
            answers.append(Answer(response=response, question=question, text=value["other"]))
        if value.get("number") is not None:
            answers.append(Answer(response=response, question=question, number=value["number"]))
        if value.get("text"):
            answers.append(Answer(response=response, question=question, text=value["text"]))
    # Written in random key order, so not even the physical order tells who came when.
    answers.sort(key=lambda answer: answer.pk)
    Answer.objects.bulk_create(answers)
    invitation.answered = True
    invitation.draft = {}
    invitation.save(update_fields=["answered", "draft"])
    return response
