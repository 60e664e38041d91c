"""The transactional outbox: write a message row with its cause, send it after commit, sweep.

Guarantees:
- A message row is written in the caller's transaction; if the cause rolls back, so does it.
  Most rows are written with what they are about (`context`), not their text: the worker
  that sends a batch composes it (one composer call per kind, objects read for the whole
  batch) and stores the text before sending, so a retry sends the same text.
- One row per dedup key (purpose, recipient, object): writing it twice is a no-op.
- A worker claims its batch in one statement (queued -> sending; on PostgreSQL with
  FOR UPDATE SKIP LOCKED): a second worker, a re-delivered task or a second sweep finds
  nothing to claim. Before each mail a statement checks that the row still carries this
  worker's claim (`claimed_at`, renewed while it works through the batch) and notes it is
  being handed over (`sent_at` on a `sending` row); marking one mail sent starts the next in
  the same statement. A worker killed while sending leaves that row `sending`; after the lease
  the sweep puts it back (that one mail may then go out twice, at most one per worker
  thread). The untouched rest of a killed worker's batch comes back once its claim is a
  minute old (HOLD_SECONDS), not after the 10-minute republish delay.
  After the SMTP server has accepted a mail, marking it sent is retried over a short
  database outage (MARK_SENT_RETRY_DELAYS, about 30 s in all); only an outage longer than
  that leaves the row `sending`, and then the sweep sends it again after the lease.
- Publishing to the broker never blocks a web request for long and never fails it: a
  broker error is logged, the row stays queued and the sweep hands it over later.
"""

import hashlib
import logging
import smtplib
import threading
import time
import weakref
from collections.abc import Callable
from datetime import datetime, timedelta
from email.mime.image import MIMEImage

from celery import current_app
from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import InterfaceError, OperationalError, models, transaction
from django.db import connection as db_connection
from django.db.models import F, Q
from django.utils import timezone
from redis.exceptions import RedisError

from infra.mail import ascii_address, send_over
from infra.rows import RowWriter

from .attachments import render_attachments
from .models import Message, Suppression, _compose_on_read, content_type_of, reading_uncomposed
from .rendering import Rendered

logger = logging.getLogger(__name__)

# The send task, queued by its registered name: tasks.py calls into this module, so this
# module does not import it back (no cycle inside the app; tests/test_architecture.py).
DELIVER_TASK = "notifications.tasks.deliver_messages"

State = Message.State

# In-process note that the broker failed: publishing is skipped until then, so a web
# process does not wait on a dead broker once per request (the sweep sends later).
_broker_down_until = 0.0


def make_dedup_key(purpose: str, to_email: str, obj: models.Model | None, detail: str = "") -> str:
    """The dedup key of (purpose, recipient, object[, detail]) as a sha256 hex digest."""
    obj_part = f"{obj._meta.label_lower}:{obj.pk}" if obj is not None else "-"
    raw = "|".join([purpose, to_email.strip().lower(), obj_part, detail])
    return hashlib.sha256(raw.encode()).hexdigest()


def write_message(
    *,
    purpose: str,
    to_email: str,
    language: str,
    rendered: Rendered | None = None,
    context: dict | None = None,
    related: models.Model | None,
    event=None,
    organisation=None,
    announcement=None,
    attachments: list[dict] | None = None,
    headers: dict | None = None,
    detail: str = "",
    now: datetime | None = None,
    publish: bool = True,
) -> tuple[Message, bool]:
    """Write one outbox row in the current transaction; a second write of its key is a no-op.

    Either `rendered` (the row is written composed) or `context` (what the message is about;
    the worker that sends it composes it through the composer of `context["kind"]`).
    Returns (message, created). When created (and `publish`), the send is queued on commit.
    """
    now = now or timezone.now()
    key = make_dedup_key(purpose, to_email, related, detail)
    defaults = {
        "purpose": purpose,
        "to_email": to_email.strip(),
        "language": language,
        "headers": headers or {},
        "attachments": attachments or [],
        "content_type": content_type_of(related) if related is not None else None,
        "object_id": str(related.pk) if related is not None else "",
        # The event's organisation by its id: nothing is read to write the row.
        "organisation_id": (
            organisation.pk if organisation is not None else getattr(event, "organisation_id", None)
        ),
        "event": event,
        "announcement": announcement,
        "next_attempt_at": now,
        "published_at": now if publish else None,
    }
    if rendered is not None:
        defaults |= {
            "subject": rendered.subject[:300],
            "body_text": rendered.text,
            "body_html": rendered.html,
            "composed_at": now,
        }
    else:
        defaults["context"] = context or {}
    message, created = _insert_once(Message(dedup_key=key, **defaults))
    if created and publish:
        publish_on_commit([message.pk])
    return message, created


