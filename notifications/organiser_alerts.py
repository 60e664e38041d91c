"""Organisers hear of new stand requests, withdrawals and full events: an e-mail at once, one
summary a day, or nothing, as each organiser chose for each organisation (one setting per
membership). The receivers record an alert per happening; at-once mails are written with
it, the daily summary by a periodic task (`send_daily_digests`, safe to run twice).
"""

from datetime import datetime, time, timedelta

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext

from events_platform import when
from events_platform.models import Event, Membership, Organisation, TimeSlot

from .models import OrganiserAlert, OrganiserAlertSetting, Purpose
from .outbox import write_message
from .rendering import LANGUAGES, absolute, compose, greeting

ORGANISER_ROLES = (Membership.Role.ORGANISER_ADMIN, Membership.Role.ORGANISER_STAFF)
# The summary of a day goes out from this hour (Europe/Berlin) of the next day on.
DIGEST_HOUR = 6
Mode = OrganiserAlertSetting.Mode


def mode_of(membership: Membership) -> str:
    """The organiser's choice for this organisation (the daily summary unless they chose)."""
    try:
        return membership.alert_setting.mode
    except OrganiserAlertSetting.DoesNotExist:
        return Mode.DAILY


def _language_of(membership: Membership) -> str:
    try:
        language = membership.alert_setting.language[:2]
    except OrganiserAlertSetting.DoesNotExist:
        return "de"
    return language if language in LANGUAGES else "de"


def organisers(organisation: Organisation, mode: str) -> list[Membership]:
    """The organisation's organisers (with an e-mail address) who chose `mode`."""
    memberships = (
        Membership.objects.filter(
            organisation=organisation, role__in=ORGANISER_ROLES, user__is_active=True
        )
        .exclude(user__email="")
        .select_related("user", "alert_setting", "organisation")
        .order_by("pk")
    )
    return [membership for membership in memberships if mode_of(membership) == mode]


def record_alert(
    *, event: Event, kind: str, detail: str, object_key: str, now: datetime
) -> OrganiserAlert | None:
    """Record one happening for the event's organisers and mail those who want it at once.

    The same thing (kind and object) is recorded once; a repeat returns None."""
    try:
        with transaction.atomic():
            alert = OrganiserAlert.objects.create(
                organisation=event.organisation,
                event=event,
                kind=kind,
                detail=detail[:300],
                object_key=object_key,
                created_at=now,
            )
    except IntegrityError:
        return None
    for membership in organisers(event.organisation, Mode.AT_ONCE):
        _alert_mail(alert, membership)
    return alert


def _event_name(event: Event) -> str:
    return event.title_with_town


def _line(alert: OrganiserAlert) -> str:
    """The event and what happened to whom, in the active language."""
    text = _event_name(alert.event)
    if alert.object_key.startswith("slot:"):
        slot = TimeSlot.objects.filter(pk=alert.object_key.split(":")[1]).first()
        if slot is not None:
            span = when.describe_span(slot.starts_at, slot.ends_at)
            return _("%(event)s: time slot %(time)s") % {"event": text, "time": span}
    return f"{text}: {alert.detail}" if alert.detail else text


def _link(alert: OrganiserAlert) -> tuple[str, str]:
    if alert.kind == OrganiserAlert.Kind.EVENT_FULL:
        url = reverse("ticketing:organiser-list", kwargs={"event_id": alert.event_id})
        return _("See the registrations"), absolute(url)
    url = reverse("fairs:organiser-fair", kwargs={"slug": alert.event.slug})
    return _("Open the stand bookings"), absolute(url)


def _settings_sentence() -> str:
    return _("You can choose how you receive these e-mails: %(url)s") % {
        "url": absolute(reverse("notifications:alert-settings"))
    }


SUBJECTS = {
    OrganiserAlert.Kind.STAND_REQUESTED: gettext_noop("New stand request: %(event)s"),
    OrganiserAlert.Kind.BOOKING_WITHDRAWN: gettext_noop("Stand booking withdrawn: %(event)s"),
    OrganiserAlert.Kind.EVENT_FULL: gettext_noop("Fully booked: %(event)s"),
}


def _what(alert: OrganiserAlert) -> str:
    if alert.kind == OrganiserAlert.Kind.STAND_REQUESTED:
        return _("A company has asked for a stand. Please confirm or reject the request.")
    if alert.kind == OrganiserAlert.Kind.BOOKING_WITHDRAWN:
        return _("A company has withdrawn its stand booking. The stand is free again.")
    if alert.object_key.startswith("slot"):
        return _("A time slot of the event is fully booked.")
    return _("The event is fully booked. New registrations go on the waiting list.")


