"""Rendering of messages: templates in the recipient's language, Markdown to safe HTML and text.

Pure functions: they take data and return strings; nothing here writes.
"""

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from html import unescape

import markdown
import nh3
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils import translation
from django.utils.html import strip_tags
from django.utils.translation import gettext as _

from events_platform import when

# The HTML an announcement may contain once Markdown is rendered.
ALLOWED_TAGS = {
    "a", "p", "br", "strong", "em", "ul", "ol", "li", "h2", "h3", "h4", "blockquote", "code",
    "pre", "hr",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}


@dataclass(frozen=True)
class Rendered:
    """A message's subject and its two bodies, in one language."""

    subject: str
    text: str
    html: str


def site_url() -> str:
    """The platform's public address, without a trailing slash."""
    return settings.SITE_URL.rstrip("/")


def absolute(path: str) -> str:
    """A site path made absolute (links in mails)."""
    if path.startswith(("http://", "https://")):
        return path
    return site_url() + path


def local_datetime(value: datetime) -> str:
    """A date and time in Europe/Berlin in the site's one style (Mo., 28. Dezember 2026, 18 Uhr)."""
    return when.moment(value)


def greeting(name: str = "") -> str:
    """The one greeting of every message, in the active language: the recipient's name, or a
    neutral "Hello," when no name is known. Templates and organisers' texts add none."""
    name = " ".join((name or "").split())
    return _("Dear %(name)s,") % {"name": name} if name else _("Hello,")


# Why a person receives a message they did not ask for (an announcement, a reminder).
VISITOR, WAITING_LIST, GUARDIAN, EXHIBITOR = "visitor", "waiting_list", "guardian", "exhibitor"


def why_received(reason: str, *, event: str, participant: str = "", company: str = "") -> str:
    """The footer line that says truthfully why this person receives the message."""
    if reason == EXHIBITOR:
        return _(
            "You receive this message because %(company)s has booked a stand at “%(event)s”."
        ) % {"company": company, "event": event}
    if reason == GUARDIAN:
        return _(
            "You receive this message because %(participant)s is registered for “%(event)s” "
            "and you are named as parent or guardian."
        ) % {"participant": participant, "event": event}
    if reason == WAITING_LIST:
        return _(
            "You receive this message because you are on the waiting list for “%(event)s”."
        ) % {"event": event}
    # The title in quotation marks: a title needs no article then ("für „Rückkehrertag 2026
    # in Delitzsch“", not "für Rückkehrertag 2026 in Delitzsch").
    return _("You receive this message because you registered for “%(event)s”.") % {"event": event}


def render_message(*, template: str, subject: str, context: dict, language: str) -> Rendered:
    """Render `notifications/mail/<template>.txt` and `.html` and the subject in `language`.

    `subject` is a msgid with %(name)s placeholders filled from the context.
    """
    with translation.override(language):
        context = {"site_url": site_url(), "language": language, **context}
        text = render_to_string(f"notifications/mail/{template}.txt", context)
        html = render_to_string(f"notifications/mail/{template}.html", context)
        translated = translation.gettext(subject)
        subject_text = translated % {k: v for k, v in context.items() if f"%({k})" in translated}
    return Rendered(subject=" ".join(str(subject_text).split()), text=_tidy(text), html=html)


def _tidy(text: str) -> str:
    # Templates leave blank lines where tags were; a mail keeps at most one empty line.
    lines = [line.rstrip() for line in text.strip().splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)) + "\n"


@functools.lru_cache(maxsize=32)
def markdown_to_html(source: str) -> str:
    """Markdown rendered to HTML and sanitised (no scripts, styles or foreign attributes)."""
    raw = markdown.markdown(source, extensions=["sane_lists"], output_format="html")
    return nh3.clean(
        raw,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )


@functools.lru_cache(maxsize=32)
def markdown_to_text(source: str) -> str:
    """Markdown as plain text: the HTML rendering without tags, links kept as addresses."""
    html = markdown_to_html(source)
    html = re.sub(
        r'<a [^>]*href="([^"]+)"[^>]*>(.*?)</a>',
        lambda m: m.group(2) if m.group(2) == m.group(1) else f"{m.group(2)} ({m.group(1)})",
        html,
    )
    html = re.sub(r"<li>", "- ", html)
    html = re.sub(r"</(p|h2|h3|h4|li|blockquote|pre)>", "\n", html)
    html = re.sub(r"<br\s*/?>", "\n", html)
    text = strip_tags(html)
    return _tidy(unescape(text))


# --- Text shared by every kind of message (transactional, reminders, announcements) --------


LANGUAGES = ("de", "en")


def language_of(obj, default: str = "de") -> str:
    """The language a person chose (German unless they chose English)."""
    value = (getattr(obj, "language", "") or default)[:2]
    return value if value in LANGUAGES else default


def sender_name(event=None, organisation=None) -> str:
    """Who signs the mail: the organisation running the event."""
    organisation = organisation or (event.organisation if event is not None else None)
    return organisation.name if organisation is not None else _("The event team")


def event_when(event) -> str:
    """The event's dates and (daily) hours in Europe/Berlin, in the active language."""
    return when.describe_event_time(event)


def event_facts(event) -> list[tuple[str, str]]:
    """Event, time and place as label/value rows.

    An event read for a batch of messages carries `_facts_cache` (set by the batch's
    composer): the rows are then made once per language for the whole batch."""
    cache = getattr(event, "_facts_cache", None)
    if cache is not None:
        language = translation.get_language()
        if language not in cache:
            cache[language] = _event_facts(event)
        return list(cache[language])
    return _event_facts(event)


def _event_facts(event) -> list[tuple[str, str]]:
    venue = event.venue
    place = ", ".join(part for part in [venue.name, venue.address] if part)
    return [(_("Event"), event.title), (_("When"), event_when(event)), (_("Where"), place)]


def compose(
    *, language: str, subject: str, subject_params: dict, build: Callable[[], dict]
) -> Rendered:
    """Render the notice template in `language`; `build` makes its context in that language."""
    with translation.override(language):
        context = build()
        translated_subject = _(subject) % subject_params
        context.setdefault("subject", translated_subject)
        return render_message(
            template=context.pop("template", "notice"),
            subject=translated_subject.replace("%", "%%"),
            context=context,
            language=language,
        )


def absolute_url(name: str, **kwargs) -> str:
    """The absolute address of a named route (empty when the route does not exist)."""
    try:
        return absolute(reverse(name, kwargs=kwargs))
    except NoReverseMatch:
        return ""


def manage_url(registration) -> str:
    """The visitor's link to see, change or cancel a registration (empty if none exists)."""
    token = getattr(registration, "manage_token", "")
    if not token:
        return ""
    for name in ("ticketing:ticket", "ticketing:registration-manage"):
        url = _token_url(name, token)
        if url:
            return url
    return ""


# A token of these characters is put into a route's path as it is (no quoting, and the
# `token` converter accepts it): the path is then the route reversed once with a stand-in
# token, with the token put in its place. reverse() per mail cost more than the rest of
# composing a reminder's facts.
_PLAIN_TOKEN = re.compile(r"[A-Za-z0-9_-]{1,64}\Z")
_STAND_IN = "TokenStandIn00000000000000000000"
_token_routes: dict[tuple, tuple[str, str] | None] = {}


def _token_url(name: str, token: str) -> str:
    """absolute_url(name, token=token), with the route's reversal made once per language,
    URL configuration and script prefix."""
    if not _PLAIN_TOKEN.match(token):
        return absolute_url(name, token=token)
    key = (
        name,
        translation.get_language(),
        get_urlconf() or settings.ROOT_URLCONF,
        get_script_prefix(),
    )
    if key not in _token_routes:
        try:
            path = reverse(name, kwargs={"token": _STAND_IN})
        except NoReverseMatch:
            path = None
        _token_routes[key] = (
            tuple(path.split(_STAND_IN, 1)) if path and path.count(_STAND_IN) == 1 else None
        )
    route = _token_routes[key]
    if route is None:
        return absolute_url(name, token=token)
    return absolute(route[0] + token + route[1])