def _insert_once(message: Message) -> tuple[Message, bool]:
    """Insert `message` unless a row with its dedup key exists: one statement
    (`INSERT … ON CONFLICT DO NOTHING RETURNING id`, its text made once, no savepoint, no
    read first), so the request that writes a mail pays one round trip. Returns (the row,
    created)."""
    if _MESSAGE_ROWS.insert([message], ignore_conflicts=True):
        return message, True
    return Message.objects.get(dedup_key=message.dedup_key), False


_MESSAGE_ROWS = RowWriter(Message)


# --- Composing at send time ---------------------------------------------------------------

# kind -> a function that composes a batch of messages of that kind in memory: it sets
# subject, body_text and body_html (and may set headers) on each message it can compose and
# leaves the others (what they were about is gone). Registered by the modules that write
# such rows (transactional, reminders, announcements) when they are imported.
_composers: dict[str, Callable[[list[Message]], None]] = {}


def register_composer(kind: str, compose_batch: Callable[[list[Message]], None]) -> None:
    """Name the function that composes messages whose context has this kind."""
    _composers[kind] = compose_batch


def needs_composing(message: Message) -> bool:
    return bool(message.context) and message.composed_at is None


def compose_messages(messages: list[Message], *, now: datetime | None = None) -> list[Message]:
    """Compose the messages not yet composed, in memory, one composer call per kind; returns
    those that could not be composed (their subject stays empty)."""
    by_kind: dict[str, list[Message]] = {}
    for message in messages:
        if needs_composing(message):
            by_kind.setdefault(message.context.get("kind", ""), []).append(message)
    missing = []
    now = now or timezone.now()
    for kind, batch in by_kind.items():
        composer = _composers.get(kind)
        if composer is not None:
            composer(batch)
        for message in batch:
            if message.subject:
                message.composed_at = now
            else:
                missing.append(message)
    return missing


def composed(message: Message) -> Message:
    """The message with its text, for a page that shows it: an unsent row not yet composed
    is composed in memory (not stored; the worker composes and stores it when sending).
    Every row read through the model is passed here (Message.from_db)."""
    if needs_composing(message):
        try:
            compose_messages([message])
        except Exception:
            logger.warning(
                "message %s could not be composed for display", message.pk, exc_info=True
            )
    return message


class _Pending:
    """Message ids written in one transaction, published together when it commits."""

    def __init__(self):
        self.ids: list[int] = []
        self.flushed = False

    def flush(self) -> None:
        # Runs after the commit, inside the web request: it must never fail the answer.
        self.flushed = True
        ids, self.ids = self.ids, []
        try:
            wake(ids)
        except Exception:
            logger.warning(
                "could not publish %d message(s); left for the sweep", len(ids), exc_info=True
            )


# The batch of the transaction open in this thread (Django's connections are per thread), held
# weakly: Django holds the batch's flush until the transaction commits and drops it when the
# transaction (or the savepoint it was registered in) rolls back, so a dead reference means
# the flush is no longer due. A flushed batch may outlive its commit (a logged traceback holds
# it): it is marked, so the next transaction starts a new batch either way.
_pending = threading.local()


def publish_on_commit(message_ids: list[int]) -> None:
    """Hand the messages to the broker once the current transaction commits.

    All messages of one transaction go out in batches (one task per BATCH_SIZE messages);
    outside a transaction they go out at once.
    """
    ref = getattr(_pending, "batch", None)
    pending = ref() if ref is not None else None
    if pending is not None and not pending.flushed:
        pending.ids.extend(message_ids)
        return
    pending = _Pending()
    pending.ids.extend(message_ids)
    _pending.batch = weakref.ref(pending)
    # Outside a transaction Django runs the callback at once.
    transaction.on_commit(pending.flush)


