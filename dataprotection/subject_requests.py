"""Data-subject requests (GDPR Art. 15 and 17): a person's copy of their data, and its erasure.

Data protection holds the registry and the use cases; every app that keeps data about a
person identified by an e-mail address registers a provider from its own `subject_data.py`,
imported by its AppConfig.ready(), so data protection never names the apps:

    from dataprotection import subject_requests
    subject_requests.register("ticketing", export=export, erase=erase, organisations=orgs)

- `export(email, *, organisations) -> list[Section]`: what the app stores about the person;
- `erase(email, *, now, organisations) -> dict[str, int]`: anonymise or delete it, keeping
  counts; returns what was done, per kind, as counts;
- `organisations(email) -> set[int]`: ids of the organisations whose events the data
  belongs to (their administrators see the request in their audit log).

`organisations` is None for the person's own request (everything), or the organisations an
organiser acts for (only data of their events). The person is found by the e-mail address;
the request records keep only a keyed hash of it.

Mail leaves through the `data_link_requested` signal, which the messages app answers by
writing an outbox row in the same transaction (the core does not import it). The page only
queues the request (`queue_data_link`); a task does the lookup, so the answer takes as long
for an unknown address as for a known one.
"""

import hashlib
import hmac
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from celery import current_app
from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.db import models, transaction
from django.dispatch import Signal
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from events_platform import audit
from events_platform.models import DataRequest, Event, Organisation
from infra import secret_box
from infra.errors import DomainError, NotAllowed
from infra.errors import ErrorCode as CommonErrorCode

from .errors import ErrorCode

# Sent inside the request's transaction when a person asks for the link to their data.
# kwargs: email (str), url (absolute link), expires_at (aware datetime), language ("de"/"en").
data_link_requested = Signal()


@dataclass(frozen=True)
class Section:
    """One kind of record an app holds about the person (registrations, messages …).

    `records` hold values as read (dates and times as datetimes, links as `Link`): the page
    shows them as people read them, `SubjectCopy.as_json()` writes them as `plain()` values.
    """

    key: str
    title: str
    labels: dict[str, str]
    records: list[dict]
    kept_note: str = ""


@dataclass(frozen=True)
class Link:
    """A web address in a record: the page shows `text` as a link, the file holds `url`."""

    url: str
    text: str


@dataclass(frozen=True)
class Provider:
    name: str
    export: Callable[..., list[Section]]
    erase: Callable[..., dict[str, int]]
    organisations: Callable[[str], set[int]]
    order: int


_providers: dict[str, Provider] = {}


def register(
    name: str,
    *,
    export: Callable[..., list[Section]],
    erase: Callable[..., dict[str, int]],
    organisations: Callable[[str], set[int]] | None = None,
    order: int = 50,
) -> None:
    """Register (or replace) an app's provider; providers run in `order`."""
    _providers[name] = Provider(
        name=name,
        export=export,
        erase=erase,
        organisations=organisations or (lambda email: set()),
        order=order,
    )


def providers() -> list[Provider]:
    """Every registered provider, in order (each app registered its own at start)."""
    return sorted(_providers.values(), key=lambda provider: (provider.order, provider.name))


# --- Helpers for providers ----------------------------------------------------------------


