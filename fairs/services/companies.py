"""Use cases of a company account: sign-up, e-mail confirmation, colleagues, profile,
and the organiser's verification."""

from datetime import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from events_platform import audit
from events_platform.models import Organisation
from infra.errors import DomainError, InvalidInput, NotAllowed
from infra.errors import ErrorCode as CommonErrorCode

from .. import signals
from ..errors import ErrorCode
from ..images import clean_logo
from ..models import Company, CompanyMember, CompanyVerification

CONFIRM_SALT = "fairs.company-email"
INVITE_SALT = "fairs.company-invite"
CONFIRM_MAX_AGE = 3 * 24 * 3600
INVITE_MAX_AGE = 14 * 24 * 3600
PROFILE_FIELDS = {
    "name",
    "sector",
    "description_de",
    "description_en",
    "website",
    "contact_name",
    "contact_email",
    "contact_phone",
    "street",
    "postcode",
    "town",
}


def _absolute(path: str) -> str:
    return settings.SITE_URL + path


def _unique_slug(name: str) -> str:
    base = slugify(name)[:100] or "firma"
    slug, number = base, 1
    while Company.objects.filter(slug=slug).exists():
        number += 1
        slug = f"{base}-{number}"
    return slug


def _user_model():
    return get_user_model()


@transaction.atomic
def sign_up_company(
    *, name: str, sector: str, email: str, password: str, contact_name: str, now: datetime
) -> CompanyMember:
    """Create a company with its first (admin) user and ask to confirm the e-mail address.

    Raises InvalidInput `email_taken` when the address already has an account."""
    email = email.strip().lower()
    if _user_model().objects.filter(email__iexact=email).exists():
        raise InvalidInput(
            _("An account with this e-mail address exists already. Please sign in."),
            ErrorCode.EMAIL_TAKEN,
        )
    user = _user_model().objects.create_user(username=email, email=email, password=password)
    company = Company.objects.create(
        name=name.strip(),
        slug=_unique_slug(name),
        sector=sector,
        contact_name=contact_name.strip(),
        contact_email=email,
        # Messages follow the language the company signed up in.
        language=(get_language() or "de")[:2],
    )
    member = CompanyMember.objects.create(company=company, user=user, role=CompanyMember.Role.ADMIN)
    request_company_email_confirmation(company=company, user=user)
    return member


def company_confirmation_token(*, company: Company, user: User) -> str:
    """A signed token that proves the user received mail at the company's address."""
    return signing.dumps({"c": company.pk, "u": user.pk, "e": user.email}, salt=CONFIRM_SALT)


@transaction.atomic
def request_company_email_confirmation(*, company: Company, user: User) -> str:
    """Send (through the signal) a link that confirms the company's e-mail address."""
    token = company_confirmation_token(company=company, user=user)
    url = _absolute(reverse("fairs:company-confirm", kwargs={"token": token}))
    signals.company_email_confirmation_requested.send(
        sender=Company, company=company, user=user, confirm_url=url
    )
    return url


def _load(token: str, *, salt: str, max_age: int) -> dict:
    try:
        return signing.loads(token, salt=salt, max_age=max_age)
    except signing.SignatureExpired:
        raise InvalidInput(
            _("This link has expired. Please ask for a new one."), ErrorCode.TOKEN_EXPIRED
        ) from None
    except signing.BadSignature:
        raise InvalidInput(_("This link is not valid."), ErrorCode.INVALID_TOKEN) from None


@transaction.atomic
def confirm_company_email(*, token: str, now: datetime) -> Company:
    """Mark the company's e-mail address as confirmed; raises InvalidInput for bad links."""
    data = _load(token, salt=CONFIRM_SALT, max_age=CONFIRM_MAX_AGE)
    company = Company.objects.select_for_update().filter(pk=data["c"]).first()
    user = _user_model().objects.filter(pk=data["u"], email=data["e"]).first()
    if company is None or user is None:
        raise InvalidInput(_("This link is not valid."), ErrorCode.INVALID_TOKEN)
    if company.email_confirmed_at is None:
        company.email_confirmed_at = now
        company.save(update_fields=["email_confirmed_at"])
    return company