def publish(
    message_ids: list[int],
    *,
    countdown: float | None = None,
    force: bool = False,
    drain: bool = False,
) -> bool:
    """Queue the send task for these messages; on a broker error log and leave them queued.

    After a broker error, web processes skip publishing for a few seconds (`force` does not).
    `drain`: the task then goes on sending every due message (see `wake`).
    """
    global _broker_down_until
    if not message_ids:
        return True
    if not force and time.monotonic() < _broker_down_until:
        _forget_published(message_ids)
        return False
    deliver_messages = current_app.tasks[DELIVER_TASK]
    size = settings.NOTIFICATIONS_BATCH_SIZE
    try:
        for start in range(0, len(message_ids), size):
            deliver_messages.apply_async(
                args=[message_ids[start : start + size]],
                kwargs={"drain": True} if drain and start == 0 else None,
                countdown=countdown,
                retry=True,
                retry_policy=settings.CELERY_TASK_PUBLISH_RETRY_POLICY,
            )
    except Exception:
        logger.warning(
            "broker unavailable; %d message(s) left for the sweep", len(message_ids), exc_info=True
        )
        _broker_down_until = time.monotonic() + settings.NOTIFICATIONS_BROKER_BACKOFF_SECONDS
        _forget_published(message_ids)
        return False
    logger.info("%d message(s) handed to the broker", len(message_ids))
    return True


def _forget_published(message_ids: list[int]) -> None:
    # The task never reached the broker: let the next sweep pick these rows at once.
    try:
        Message.objects.filter(pk__in=message_ids, state=State.QUEUED).update(published_at=None)
    except Exception:
        logger.warning("could not mark messages as unpublished", exc_info=True)


# --- One task per burst ---------------------------------------------------------------------
#
# In a registration rush every request writes its mail and would queue a task of its own;
# the task costs the workers more than the mail (about 4 ms of Celery's work each). With
# Redis, the first transaction of a burst sets a short-lived key and queues its task with
# `drain`; that task sends its messages and then every due message handed over meanwhile,
# batch after batch, keeping the key alive, so the transactions after it queue nothing.
# When it finds nothing more it deletes the key and looks once more: a transaction that
# committed before the deletion is found there, one after it sets the key again and queues a
# task itself. A drain that dies leaves the key to expire (NOTIFICATIONS_WAKE_MS); its task
# comes back (acks_late), and the sweep starts a drain for messages waiting longer than a
# sweep. Without Redis (the zero-setup default) or when Redis fails, every transaction
# queues its own task as before. So does a transaction that wrote more than one batch (the
# reminders, an announcement's chunk): its batches go to all workers at once.

WAKE_KEY = "notifications:outbox:awake"
# A drain that gave way to other workers hands what is still waiting to a new drain this
# many seconds later.
GIVE_WAY_SECONDS = 1.0


def _wake_store():
    """(Redis client, key) of the wake-up key, or (None, "") without Redis."""
    from django.core.cache import cache

    from infra.ratelimit import shared_redis

    client = shared_redis()
    return (client, cache.make_key(WAKE_KEY)) if client is not None else (None, "")


def wake(message_ids: list[int], *, countdown: float | None = None) -> bool:
    """Hand a committed transaction's messages to the workers (see above); `countdown`
    delays the drain's start."""
    if not message_ids:
        return True
    client, key = _wake_store()
    if client is None or len(message_ids) > settings.NOTIFICATIONS_BATCH_SIZE:
        # More than one batch (reminders, a chunk of an announcement): a task per batch, so
        # every worker sends; one drain would send them one batch after another.
        return publish(message_ids)
    try:
        first = client.set(key, "1", nx=True, px=settings.NOTIFICATIONS_WAKE_MS)
    except (RedisError, OSError):
        return publish(message_ids)
    if not first:
        return True  # a drain is on its way or running: it takes these along
    if publish(message_ids, drain=True, countdown=countdown):
        return True
    _wake_done(client, key)  # the broker refused: the next transaction tries again
    return False


def _wake_done(client, key: str) -> None:
    try:
        client.delete(key)
    except (RedisError, OSError):
        logger.warning("could not clear the outbox's wake-up key", exc_info=True)


