"""The use cases of programmes: a company signs up and withdraws, enters and removes its
mentors and mentees (with their consent), the organiser pairs them and writes to the
participants. Each runs in one transaction; its messages are outbox rows of it."""

from datetime import datetime

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from infra.errors import DomainError, InvalidInput

from . import consent_texts, mail, queries
from .errors import ErrorCode
from .models import Pair, Participant, Programme, ProgrammeMessage, Signup


@transaction.atomic
def sign_up(
    *,
    programme: Programme,
    company,
    user,
    contact_name: str,
    contact_email: str,
    contact_phone: str,
    international_employees: int,
    needs: list[str],
    needs_text: str,
    language: str,
    now: datetime,
) -> Signup:
    """Sign `company` up (or up again after a withdrawal); a confirmation mail goes out."""
    if not queries.open_for_signup(programme, now=now):
        raise DomainError(_("This programme takes no more sign-ups."), ErrorCode.PROGRAMME_CLOSED)
    values = {
        "status": Signup.Status.ACTIVE,
        "contact_name": contact_name,
        "contact_email": contact_email,
        "contact_phone": contact_phone,
        "international_employees": international_employees,
        "needs": list(needs),
        "needs_text": needs_text,
        "language": language,
        "signed_up_by": user,
        "signed_up_at": now,
        "withdrawn_at": None,
    }
    signup = Signup.objects.select_for_update().filter(programme=programme, company=company).first()
    if signup is not None and signup.is_active:
        for name, value in values.items():
            if name not in ("signed_up_at", "signed_up_by"):
                setattr(signup, name, value)
        signup.save()
        return signup
    if signup is None:
        signup = Signup.objects.create(programme=programme, company=company, **values)
    else:
        for name, value in values.items():
            setattr(signup, name, value)
        signup.save()
    mail.signup_received(signup=signup)
    return signup


@transaction.atomic
def withdraw(*, signup: Signup, now: datetime) -> None:
    """End the company's sign-up: its mentors and mentees (and their pairs) are erased."""
    signup = Signup.objects.select_for_update().get(pk=signup.pk)
    if not signup.is_active:
        raise DomainError(
            _("The company is not signed up to this programme."),
            ErrorCode.PROGRAMME_NOT_SIGNED_UP,
        )
    signup.participants.all().delete()
    signup.status = Signup.Status.WITHDRAWN
    signup.withdrawn_at = now
    signup.save(update_fields=["status", "withdrawn_at"])


@transaction.atomic
def add_participant(
    *,
    signup: Signup,
    role: str,
    name: str,
    email: str,
    job: str,
    languages: str,
    consent_language: str,
    user,
    now: datetime,
) -> Participant:
    """Record a mentor or mentee with the consent they gave (the wording in the language
    shown, its version and the time)."""
    if not signup.is_active:
        raise DomainError(
            _("The company is not signed up to this programme."),
            ErrorCode.PROGRAMME_NOT_SIGNED_UP,
        )
    return Participant.objects.create(
        signup=signup,
        role=role,
        name=name,
        email=email,
        job=job,
        languages=languages,
        consent_text=consent_texts.text_in(consent_language),
        consent_language=consent_language,
        consent_version=consent_texts.VERSION,
        consent_given_at=now,
        entered_by=user,
    )


@transaction.atomic
def withdraw_consent(*, participant: Participant) -> None:
    """The person withdrew their consent: their record and their pair are erased."""
    participant.delete()


@transaction.atomic
def pair(*, programme: Programme, mentor: Participant, mentee: Participant, user, now) -> Pair:
    """Pair a mentor and a mentee of the programme; a mentee's earlier pair is replaced."""
    valid = (
        mentor.role == Participant.Role.MENTOR
        and mentee.role == Participant.Role.MENTEE
        and mentor.signup.programme_id == programme.pk
        and mentee.signup.programme_id == programme.pk
        and mentor.signup.is_active
        and mentee.signup.is_active
    )
    if not valid:
        raise InvalidInput(
            _("Please choose a mentor and a mentee of this programme."),
            ErrorCode.PROGRAMME_PAIR_INVALID,
        )
    Pair.objects.filter(mentee=mentee).delete()
    return Pair.objects.create(
        programme=programme, mentor=mentor, mentee=mentee, paired_by=user, paired_at=now
    )


@transaction.atomic
def unpair(*, pair: Pair) -> None:
    pair.delete()


@transaction.atomic
def send_message(*, message: ProgrammeMessage, now: datetime) -> int:
    """Send the message to every participant once (company contacts, mentors, mentees with
    an address); a second send is refused. Returns the number of recipients."""
    message = ProgrammeMessage.objects.select_for_update().get(pk=message.pk)
    if message.sent_at is not None:
        raise DomainError(
            _("This message has already been sent."), ErrorCode.PROGRAMME_MESSAGE_SENT
        )
    recipients = queries.recipients(message.programme)
    if not recipients:
        raise DomainError(
            _("The programme has no participants to write to yet."),
            ErrorCode.PROGRAMME_NO_RECIPIENTS,
        )
    for recipient in recipients:
        mail.programme_message(
            message=message,
            to_email=recipient.email,
            name=recipient.name,
            language=recipient.language,
            now=now,
        )
    message.sent_at = now
    message.recipients = len(recipients)
    message.save(update_fields=["sent_at", "recipients"])
    return len(recipients)