@transaction.atomic
def invite_company_member(
    *, by: CompanyMember, email: str, role: str = CompanyMember.Role.MEMBER, now: datetime
) -> str:
    """Invite a colleague by e-mail link (signal `company_member_invited`); returns the link.

    Raises NotAllowed `not_company_admin`, DomainError `already_member`."""
    if not by.is_admin:
        raise NotAllowed(
            _("Only the company's administrators can invite."), ErrorCode.NOT_COMPANY_ADMIN
        )
    email = email.strip().lower()
    if CompanyMember.objects.filter(user__email__iexact=email).exists():
        raise DomainError(
            _("This person already belongs to a company on the platform."), ErrorCode.ALREADY_MEMBER
        )
    token = signing.dumps({"c": by.company_id, "e": email, "r": role}, salt=INVITE_SALT)
    url = _absolute(reverse("fairs:invite-accept", kwargs={"token": token}))
    signals.company_member_invited.send(
        sender=Company, company=by.company, email=email, invite_url=url
    )
    return url


def read_invitation(token: str) -> tuple[Company, str, str]:
    """The company, e-mail address and role an invitation link is for."""
    data = _load(token, salt=INVITE_SALT, max_age=INVITE_MAX_AGE)
    company = Company.objects.filter(pk=data["c"]).first()
    if company is None:
        raise InvalidInput(_("This link is not valid."), ErrorCode.INVALID_TOKEN)
    return company, data["e"], data["r"]


@transaction.atomic
def accept_company_invitation(
    *, token: str, user: User | None = None, password: str = "", now: datetime
) -> CompanyMember:
    """Join the inviting company, as the signed-in user or as a new user with `password`.

    Raises InvalidInput `invalid_token`/`token_expired`/`wrong_email`, DomainError
    `already_member`."""
    company, email, role = read_invitation(token)
    if user is None:
        if _user_model().objects.filter(email__iexact=email).exists():
            raise InvalidInput(
                _("An account with this e-mail address exists already. Please sign in."),
                ErrorCode.EMAIL_TAKEN,
            )
        user = _user_model().objects.create_user(username=email, email=email, password=password)
    elif user.email.lower() != email:
        raise InvalidInput(
            _("This invitation was sent to another e-mail address."), ErrorCode.WRONG_EMAIL
        )
    if CompanyMember.objects.filter(user=user).exists():
        raise DomainError(
            _("This person already belongs to a company on the platform."), ErrorCode.ALREADY_MEMBER
        )
    # Whoever opens the link received the mail: that confirms the company's address too.
    if company.email_confirmed_at is None:
        company.email_confirmed_at = now
        company.save(update_fields=["email_confirmed_at"])
    return CompanyMember.objects.create(company=company, user=user, role=role)


@transaction.atomic
def remove_company_member(*, by: CompanyMember, member: CompanyMember) -> None:
    """Remove a colleague from the company. Raises NotAllowed, DomainError `last_admin`."""
    if not by.is_admin or member.company_id != by.company_id:
        raise NotAllowed(
            _("Only the company's administrators can remove members."), CommonErrorCode.NOT_ALLOWED
        )
    if member.pk == by.pk:
        raise DomainError(_("You cannot remove yourself."), ErrorCode.LAST_ADMIN)
    member.delete()


@transaction.atomic
def update_company_profile(
    *, company: Company, data: dict, logo: bytes | None = None, remove_logo: bool = False
) -> Company:
    """Change the profile fields in `data` and the logo. Raises InvalidInput for bad logos."""
    company = Company.objects.select_for_update().get(pk=company.pk)
    for name, value in data.items():
        if name in PROFILE_FIELDS:
            setattr(company, name, value)
    old_logo = company.logo.name if company.logo else ""
    if logo is not None:
        cleaned = clean_logo(logo)
        company.logo.save(cleaned.name, cleaned, save=False)
    elif remove_logo:
        company.logo = ""
    company.full_clean(exclude=["logo", "slug"])
    company.save()
    if old_logo and old_logo != (company.logo.name if company.logo else ""):
        transaction.on_commit(lambda: company.logo.storage.delete(old_logo))
    return company


@transaction.atomic
def verify_company(
    *, company: Company, organisation: Organisation, by: User, now: datetime
) -> CompanyVerification:
    """Mark the company as verified by `organisation`, so its bookings at that organisation's
    events can be confirmed; logged in the organisation's audit log (once).

    Raises DomainError `email_not_confirmed`."""
    company = Company.objects.select_for_update().get(pk=company.pk)
    if company.email_confirmed_at is None:
        raise DomainError(
            _("The company has not confirmed its e-mail address yet."),
            ErrorCode.EMAIL_NOT_CONFIRMED,
        )
    verification, created = CompanyVerification.objects.get_or_create(
        organisation=organisation,
        company=company,
        defaults={"verified_at": now, "verified_by": by},
    )
    if created:
        audit.record_action(
            actor=by, organisation=organisation, action="company_verified", target=company
        )
    return verification