def _keep_awake(client, key: str) -> None:
    try:
        client.set(key, "1", px=settings.NOTIFICATIONS_WAKE_MS)
    except (RedisError, OSError):
        logger.warning("could not renew the outbox's wake-up key", exc_info=True)


def drain() -> int:
    """Send every due message already handed to the broker, a batch at a time, until none is
    left; then clear the wake-up key and look once more. Returns the messages sent."""
    client, key = _wake_store()
    sent, idle_rounds = 0, 0
    while True:
        ids = _waiting_alongside([], now=timezone.now())
        if not ids and client is not None:
            _wake_done(client, key)
            ids = _waiting_alongside([], now=timezone.now())
            if ids:
                _keep_awake(client, key)
        if not ids:
            return sent
        if client is not None:
            _keep_awake(client, key)
        counts = deliver_messages(message_ids=ids)
        sent += counts["sent"]
        # All claimed by other workers meanwhile: they send them. A few rounds only, so a
        # row held by another worker's claim for a moment is not asked for in a loop. Then
        # the end is the same as above: the key cleared and one more look, since a
        # transaction that saw the key queued nothing; what is still waiting goes to a
        # drain of its own, queued afresh (by then the other workers' claims are done).
        idle_rounds = idle_rounds + 1 if counts["skipped"] == len(ids) else 0
        if idle_rounds >= 3:
            if client is not None:
                _wake_done(client, key)
                left = _waiting_alongside([], now=timezone.now())
                if left:
                    # A second later: a row locked for long would otherwise hand a drain
                    # over and over, each giving way at once.
                    wake(left, countdown=GIVE_WAY_SECONDS)
            return sent


def claim_message(*, message_id: int, now: datetime) -> bool:
    """Move one due message from queued to sending; True only for the one caller that did."""
    return (
        Message.objects.filter(pk=message_id, state=State.QUEUED, next_attempt_at__lte=now).update(
            state=State.SENDING, claimed_at=now, sent_at=now, attempts=F("attempts") + 1
        )
        == 1
    )


_CLAIM_POSTGRESQL = """
UPDATE TABLE SET state = %s, claimed_at = %s, attempts = attempts + 1
WHERE id IN (
    SELECT id FROM TABLE WHERE id = ANY(%s) AND state = %s AND next_attempt_at <= %s
    FOR UPDATE SKIP LOCKED
) RETURNING *"""
_CLAIM_OTHER = """
UPDATE TABLE SET state = %s, claimed_at = %s, attempts = attempts + 1
WHERE id IN (IDS) AND state = %s AND next_attempt_at <= %s RETURNING *"""


def claim_messages(*, message_ids: list[int], now: datetime) -> list[Message]:
    """Move the due, queued messages among `message_ids` to sending in one statement and
    return them (in the order given); a row is returned to one caller only.

    PostgreSQL: UPDATE … WHERE id IN (SELECT … FOR UPDATE SKIP LOCKED) RETURNING, so a second
    worker skips rows the first is claiming instead of waiting for them. SQLite writes one
    statement at a time: the conditional UPDATE … RETURNING alone is enough there.
    """
    if not message_ids:
        return []
    table = db_connection.ops.quote_name(Message._meta.db_table)
    ids = [int(pk) for pk in message_ids]
    now = db_connection.ops.adapt_datetimefield_value(now)  # compared again as the token
    if db_connection.vendor == "postgresql":
        sql = _CLAIM_POSTGRESQL.replace("TABLE", table)
        params = [State.SENDING, now, ids, State.QUEUED, now]
    else:
        sql = _CLAIM_OTHER.replace("TABLE", table).replace("IDS", ", ".join(["%s"] * len(ids)))
        params = [State.SENDING, now, *ids, State.QUEUED, now]
    with reading_uncomposed():
        claimed = {message.pk: message for message in Message.objects.raw(sql, params)}
    return [claimed[pk] for pk in dict.fromkeys(ids) if pk in claimed]


_STORE_COMPOSED = """
UPDATE TABLE SET subject = %s, body_text = %s, body_html = %s, headers = %s, composed_at = %s
WHERE id = %s"""