def plain(value):
    """A value as JSON can hold it (dates as ISO text, related objects as their name, a link
    as its address), also inside lists and dicts."""
    if isinstance(value, datetime):
        return timezone.localtime(value).isoformat() if timezone.is_aware(value) else str(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, Link):
        return value.url
    if isinstance(value, models.Model):
        return name_of(value)
    if isinstance(value, dict):
        return {str(key): plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [plain(item) for item in value]
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    return str(value)


def name_of(obj: models.Model) -> str:
    """A related object's name as people read it: an event by its title in the active
    language with its town (as every page names it), anything else as its text."""
    if isinstance(obj, Event):
        return obj.title_with_town
    return str(obj)


def labels(model: type[models.Model], fields: Iterable[str]) -> dict[str, str]:
    """The fields' verbose names in the active language, capitalised as labels, for the page."""
    result = {}
    for name in fields:
        try:
            result[name] = capfirst(str(model._meta.get_field(name).verbose_name))
        except FieldDoesNotExist:  # a computed column named by the provider
            result[name] = capfirst(name.replace("_", " "))
    return result


def record(obj: models.Model, fields: Iterable[str]) -> dict:
    """The named fields of `obj`: choice fields as their label, related objects as their name
    (`name_of`), other values as read (see `Section`)."""
    values = {}
    for name in fields:
        display = getattr(obj, f"get_{name}_display", None)
        if callable(display):
            values[name] = str(display())
            continue
        value = getattr(obj, name, None)
        values[name] = name_of(value) if isinstance(value, models.Model) else value
    return values


def in_scope(queryset: models.QuerySet, organisations, path: str) -> models.QuerySet:
    """`queryset` narrowed to rows of `organisations` (None: no narrowing)."""
    if organisations is None:
        return queryset
    return queryset.filter(**{f"{path}__in": organisations})


# --- Identity: hash and link --------------------------------------------------------------


def normalise(email: str) -> str:
    return (email or "").strip().lower()


def email_hash(email: str) -> str:
    """A keyed hash (HMAC-SHA256) of the address: the same person, without the address."""
    key = hashlib.sha256(f"data-request:{settings.SECRET_KEY}".encode()).digest()
    return hmac.new(key, normalise(email).encode(), hashlib.sha256).hexdigest()


LINK_PURPOSE = "data-request-link"
# The task that answers a request, queued by its registered name: tasks.py calls into this
# module, so this module does not import it back (no cycle inside the app).
SEND_LINK_TASK = "dataprotection.tasks.send_data_link"


def link_hours() -> int:
    return settings.DATA_REQUEST_LINK_HOURS


def link_token(email: str, *, now: datetime) -> str:
    """An encrypted, expiring token for the address: the link does not show the address."""
    payload = json.dumps({"e": normalise(email)}).encode()
    return secret_box.seal(LINK_PURPOSE, payload, now=now)


def email_from_token(token: str, *, now: datetime | None = None) -> str:
    """The address a link was made for. Raises DomainError data_link_invalid (also expired)."""
    now = now or timezone.now()
    try:
        payload = secret_box.open_token(
            LINK_PURPOSE, token, now=now, ttl_seconds=link_hours() * 3600
        )
        return json.loads(payload)["e"]
    except (secret_box.InvalidToken, ValueError, KeyError, TypeError) as error:
        raise DomainError(
            _("This link is not valid or has expired. Please ask for a new one."),
            ErrorCode.DATA_LINK_INVALID,
            status=404,
        ) from error


def link_url(token: str, language: str) -> str:
    with translation.override(language):
        path = reverse("dataprotection:data-overview", kwargs={"token": token})
    return settings.SITE_URL + path


# --- Use cases ----------------------------------------------------------------------------


def collect(email: str, *, organisations=None) -> list[Section]:
    """Every section every app holds about `email` (only non-empty ones)."""
    email = normalise(email)
    sections = []
    for provider in providers():
        sections.extend(
            section
            for section in provider.export(email, organisations=organisations)
            if section.records
        )
    return sections


def holds_data(email: str) -> bool:
    """True when any app stores something about `email`."""
    return bool(collect(email))


def affected_organisations(email: str, *, organisations=None) -> list[Organisation]:
    """The organisations whose events hold data about `email` (within `organisations`)."""
    ids = set()
    for provider in providers():
        ids |= provider.organisations(normalise(email))
    found = Organisation.objects.filter(pk__in=ids)
    if organisations is not None:
        found = found.filter(pk__in=[org.pk for org in organisations])
    return list(found.order_by("pk"))


def _check_scope(by, organisations) -> None:
    if organisations is None and by is not None and not getattr(by, "is_superuser", False):
        raise NotAllowed(
            _("Organisers act only within their own organisation."), CommonErrorCode.NOT_ALLOWED
        )


def _log(
    *,
    kind: str,
    email: str,
    by,
    organisations,
    result: dict,
    now: datetime,
    affected: list[Organisation],
) -> list[DataRequest]:
    """A DataRequest per organisation concerned (one without when none is), each audited."""
    channel = DataRequest.Channel.ORGANISER if by is not None else DataRequest.Channel.SELF
    actor = by if getattr(by, "is_authenticated", False) else None
    targets = list(organisations) if organisations is not None else affected
    records = []
    for organisation in targets or [None]:
        data_request = DataRequest.objects.create(
            kind=kind,
            channel=channel,
            email_hash=email_hash(email),
            organisation=organisation,
            requested_by=actor,
            result=result,
            created_at=now,
        )
        audit.record_action(
            actor=actor,
            organisation=organisation,
            action=f"data_{kind}",
            target=data_request,
            details={"channel": channel, "result": result},
        )
        records.append(data_request)
    return records


def queue_data_link(*, email: str, language: str, now: datetime) -> None:
    """Hand a person's request to a task, the same for every address.

    The request does no more for a known address than for an unknown one (no lookup, no
    mail composed), so its answer time does not tell a stranger who is registered. The
    address passes the broker only sealed (the same encrypted token the link uses); the task
    `dataprotection.tasks.send_data_link` looks it up, records and mails.
    """
    send_data_link = current_app.tasks[SEND_LINK_TASK]
    token = link_token(email, now=now)
    transaction.on_commit(lambda: send_data_link.delay(token=token, language=language))


@transaction.atomic
def request_data_link(*, email: str, language: str, now: datetime) -> DataRequest:
    """Record a person's request and mail them the link, if anything is stored about them.

    The caller answers the same either way, so the page does not reveal who is known.
    """
    email = normalise(email)
    known = holds_data(email)
    (data_request,) = _log(
        kind=DataRequest.Kind.LINK,
        email=email,
        by=None,
        organisations=None,
        result={"sent": known},
        now=now,
        affected=[],
    )
    if known:
        token = link_token(email, now=now)
        data_link_requested.send(
            sender=DataRequest,
            email=email,
            url=link_url(token, language),
            expires_at=now + timedelta(hours=link_hours()),
            language=language,
        )
    return data_request


@dataclass(frozen=True)
class SubjectCopy:
    """What is stored about one person: sections for the page, `as_json()` for the file."""

    email: str
    generated_at: datetime
    scope: list[str] | None
    sections: list[Section]

    def as_json(self) -> dict:
        return {
            "email": self.email,
            "generated_at": plain(self.generated_at),
            "scope": self.scope if self.scope is not None else "all",
            "data": {
                section.key: {"title": section.title, "records": plain(section.records)}
                for section in self.sections
            },
        }


@transaction.atomic
def export_subject_data(*, email: str, now: datetime, by=None, organisations=None) -> SubjectCopy:
    """A copy of what is stored about `email` (within `organisations`), logged.

    Raises NotAllowed when an organiser asks without naming their organisations.
    """
    _check_scope(by, organisations)
    email = normalise(email)
    sections = collect(email, organisations=organisations)
    affected = affected_organisations(email, organisations=organisations)
    _log(
        kind=DataRequest.Kind.EXPORT,
        email=email,
        by=by,
        organisations=organisations,
        result={section.key: len(section.records) for section in sections},
        now=now,
        affected=affected,
    )
    return SubjectCopy(
        email=email,
        generated_at=now,
        scope=[org.name for org in organisations] if organisations is not None else None,
        sections=sections,
    )


@transaction.atomic
def erase_subject_data(*, email: str, now: datetime, by=None, organisations=None) -> dict[str, int]:
    """Erase what is stored about `email` (within `organisations`), keeping counts; logged.

    Registrations for upcoming events are cancelled first (their places are offered on).
    Returns counts per kind of record. Raises NotAllowed as export_subject_data does.
    """
    _check_scope(by, organisations)
    email = normalise(email)
    affected = affected_organisations(email, organisations=organisations)
    counts: dict[str, int] = {}
    for provider in providers():
        for key, value in provider.erase(email, now=now, organisations=organisations).items():
            counts[key] = counts.get(key, 0) + value
    _log(
        kind=DataRequest.Kind.ERASURE,
        email=email,
        by=by,
        organisations=organisations,
        result=counts,
        now=now,
        affected=affected,
    )
    return counts


def requests_for(email: str):
    """The recorded requests about `email` (found by its hash)."""
    return DataRequest.objects.filter(email_hash=email_hash(email))