def _alert_mail(alert: OrganiserAlert, membership: Membership) -> None:
    language = _language_of(membership)

    def build() -> dict:
        label, url = _link(alert)
        return {
            "greeting": greeting(membership.user.get_full_name()),
            "paragraphs": [_what(alert), _line(alert)],
            "facts": [],
            "action_label": label,
            "action_url": url,
            "closing": [_settings_sentence()],
            "sender_name": _("The event team"),
        }

    with translation.override(language):
        event_name = _event_name(alert.event)
    rendered = compose(
        language=language,
        subject=SUBJECTS[alert.kind],
        subject_params={"event": event_name},
        build=build,
    )
    write_message(
        purpose=Purpose.ORGANISER_ALERT,
        to_email=membership.user.email,
        language=language,
        rendered=rendered,
        related=alert,
        event=alert.event,
        detail=f"membership:{membership.pk}",
    )


def _day_bounds(day) -> tuple[datetime, datetime]:
    zone = timezone.get_current_timezone()
    start = timezone.make_aware(datetime.combine(day, time.min), zone)
    end = timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min), zone)
    return start, end


def digest_day(now: datetime):
    """The local day whose summary is due at `now`, or None before DIGEST_HOUR."""
    local = timezone.localtime(now)
    return local.date() - timedelta(days=1) if local.hour >= DIGEST_HOUR else None


def send_daily_digests(*, now: datetime) -> int:
    """Write yesterday's summary (Europe/Berlin) for every organiser who chose the daily
    summary and whose organisation had something to report; once per organiser and day.

    Returns the number of summaries written by this run (a second run writes none)."""
    day = digest_day(now)
    if day is None:
        return 0
    start, end = _day_bounds(day)
    alerts_by_org: dict[int, list[OrganiserAlert]] = {}
    for alert in (
        OrganiserAlert.objects.filter(created_at__gte=start, created_at__lt=end)
        .select_related("event__venue", "organisation")
        .order_by("kind", "created_at", "pk")
    ):
        alerts_by_org.setdefault(alert.organisation_id, []).append(alert)
    written = 0
    for alerts in alerts_by_org.values():
        for membership in organisers(alerts[0].organisation, Mode.DAILY):
            with transaction.atomic():
                if _digest_mail(membership, alerts, day):
                    written += 1
    return written


def _digest_mail(membership: Membership, alerts: list[OrganiserAlert], day) -> bool:
    language = _language_of(membership)
    kinds = OrganiserAlert.Kind

    def build() -> dict:
        paragraphs = [
            _("This is what happened at the events of %(organisation)s on %(day)s.")
            % {
                "organisation": membership.organisation.name,
                "day": formats.date_format(day, "DATE_FORMAT"),
            }
        ]
        headings = {
            kinds.STAND_REQUESTED: lambda n: ngettext(
                "%(count)s new stand request:", "%(count)s new stand requests:", n
            ),
            kinds.BOOKING_WITHDRAWN: lambda n: ngettext(
                "%(count)s stand booking withdrawn:", "%(count)s stand bookings withdrawn:", n
            ),
            kinds.EVENT_FULL: lambda n: ngettext(
                "%(count)s event or time slot fully booked:",
                "%(count)s events or time slots fully booked:",
                n,
            ),
        }
        for kind, heading in headings.items():
            of_kind = [alert for alert in alerts if alert.kind == kind]
            if of_kind:
                paragraphs.append(heading(len(of_kind)) % {"count": len(of_kind)})
                paragraphs.extend(f"– {_line(alert)}" for alert in of_kind)
        return {
            "greeting": greeting(membership.user.get_full_name()),
            "paragraphs": paragraphs,
            "facts": [],
            "action_label": _("Open the stand bookings"),
            "action_url": absolute(reverse("fairs:organiser-fairs")),
            "closing": [_settings_sentence()],
            "sender_name": _("The event team"),
        }

    with translation.override(language):
        day_text = formats.date_format(day, "SHORT_DATE_FORMAT")
    rendered = compose(
        language=language,
        subject=gettext_noop("Your daily summary of %(day)s"),
        subject_params={"day": day_text},
        build=build,
    )
    _message, created = write_message(
        purpose=Purpose.ORGANISER_DIGEST,
        to_email=membership.user.email,
        language=language,
        rendered=rendered,
        related=membership,
        organisation=membership.organisation,
        detail=day.isoformat(),
    )
    return created