def _store_composed(messages: list[Message]) -> None:
    """Store the composed text of a batch: one statement run for every row (executemany;
    Django's bulk_update builds a CASE per field and row, which costs more than the send)."""
    headers = Message._meta.get_field("headers")
    table = db_connection.ops.quote_name(Message._meta.db_table)
    rows = [
        [
            message.subject,
            message.body_text,
            message.body_html,
            headers.get_db_prep_value(message.headers, db_connection),
            db_connection.ops.adapt_datetimefield_value(message.composed_at),
            message.pk,
        ]
        for message in messages
    ]
    with db_connection.cursor() as cursor:
        cursor.executemany(_STORE_COMPOSED.replace("TABLE", table), rows)


def _compose_claimed(messages: list[Message], counts: dict[str, int]) -> list[Message]:
    """Compose the claimed messages not yet composed and store their text (a retry sends the
    same); returns those ready to send. What can no longer be composed fails."""
    now = timezone.now()
    try:
        missing = compose_messages(messages, now=now)
    except Exception as exc:
        logger.exception("composing %d message(s) failed", len(messages))
        ready = []
        for message in messages:
            if needs_composing(message) or not message.subject:
                outcome = record_failure(message=message, exc=exc, now=now)
                counts["failed" if outcome == State.FAILED else "queued"] += 1
            else:
                ready.append(message)
        return ready
    fresh = [m for m in messages if m.composed_at == now]
    if fresh:
        _store_composed(fresh)
    if missing:
        gone = [message.pk for message in missing]
        Message.objects.filter(pk__in=gone, state=State.SENDING).update(
            state=State.FAILED,
            failed_at=now,
            claimed_at=None,
            last_error="what the message was about no longer exists",
        )
        counts["failed"] += len(gone)
        logger.warning("messages %s: nothing left to compose them from; failed", gone)
    missing_ids = {message.pk for message in missing}
    return [message for message in messages if message.pk not in missing_ids]


def build_email(message: Message, *, connection=None) -> EmailMultiAlternatives:
    """The e-mail for an outbox row, with its rendered attachments."""
    email = EmailMultiAlternatives(
        subject=message.subject,
        body=message.body_text,
        from_email=ascii_address(settings.DEFAULT_FROM_EMAIL),
        to=[ascii_address(message.to_email)],
        headers={"Auto-Submitted": "auto-generated", **message.headers},
        connection=connection,
    )
    email.attach_alternative(message.body_html, "text/html")
    for attachment in render_attachments(message.attachments, language=message.language):
        if attachment.content_id:
            image = MIMEImage(attachment.content, _subtype=attachment.mimetype.split("/")[1])
            image.add_header("Content-ID", f"<{attachment.content_id}>")
            image.add_header("Content-Disposition", "inline", filename=attachment.filename)
            email.attach(image)
        else:
            email.attach(attachment.filename, attachment.content, attachment.mimetype)
    return email


class Failure:
    TEMPORARY = "temporary"
    PERMANENT = "permanent"


def classify_error(exc: BaseException) -> tuple[str, bool]:
    """(temporary|permanent, the recipient's fault) for a sending error.

    5xx about the recipient or the message fails at once; everything else (4xx, a lost or
    refused connection, a server misconfiguration) is retried.
    """
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _text in exc.recipients.values()]
        if codes and min(codes) >= 500:
            return Failure.PERMANENT, True
        return Failure.TEMPORARY, False
    if isinstance(exc, smtplib.SMTPDataError) and 500 <= exc.smtp_code < 600:
        return Failure.PERMANENT, True
    return Failure.TEMPORARY, False


def retry_delay(attempts: int) -> timedelta:
    """Capped exponential backoff after `attempts` failed attempts."""
    base = settings.NOTIFICATIONS_RETRY_BASE_SECONDS
    cap = settings.NOTIFICATIONS_RETRY_MAX_SECONDS
    return timedelta(seconds=min(base * 2 ** max(attempts - 1, 0), cap))


def _describe(exc: BaseException) -> str:
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return "; ".join(
            f"{code} {text.decode(errors='replace') if isinstance(text, bytes) else text}"
            for code, text in exc.recipients.values()
        )
    if isinstance(exc, smtplib.SMTPResponseException):
        error = exc.smtp_error
        text = error.decode(errors="replace") if isinstance(error, bytes) else str(error)
        return f"{exc.smtp_code} {text}"
    return f"{type(exc).__name__}: {exc}"


