"""Secret links never reach a log line.

A secret link (ticket and self-service page, personal calendar feed, guardian's
confirmation, unsubscribe, company e-mail confirmation and invitation, scanner pairing) is
the only key its holder has; anyone who reads it in a log could act as the holder. So every
place that writes a request's address masks the secret path segment and secret query
parameters (`/tickets/ticket/<token>/` -> `/tickets/ticket/…/`):

- `SecretMaskFilter` on the console handler of settings.LOGGING (Django's request and error
  logs, runserver, Celery, plain and JSON format), also in gunicorn's JSON log config;
- `GunicornLogger` (docker/gunicorn.conf.py `logger_class`) for gunicorn's access log, in
  the request line, the path, the query string and the Referer;
- `mask_sentry_event` before an error goes to Sentry;
- Caddy's access log has its own `filter` encoder (docker/Caddyfile) with the same rules.

tests/security/test_secret_links.py builds a link for every URL pattern with a `token`
argument and fails when this module lets one through.
"""

import logging
import re

MASK = "…"

# The path prefixes (without the optional /en language prefix) whose next segment is secret.
SECRET_PREFIXES = (
    "tickets/ticket/",
    "tickets/kalender/",
    "tickets/einverstaendnis/",
    "messages/unsubscribe/",
    "fairs/firma/bestaetigen/",
    "fairs/firma/einladung/",
    "einlass/pair/",
    "ihre-daten/",
    "bewerbungen/b/",
    "stand/ticket/",
    "stand/koppeln/",
    "umfragen/a/",
    "umfragen/s/",
)
# /api/tickets/<token>/… (the other /api/tickets/ routes start with a fixed word).
_API_TICKET = r"api/tickets/(?!(?:events|organiser)/)"

_SEGMENT = r"[^/\s?#\"'<>]+?"
_PATH = re.compile(
    r"(?P<head>/(?:[a-z]{2}/)?(?:"
    + "|".join(re.escape(prefix) for prefix in SECRET_PREFIXES)
    + "|"
    + _API_TICKET
    + r"))(?P<secret>"
    + _SEGMENT
    + r")(?P<tail>\.ics)?(?=[/\s?#\"'<>]|$)"
)
# Django's password reset: /password-reset/<uidb64>/<token>/ (the form that follows, at
# …/set-password/, carries no token).
_RESET = re.compile(
    r"(?P<head>/(?:[a-z]{2}/)?password-reset/[^/\s?#\"'<>]+/)(?!set-password/)"
    r"(?P<secret>[^/\s?#\"'<>]+)(?=/)"
)
# Query parameters that carry a secret, wherever they appear.
SECRET_PARAMETERS = ("token", "secret", "key", "signature", "sig", "code", "auth")
_QUERY = re.compile(
    r"(?P<head>[?&;](?:" + "|".join(SECRET_PARAMETERS) + r")=)(?P<secret>[^&;#\s\"'<>]+)",
    re.IGNORECASE,
)


def mask_secrets(text):
    """`text` with every secret link segment and secret query value replaced by "…"."""
    if not isinstance(text, str) or not text:
        return text
    masked = _PATH.sub(lambda m: m["head"] + MASK + (m["tail"] or ""), text)
    masked = _RESET.sub(lambda m: m["head"] + MASK, masked)
    return _QUERY.sub(lambda m: m["head"] + MASK, masked)


class SecretMaskFilter(logging.Filter):
    """Masks secret links in the message, its traceback and a Django request attached to it."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.name == "gunicorn.access":
            # The atoms (record.args) are masked by GunicornLogger already, and other
            # filters read them as a dict: leave the record as it is.
            return True
        try:
            message = record.getMessage()
        except (TypeError, ValueError, KeyError):  # a broken format: logging reports it
            return True
        masked = mask_secrets(message)
        if masked != message:
            record.msg, record.args = masked, None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask_secrets(record.exc_text)
            # Formatters (the JSON one too) then print the masked text instead of
            # formatting the exception again.
            record.exc_info = None
        request = getattr(record, "request", None)
        if request is not None and not isinstance(request, str):
            # Django passes the request as `extra`; a JSON formatter would print its repr
            # (method and full path). Keep only what is safe to print.
            record.request = mask_secrets(
                f"{getattr(request, 'method', '')} {getattr(request, 'get_full_path', str)()}"
            )
        return True


try:
    from gunicorn.glogging import Logger as _GunicornBase
except ImportError:  # gunicorn is a production dependency; tests import this module anyway
    _GunicornBase = object


# Access-log atoms that hold the request target or a Referer.
_URL_ATOMS = ("r", "U", "q", "f", "{referer}i", "{raw_uri}e", "{path_info}e", "{query_string}e")


class GunicornLogger(_GunicornBase):
    """gunicorn's logger with secret links masked in every access-log atom that holds a URL."""

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        for name in _URL_ATOMS:
            if isinstance(atoms.get(name), str):
                if name in ("q", "{query_string}e"):  # the query string without its "?"
                    atoms[name] = mask_secrets("?" + atoms[name])[1:]
                else:
                    atoms[name] = mask_secrets(atoms[name])
        return atoms


def mask_sentry_event(event: dict) -> dict:
    """The Sentry event with secret links masked in its request, message and breadcrumbs."""
    request = event.get("request") or {}
    if isinstance(request.get("url"), str):
        request["url"] = mask_secrets(request["url"])
    if isinstance(request.get("query_string"), str) and request["query_string"]:
        request["query_string"] = mask_secrets("?" + request["query_string"])[1:]
    headers = request.get("headers") or {}
    for name in list(headers):
        if name.lower() == "referer":
            headers[name] = mask_secrets(headers[name])
    if isinstance(event.get("transaction"), str):
        event["transaction"] = mask_secrets(event["transaction"])
    logentry = event.get("logentry") or {}
    for key in ("message", "formatted"):
        if isinstance(logentry.get(key), str):
            logentry[key] = mask_secrets(logentry[key])
    for crumb in (event.get("breadcrumbs") or {}).get("values", []) or []:
        if isinstance(crumb.get("message"), str):
            crumb["message"] = mask_secrets(crumb["message"])
        data = crumb.get("data") or {}
        if isinstance(data.get("url"), str):
            data["url"] = mask_secrets(data["url"])
    return event