def record_failure(*, message: Message, exc: BaseException, now: datetime) -> str:
    """Mark a failed attempt: retry later (temporary) or fail and suppress (permanent)."""
    kind, recipients_fault = classify_error(exc)
    error = _describe(exc)[:2000]
    if kind == Failure.PERMANENT or message.attempts >= settings.NOTIFICATIONS_MAX_ATTEMPTS:
        # One transaction: nobody sees the message failed while its address is not yet
        # suppressed (another mail to it could slip through in between).
        with transaction.atomic():
            if recipients_fault:
                Suppression.objects.get_or_create(
                    email=message.to_email.lower(),
                    defaults={"reason": Suppression.Reason.BOUNCED, "detail": error},
                )
            Message.objects.filter(pk=message.pk, state=State.SENDING).update(
                state=State.FAILED, last_error=error, failed_at=now, claimed_at=None, sent_at=None
            )
        logger.warning("message %s failed for good: %s", message.pk, error)
        return State.FAILED
    delay = retry_delay(message.attempts)
    # Short waits go back to the broker with a countdown (kept far below the broker's
    # visibility timeout); longer ones are left to the sweep.
    republish = delay.total_seconds() <= settings.NOTIFICATIONS_COUNTDOWN_MAX_SECONDS
    Message.objects.filter(pk=message.pk, state=State.SENDING).update(
        state=State.QUEUED,
        last_error=error,
        next_attempt_at=now + delay,
        claimed_at=None,
        sent_at=None,
        published_at=now if republish else None,
    )
    logger.info("message %s: temporary failure (%s), retry in %s", message.pk, error, delay)
    if republish:
        publish([message.pk], countdown=delay.total_seconds())
    return State.QUEUED


def deliver_messages(*, message_ids: list[int]) -> dict[str, int]:
    """Send the given messages over one SMTP connection: claimed in one statement, composed
    in one pass per kind (the worker composes what the writer left uncomposed), sent one by
    one.

    Returns counts per outcome. Never raises for a sending error: that is recorded on the row.
    """
    counts = {"sent": 0, "skipped": 0, "queued": 0, "failed": 0}
    now = timezone.now()
    along = _waiting_alongside(message_ids, now=now)
    messages = claim_messages(message_ids=[*message_ids, *along], now=now)
    given = set(message_ids)
    counts["skipped"] = len(given) - sum(1 for message in messages if message.pk in given)
    if not messages:
        return counts
    messages = _compose_claimed(messages, counts)
    connection = None
    # The claim this worker holds: `claimed_at` of its batch's untouched rows. A row is sent
    # only after a statement that finds it still carrying the token has started it.
    token = messages[0].claimed_at if messages else None
    renewed_at = time.monotonic()
    in_flight = False
    try:
        for index, message in enumerate(messages):
            if time.monotonic() - renewed_at > settings.NOTIFICATIONS_HOLD_SECONDS / 3:
                # Still alive: renew the claim on the rest (not the row already started).
                rest = messages[index + 1 :] if in_flight else messages[index:]
                token = _renew(rest, token)
                renewed_at = time.monotonic()
            if not in_flight and not _start(message.pk, token):
                counts["skipped"] += 1  # handed over to another worker meanwhile
                continue
            if connection is None:
                connection = get_connection(fail_silently=False)
            try:
                # Opened here, the connection stays open for the whole batch: a backend that
                # opens the connection itself in send() also closes it after each message.
                connection.open()
                send_over(connection, build_email(message, connection=connection))
            except Exception as exc:  # noqa: BLE001 - every error is sorted and recorded
                _close_quietly(connection)
                connection = None
                outcome = record_failure(message=message, exc=exc, now=timezone.now())
                counts["failed" if outcome == State.FAILED else "queued"] += 1
                in_flight = False
                continue
            following = messages[index + 1].pk if index + 1 < len(messages) else None
            started: set = set()
            mark_sent(message.pk, next_id=following, token=token, started=started)
            in_flight = following in started
            logger.debug("message %s sent to %s", message.pk, message.to_email)
            counts["sent"] += 1
    finally:
        if connection is not None:
            _close_quietly(connection)
    # One line per batch (a JSON line per mail cost as much CPU as marking it sent).
    logger.info("batch of %d message(s): %s", len(message_ids), counts)
    return counts


def _waiting_alongside(message_ids: list[int], *, now: datetime) -> list[int]:
    """Ids of other messages to take along in a batch that is not full: queued, due, and
    handed to the broker already (their own task waits in the queue and will then find
    nothing to claim). In a registration rush every registration hands over a task with its
    one mail; the first worker free takes the mails written meanwhile along, over one SMTP
    connection and one pass of composing, instead of a batch each. Oldest first, by the
    index of due messages."""
    room = settings.NOTIFICATIONS_BATCH_SIZE - len(message_ids)
    if room <= 0:
        return []
    waiting = (
        Message.objects.filter(
            state=State.QUEUED, next_attempt_at__lte=now, published_at__isnull=False
        )
        .exclude(pk__in=message_ids)
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)
    )
    return list(waiting[:room])


def _renew(messages: list[Message], token: datetime) -> datetime:
    """Renew the claim on the batch's rows not yet started (the worker is alive); returns
    the new token.

    A worker killed with a batch in hand stops renewing: the sweep hands its untouched rows
    over again once the claim is HOLD_SECONDS (1 minute) old, and the one row it was handing
    to the SMTP server (`sent_at` set while `sending`) after the lease.
    """
    now = timezone.now()
    Message.objects.filter(
        pk__in=[m.pk for m in messages], state=State.SENDING, claimed_at=token
    ).update(claimed_at=now)
    return now


def _start(message_id: int, token: datetime) -> bool:
    """Note that this row is being handed to the SMTP server (`sent_at` on a `sending` row),
    if it still carries this worker's claim: if the worker dies now, the mail may have gone
    out. False when the sweep has handed it over (this worker was taken for dead)."""
    now = timezone.now()
    return bool(
        Message.objects.filter(pk=message_id, state=State.SENDING, claimed_at=token).update(
            claimed_at=now, sent_at=now
        )
    )


_MARK_SENT = """
UPDATE TABLE SET
    state = CASE WHEN id = %s THEN %s ELSE state END,
    sent_at = %s,
    last_error = CASE WHEN id = %s THEN '' ELSE last_error END,
    claimed_at = CASE WHEN id = %s THEN NULL ELSE %s END
WHERE (id = %s AND state = %s) OR (id = %s AND state = %s AND claimed_at = %s)
RETURNING id"""


def mark_sent(
    message_id: int,
    *,
    next_id: int | None = None,
    token: datetime | None = None,
    started: set | None = None,
) -> bool:
    """Record that the SMTP server accepted the message, retrying over a short database outage.

    The mail has gone out: if this update were lost, the sweep would send it again after the
    lease. So a lost database connection is retried with a fresh one after each of the
    MARK_SENT_RETRY_DELAYS (seconds); False only when the database stayed away for all of them.
    The same statement starts the batch's next row (`next_id`): it notes the row is being
    handed over, only while the row still carries this worker's claim (`token`, its
    `claimed_at`); its id is then added to `started`.
    """
    delays = list(settings.NOTIFICATIONS_MARK_SENT_RETRY_DELAYS)
    while True:
        try:
            now = timezone.now()
            if next_id is None:
                Message.objects.filter(pk=message_id, state=State.SENDING).update(
                    state=State.SENT, sent_at=now, last_error="", claimed_at=None
                )
                return True
            stamp = db_connection.ops.adapt_datetimefield_value(now)
            table = db_connection.ops.quote_name(Message._meta.db_table)
            with db_connection.cursor() as cursor:
                # One plain statement (an ORM CASE expression costs more CPU than the send).
                cursor.execute(
                    _MARK_SENT.replace("TABLE", table),
                    [message_id, State.SENT, stamp, message_id, message_id, stamp]
                    + [message_id, State.SENDING, next_id, State.SENDING]
                    + [db_connection.ops.adapt_datetimefield_value(token)],
                )
                updated = {row[0] for row in cursor.fetchall()}
            if started is not None and next_id in updated:
                started.add(next_id)
            return True
        except (OperationalError, InterfaceError):
            if not delays or db_connection.in_atomic_block:
                logger.error(
                    "message %s was sent but could not be marked sent; the sweep may send it "
                    "again after the lease",
                    message_id,
                    exc_info=True,
                )
                return False
            delay = delays.pop(0)
            logger.warning(
                "message %s: database unavailable while marking it sent; retry in %s s",
                message_id,
                delay,
            )
            try:
                db_connection.close()  # the next attempt opens a fresh connection
            except Exception:
                logger.debug("closing the lost database connection failed", exc_info=True)
            _sleep(delay)


def _sleep(seconds: float) -> None:
    time.sleep(seconds)


def _close_quietly(connection) -> None:
    try:
        connection.close()
    except Exception:
        logger.debug("SMTP connection did not close cleanly", exc_info=True)


def sweep_outbox(*, now: datetime) -> int:
    """Re-queue what is due and was missed; put back rows a dead worker left `sending`.

    Safe to run twice at once: rows are taken with a conditional UPDATE (and SKIP LOCKED on
    PostgreSQL), and a row handed over twice is still claimed, and sent, only once.
    """
    # The row a dead worker was handing to the SMTP server (`sent_at` set) comes back after
    # the lease, the untouched rest of its batch after the hold.
    lease = timedelta(seconds=settings.NOTIFICATIONS_LEASE_SECONDS)
    hold = timedelta(seconds=settings.NOTIFICATIONS_HOLD_SECONDS)
    in_flight = Q(sent_at__isnull=False, claimed_at__lt=now - lease)
    untouched = Q(sent_at__isnull=True, claimed_at__lt=now - hold)
    stale = Message.objects.filter(in_flight | untouched, state=State.SENDING)
    for message_id, was_in_flight in stale.values_list("pk", "sent_at")[:10000]:
        reclaimed = Message.objects.filter(
            in_flight | untouched, pk=message_id, state=State.SENDING
        ).update(state=State.QUEUED, claimed_at=None, published_at=None, sent_at=None)
        if reclaimed and was_in_flight:
            # The worker died while handing it over: the mail may or may not have gone out.
            logger.warning(
                "message %s: stale sending lease reclaimed (possible duplicate)", message_id
            )
        elif reclaimed:
            logger.info("message %s: claimed by a worker that stopped; handed over", message_id)

    # Tasks that may still wait in the broker queue are handed over again after the
    # republish delay; rows a worker took and stopped renewing (it died) after the hold.
    republish_before = now - timedelta(seconds=settings.NOTIFICATIONS_REPUBLISH_SECONDS)
    held_before = now - timedelta(seconds=settings.NOTIFICATIONS_HOLD_SECONDS)
    due = Message.objects.filter(state=State.QUEUED, next_attempt_at__lte=now).filter(
        Q(published_at__isnull=True)
        | Q(published_at__lt=republish_before)
        | Q(claimed_at__lt=held_before)
    )
    limit = settings.NOTIFICATIONS_SWEEP_LIMIT
    with transaction.atomic():
        candidates = due.order_by("next_attempt_at")
        if db_connection.features.has_select_for_update_skip_locked:
            candidates = candidates.select_for_update(skip_locked=True)
        ids = list(candidates.values_list("pk", flat=True)[:limit])
        if ids:
            Message.objects.filter(pk__in=ids).update(published_at=now, claimed_at=None)
    if ids:
        logger.info("sweep: %d message(s) handed to the broker again", len(ids))
        publish(ids, force=True)
    _drain_if_waiting(now=now, exclude=ids)
    return len(ids)


def _drain_if_waiting(*, now: datetime, exclude: list[int]) -> None:
    """Start a drain when messages handed over a sweep ago still wait: a drain that died
    left the wake-up key, and no transaction queued a task for them (see `wake`)."""
    waiting = Message.objects.filter(
        state=State.QUEUED,
        next_attempt_at__lte=now,
        published_at__lt=now - timedelta(seconds=SWEEP_SECONDS),
    ).exclude(pk__in=exclude)
    if not waiting.exists():
        return
    try:
        current_app.tasks[DELIVER_TASK].apply_async(
            args=[[]],
            kwargs={"drain": True},
            retry=True,
            retry_policy=settings.CELERY_TASK_PUBLISH_RETRY_POLICY,
        )
    except Exception:
        logger.warning("sweep: could not start a drain; next sweep", exc_info=True)
    else:
        logger.info("sweep: messages waiting for more than %d s; a drain started", SWEEP_SECONDS)


# How often the beat runs the sweep (config/celery.py).
SWEEP_SECONDS = 60


_compose_on_read.append(composed)
